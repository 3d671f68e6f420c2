"""The image editor's marks: from and to the model's mappings, and the list beside the film.

Coordinates are kept as floats while drawing and written rounded to a tenth of a
pixel (a whole number when exact), as a trainer writing YAML would.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.studio.ai_editors.fields import (
    TextsWidget,
    bilingual,
    format_number,
    merge,
    parse_number,
)
from desktop.studio.ai_editors.fields import (
    mapping as as_mapping,
)
from desktop.studio.ai_editors.image_canvas import Mark
from xiangyi.i18n import N_, _

KIND_NAMES = {"box": N_("Box"), "contour": N_("Contour"), "blob": N_("Heat-map spot")}
HEADERS = (N_("Mark"), N_("Label (Chinese)"), N_("Label (English)"), N_("Score / weight"))


def pixel(value: float) -> int | float:
    """A coordinate as written: 150, or 150.5."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def _label(mapping: dict[str, Any]) -> tuple[str, str]:
    label = as_mapping(mapping.get("label"))
    return str(label.get("zh_CN") or ""), str(label.get("en") or "")


def marks_from(data: dict[str, Any]) -> list[Mark]:
    """The boxes, contours and heat-map blobs of an image output as marks."""
    marks: list[Mark] = []
    for box in data.get("boxes") or []:
        zh, en = _label(box)
        marks.append(
            Mark(
                "box",
                float(box.get("x", 0)),
                float(box.get("y", 0)),
                float(box.get("w", 1)),
                float(box.get("h", 1)),
                label_zh=zh,
                label_en=en,
                score=box.get("score"),
                source=box,
            )
        )
    for polygon in data.get("polygons") or []:
        zh, en = _label(polygon)
        points = [(float(p[0]), float(p[1])) for p in polygon.get("points") or []]
        x, y = points[0] if points else (0.0, 0.0)
        marks.append(
            Mark(
                "contour",
                x,
                y,
                points=points,
                label_zh=zh,
                label_en=en,
                score=polygon.get("score"),
                source=polygon,
            )
        )
    heat = as_mapping(data.get("heat_map"))
    for blob in heat.get("blobs") or []:
        marks.append(
            Mark(
                "blob",
                float(blob.get("x", 0)),
                float(blob.get("y", 0)),
                float(blob.get("radius", 1)),
                score=blob.get("weight"),
                source=blob,
            )
        )
    return marks


def mark_mappings(
    marks: list[Mark],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Boxes, polygons and blobs as the model's mappings, unchanged values kept."""
    boxes, polygons, blobs = [], [], []
    for mark in marks:
        label = bilingual(mark.label_zh, mark.label_en)
        if mark.kind == "box":
            new: dict[str, Any] = {
                "x": pixel(mark.x),
                "y": pixel(mark.y),
                "w": pixel(mark.w),
                "h": pixel(mark.h),
                "label": label,
                "score": mark.score,
            }
            boxes.append(merge(mark.source, new))
        elif mark.kind == "contour":
            points = [[pixel(x), pixel(y)] for x, y in mark.points]
            new = {"points": points, "label": label, "score": mark.score}
            polygons.append(merge(mark.source, new))
        else:
            new = {"x": pixel(mark.x), "y": pixel(mark.y), "radius": pixel(mark.w)}
            new["weight"] = mark.score
            blobs.append(merge(mark.source, new))
    return boxes, polygons, blobs


class MarksTable(TextsWidget):
    """One row per mark: what it is, its label in both languages, its score or weight."""

    changed = Signal()
    row_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageMarks")
        self.marks: list[Mark] = []
        self._filling = False
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("imageMarksTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        for i, header in enumerate(HEADERS):
            item = QTableWidgetItem()
            self.table.setHorizontalHeaderItem(i, item)
            self.texts.say(item.setText, header)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.itemChanged.connect(self._edited)
        self.table.itemSelectionChanged.connect(self._selected)

    def show_marks(self, marks: list[Mark]) -> None:
        """List ``marks`` (the canvas's own list: edits here change the marks)."""
        self.marks = marks
        self._filling = True
        try:
            self.table.setRowCount(len(marks))
            for row, mark in enumerate(marks):
                kind = QTableWidgetItem(f"{row + 1} {_(KIND_NAMES[mark.kind])}")
                kind.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, 0, kind)
                for col, text in ((1, mark.label_zh), (2, mark.label_en)):
                    item = QTableWidgetItem(text)
                    if mark.kind == "blob":  # a heat-map spot has no label
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.table.setItem(row, col, item)
                self.table.setItem(row, 3, QTableWidgetItem(format_number(mark.score)))
        finally:
            self._filling = False

    def retranslate(self) -> None:
        if self.marks:
            self.show_marks(self.marks)

    def select_row(self, row: int) -> None:
        self._filling = True
        try:
            if row < 0:
                self.table.clearSelection()
            else:
                self.table.selectRow(row)
        finally:
            self._filling = False

    def _selected(self) -> None:
        if not self._filling:
            rows = {i.row() for i in self.table.selectedIndexes()}
            self.row_selected.emit(min(rows) if rows else -1)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or not 0 <= item.row() < len(self.marks):
            return
        mark = self.marks[item.row()]
        if item.column() == 1:
            mark.label_zh = item.text().strip()
        elif item.column() == 2:
            mark.label_en = item.text().strip()
        elif item.column() == 3:
            mark.score = parse_number(item.text())
        self.changed.emit()
