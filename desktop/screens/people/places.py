"""Institution choices shown as an indented tree in a combo box."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox

from records.institution_tree import Node, institution_tree
from records.institutions import LEVEL_LABELS, Level
from xiangyi.i18n import _

if TYPE_CHECKING:
    from records.db import Database


def institution_label(node: Node) -> str:
    """ "红星乡卫生院 (Township)" — the level helps tell apart places of one name."""
    row = node.institution
    return f"{row.name_zh} ({_(LEVEL_LABELS[Level(row.level)])})"


def walk(nodes: list[Node], depth: int = 0) -> list[tuple[int, Node]]:
    """Every node with its depth, parents before children."""
    found: list[tuple[int, Node]] = []
    for node in nodes:
        found.append((depth, node))
        found.extend(walk(node.children, depth + 1))
    return found


def fill_institutions(combo: QComboBox, db: Database, none_label: str) -> None:
    """Offer ``none_label`` (data "") then every institution, indented by depth."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none_label, "")
    for depth, node in walk(institution_tree(db)):
        combo.addItem("    " * depth + institution_label(node), node.institution.id)
    if current:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
