"""A table of records (factors, points, alerts, ...) that maps rows to a list of mappings.

Columns name a path into each record (``("label", "zh_CN")``) and how the cell is
typed. Bilingual texts take two adjacent columns, Chinese then English. Rows can be
added, removed and moved, and a block copied from a spreadsheet pastes with Ctrl+V,
adding rows as needed. Each row remembers the mapping it was loaded from, so an
unchanged row comes back unchanged (see :func:`fields.merge`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.studio.ai_editors.fields import (
    TextsWidget,
    format_moment,
    format_number,
    merge,
    parse_moment,
    parse_number,
)
from xiangyi.i18n import N_, _

CellKind = Literal["text", "number", "moment", "bool", "choice", "indexes"]
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One column: its header msgid, where its value sits in a record, and its type.

    ``choices`` (value, label msgid) fill a drop-down; ``optional_group`` names a parent
    key that is left out when every column of the group is empty (an optional bilingual).
    """

    header: str
    path: tuple[str, ...]
    kind: CellKind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    optional_group: str | None = None
    width: int = 0
    default: Any = field(default=None)


def _get(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value


class _PastingTable(QTableWidget):
    """A table that takes a tab-separated block from the clipboard (a spreadsheet copy)."""

    pasted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasted.emit(QApplication.clipboard().text())
            return
        super().keyPressEvent(event)


class RecordTable(TextsWidget):
    """Rows of records with add, remove, move up/down and spreadsheet paste."""

    changed = Signal()

    def __init__(self, name: str, columns: list[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.columns = columns
        self._filling = False
        self.table = _PastingTable(0, len(columns))
        self.table.setObjectName(f"{name}Table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, column in enumerate(columns):
            item = QTableWidgetItem()
            self.table.setHorizontalHeaderItem(i, item)
            self.texts.say(item.setText, column.header)
            if column.width:
                self.table.setColumnWidth(i, column.width)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.up_button = QPushButton()
        self.down_button = QPushButton()
        buttons = QHBoxLayout()
        for button, key, text in (
            (self.add_button, "Add", N_("Add row")),
            (self.remove_button, "Remove", N_("Remove row")),
            (self.up_button, "Up", N_("Move up")),
            (self.down_button, "Down", N_("Move down")),
        ):
            button.setObjectName(f"{name}{key}")
            self.texts.say(button.setText, text)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.table.itemChanged.connect(self._edited)
        self.table.pasted.connect(self.paste)

    # -- rows ------------------------------------------------------------------------------
    def set_records(self, records: list[dict[str, Any]]) -> None:
        """Show ``records`` (the list as loaded), one row each."""
        self._filling = True
        try:
            self.table.setRowCount(0)
            for record in records:
                self._insert(self.table.rowCount(), record)
        finally:
            self._filling = False

    def records(self) -> list[dict[str, Any]]:
        """The rows as mappings, unchanged values kept from the loaded records."""
        return [self._record(row) for row in range(self.table.rowCount())]

    def add_row(self, record: dict[str, Any]) -> int:
        """Append a row (from ``record``) and select it; returns its number."""
        row = self.table.rowCount()
        self._filling = True
        try:
            self._insert(row, record, fresh=True)
        finally:
            self._filling = False
        self.table.selectRow(row)
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        record, source = self._record(row), self._source(row)
        self._filling = True
        try:
            self.table.removeRow(row)
            self._insert(target, record)
            self._item(target, 0).setData(SOURCE_ROLE, source)
        finally:
            self._filling = False
        self.table.selectRow(target)
        self.changed.emit()

    def _insert(self, row: int, record: dict[str, Any], fresh: bool = False) -> None:
        self.table.insertRow(row)
        for i, column in enumerate(self.columns):
            value = _get(record, column.path)
            if value is None and fresh:
                value = column.default
            if column.kind == "choice":
                combo = QComboBox()
                combo.setObjectName(f"{self.objectName()}Choice{i}")
                for choice, label in column.choices:
                    combo.addItem(_(label), choice)
                index = combo.findData(value)
                combo.setCurrentIndex(index if index >= 0 else 0 if fresh else -1)
                combo.currentIndexChanged.connect(self._edited)
                self.table.setCellWidget(row, i, combo)
                self.table.setItem(row, i, QTableWidgetItem())
                continue
            item = QTableWidgetItem()
            if column.kind == "bool":
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checked = Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
                item.setCheckState(checked)
            else:
                item.setText(_cell_text(column.kind, value))
            self.table.setItem(row, i, item)
        self._item(row, 0).setData(SOURCE_ROLE, {} if fresh else record)

    def _item(self, row: int, col: int) -> QTableWidgetItem:
        item = self.table.item(row, col)
        assert item is not None  # every cell gets an item when its row is inserted
        return item

    def _source(self, row: int) -> dict[str, Any]:
        data = self._item(row, 0).data(SOURCE_ROLE)
        return data if isinstance(data, dict) else {}

    def _record(self, row: int) -> dict[str, Any]:
        record: dict[str, Any] = {}
        empty_groups: dict[str, bool] = {}
        for i, column in enumerate(self.columns):
            value = self._cell_value(row, i, column)
            if column.optional_group is not None:
                empty = value in (None, "")
                empty_groups[column.optional_group] = (
                    empty_groups.get(column.optional_group, True) and empty
                )
                value = "" if value is None else value
            _put(record, column.path, value)
        for group, empty in empty_groups.items():
            if empty:
                record[group] = None
        return dict(merge(self._source(row), record))

    def _cell_value(self, row: int, i: int, column: Column) -> Any:
        if column.kind == "choice":
            combo = self.table.cellWidget(row, i)
            return combo.currentData() if isinstance(combo, QComboBox) else None
        item = self._item(row, i)
        if column.kind == "bool":
            return item.checkState() == Qt.CheckState.Checked
        return _parse_cell(column.kind, item.text())

    def _edited(self, *_args: Any) -> None:
        if not self._filling:
            self.changed.emit()

    # -- paste -----------------------------------------------------------------------------
    def paste(self, text: str) -> None:
        """Fill cells from a tab-separated block, starting at the current cell."""
        lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
        if not lines:
            return
        start_row = max(self.table.currentRow(), 0)
        start_col = max(self.table.currentColumn(), 0)
        self._filling = True
        try:
            for r, line in enumerate(lines):
                row = start_row + r
                if row >= self.table.rowCount():
                    self._insert(row, {}, fresh=True)
                for c, cell in enumerate(line.split("\t")):
                    col = start_col + c
                    if col < len(self.columns):
                        self._set_cell(row, col, cell.strip())
        finally:
            self._filling = False
        self.changed.emit()

    def _set_cell(self, row: int, col: int, text: str) -> None:
        column = self.columns[col]
        if column.kind == "choice":
            combo = self.table.cellWidget(row, col)
            if isinstance(combo, QComboBox):
                found = combo.findData(text)
                combo.setCurrentIndex(found if found >= 0 else combo.findText(text))
            return
        item = self._item(row, col)
        if column.kind == "bool":
            on = text.lower() in ("1", "true", "yes", "y", "x", "是", "✓")
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        else:
            item.setText(text)


def _cell_text(kind: CellKind, value: Any) -> str:
    if value is None:
        return ""
    if kind == "number":
        return format_number(value)
    if kind == "moment":
        return format_moment(value)
    if kind == "indexes":
        # Shown counted from 1, as a clinician numbers the lines of a prescription.
        return ", ".join(str(n + 1) if isinstance(n, int) else str(n) for n in value)
    return str(value)


def _parse_cell(kind: CellKind, text: str) -> Any:
    if kind == "number":
        return parse_number(text)
    if kind == "moment":
        return parse_moment(text)
    if kind == "indexes":
        numbers: list[Any] = []
        for part in text.replace("，", ",").split(","):
            value = parse_number(part)
            if value is not None:
                numbers.append(value - 1 if isinstance(value, int) else value)
        return numbers
    return text if text else None
