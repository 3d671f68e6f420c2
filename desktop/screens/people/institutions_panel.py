"""Institutions as a tree (county → township → village or community): add, rename and
move, within the level rules the core enforces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.screens.people.places import fill_institutions, institution_label, walk
from desktop.widgets import error_label, show_error
from records.accounts import AccountError
from records.institutions import LEVEL_LABELS, PARENT_LEVELS, Level
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.institution_tree import Node
    from records.tables import Institution

_ID = Qt.ItemDataRole.UserRole


class InstitutionsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.nodes: list[tuple[int, Node]] = []
        self.tree = QTreeWidget(objectName="institution_tree")
        self.tree.setColumnCount(3)
        self.tree.setAlternatingRowColors(True)

        self._build_forms()
        self.move_box = QGroupBox()
        self.move_to = QComboBox(objectName="move_target")
        self.move_button = QPushButton(objectName="move_institution")
        move = QHBoxLayout(self.move_box)
        move.addWidget(self.move_to, 1)
        move.addWidget(self.move_button)
        self.error = error_label("institution_error")
        self.message = QLabel(objectName="institution_message")
        self.message.setWordWrap(True)
        self.hint = QLabel(objectName="institution_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        side = QVBoxLayout()
        for widget in (
            self.form_box,
            self.rename_box,
            self.move_box,
            self.error,
            self.message,
            self.hint,
        ):
            side.addWidget(widget)
        side.addStretch(1)
        body = QHBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.tree, 3)
        body.addLayout(side, 2)
        self.tree.itemSelectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self._add)
        self.rename_button.clicked.connect(self._rename)
        self.move_button.clicked.connect(self._move)

    def _build_forms(self) -> None:
        """The form that adds an institution and the one that renames the selected one."""
        self.form_box = QGroupBox(objectName="new_institution")
        self.name_zh = QLineEdit(objectName="institution_name_zh")
        self.name_en = QLineEdit(objectName="institution_name_en")
        self.code = QLineEdit(objectName="institution_code")
        self.level = QComboBox(objectName="institution_level")
        self.under = QComboBox(objectName="institution_parent")
        self.add_button = QPushButton(objectName="add_institution")
        self.labels = [QLabel() for _i in range(7)]
        form = QFormLayout(self.form_box)
        for label, field in zip(
            self.labels[:5],
            (self.name_zh, self.name_en, self.code, self.level, self.under),
            strict=True,
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(self.add_button)

        self.rename_box = QGroupBox(objectName="rename_box")
        self.rename_zh = QLineEdit(objectName="rename_zh")
        self.rename_en = QLineEdit(objectName="rename_en")
        self.rename_button = QPushButton(objectName="rename_institution")
        rename = QFormLayout(self.rename_box)
        for label, field in zip(self.labels[5:], (self.rename_zh, self.rename_en), strict=True):
            label.setBuddy(field)
            rename.addRow(label, field)
        rename.addRow(self.rename_button)

    def retranslate(self) -> None:
        """Re-label everything and redraw the tree."""
        self.tree.setHeaderLabels([_("Institution name"), _("Institution level"), _("Code")])
        texts = [
            _("Name (&Chinese)"),
            _("Name (&English)"),
            _("C&ode"),
            _("&Level"),
            _("&Under"),
            _("Name (Chines&e)"),
            _("Name (En&glish)"),
        ]
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.form_box.setTitle(_("Add an institution"))
        self.add_button.setText(_("&Add"))
        self.rename_button.setText(_("Re&name"))
        self.rename_box.setTitle(_("Rename the selected institution"))
        self.move_box.setTitle(_("Move the selected institution under"))
        self.move_button.setText(_("&Move"))
        self.hint.setText(
            _(
                "A township sits under a county, a village under a township, a community "
                "under a county or township."
            )
        )
        current = self.level.currentData()
        self.level.clear()
        for level in Level:
            self.level.addItem(_(LEVEL_LABELS[level]), str(level))
        if current:
            self.level.setCurrentIndex(self.level.findData(current))
        self.refresh()

    def refresh(self) -> None:
        """Redraw the tree from the database, keeping the selection."""
        from records.institution_tree import institution_tree

        chosen = self.selected()
        keep = chosen.id if chosen else None
        self.nodes = walk(institution_tree(self.ctx.db))
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for _depth, node in self.nodes:
            row = node.institution
            parent = items.get(row.parent_id or "")
            level = _(LEVEL_LABELS[Level(row.level)])
            item = QTreeWidgetItem([row.name_zh, level, row.code or ""])
            item.setData(0, _ID, row.id)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[row.id] = item
            if row.id == keep:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)
        self._selected()

    def selected(self) -> Institution | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        wanted = item.data(0, _ID)
        return next((n.institution for _d, n in self.nodes if n.institution.id == wanted), None)

    def select(self, name_zh: str) -> None:
        """Select an institution by its Chinese name."""
        for item in self.tree.findItems(
            name_zh, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
        ):
            self.tree.setCurrentItem(item)
            return

    def _selected(self) -> None:
        row = self.selected()
        fill_institutions(self.under, self.ctx.db, _("(top level)"))
        self.under.setCurrentIndex(max(0, self.under.findData(row.id if row else "")))
        self.rename_box.setEnabled(row is not None)
        self.move_box.setEnabled(row is not None)
        self.move_to.clear()
        if row is None:
            self.rename_zh.clear()
            self.rename_en.clear()
            return
        self.rename_zh.setText(row.name_zh)
        self.rename_en.setText(row.name_en)
        allowed = PARENT_LEVELS.get(row.level, frozenset())
        self.move_to.addItem(_("(top level)"), "")
        for depth, node in self.nodes:
            other = node.institution
            if other.level in allowed and other.id != row.id:
                self.move_to.addItem("    " * depth + institution_label(node), other.id)
        self.move_to.setCurrentIndex(max(0, self.move_to.findData(row.parent_id or "")))
        # A child level follows its parent: under a township the usual choice is a village.
        below = {Level.COUNTY: Level.TOWNSHIP, Level.TOWNSHIP: Level.VILLAGE}
        self.level.setCurrentIndex(self.level.findData(str(below.get(Level(row.level), row.level))))

    def _run(self, work, done: str) -> bool:  # type: ignore[no-untyped-def]
        try:
            work()
        except AccountError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        self.message.setText(done)
        self.refresh()
        return True

    def _add(self) -> None:
        from records.institutions import create_institution

        parent_id = self.under.currentData() or None
        name = self.name_zh.text().strip()

        def work() -> None:
            assert self.ctx.user is not None
            create_institution(
                self.ctx.db, self.ctx.user, name, self.level.currentData(),
                name_en=self.name_en.text(), parent_id=parent_id,
                code=self.code.text(),
            )  # fmt: skip

        if self._run(work, _("{name} added.").format(name=name)):
            for field in (self.name_zh, self.name_en, self.code):
                field.clear()

    def _rename(self) -> None:
        from records.institution_tree import rename_institution

        row = self.selected()
        if row is None:
            return
        name = self.rename_zh.text().strip()
        self._run(
            lambda: rename_institution(
                self.ctx.db, self.ctx.user, row.id, name, name_en=self.rename_en.text()
            ),
            _("Renamed to {name}.").format(name=name),
        )

    def _move(self) -> None:
        from records.institution_tree import move_institution

        row = self.selected()
        if row is None:
            return
        target = self.move_to.currentData() or None
        self._run(
            lambda: move_institution(self.ctx.db, self.ctx.user, row.id, target),
            _("{name} moved.").format(name=row.name_zh),
        )
