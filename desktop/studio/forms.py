"""Form fields bound to one field of a case: each shows a value and reports edits.

A field knows its path in the case (``("presentation", "history")``); ``edited`` carries
the new plain value, which the studio applies to the document (one undo step per field
while typing). ``show`` fills the widget without reporting an edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from case_bank.authoring.yamldoc import Path_
from xiangyi.i18n import _

LANGUAGES = ("zh_CN", "en")


def number(text: str) -> int | float | str:
    """Typed text as a whole number, a number, or the text itself (validation explains)."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def shown(value: Any) -> str:
    return "" if value is None else str(value)


class Field(QWidget):
    """Base of the bound fields; ``edited(path, value)`` after each change by the user."""

    edited = Signal(object, object)

    def __init__(self, path: Path_, name: str) -> None:
        super().__init__()
        self.path = path
        self.setObjectName(name)
        self.loading = False

    def show_value(self, value: Any) -> None:
        self.loading = True
        try:
            self.fill(value)
        finally:
            self.loading = False

    def fill(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError  # an abstract hook: Qt classes cannot use abc.ABC

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError  # an abstract hook: Qt classes cannot use abc.ABC

    def report(self, *_args: Any) -> None:
        if not self.loading:
            self.edited.emit(self.path, self.value())

    def focus(self) -> None:
        """Put the keyboard focus on the field (a clicked validation message)."""
        target = self.focus_target()
        target.setFocus()

    def focus_target(self) -> QWidget:
        return self


def _row(widget: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class TextField(Field):
    def __init__(self, path: Path_, name: str, *, numeric: bool = False) -> None:
        super().__init__(path, name)
        self.numeric = numeric
        self.edit = QLineEdit(objectName=f"{name}_edit")
        _row(self).addWidget(self.edit)
        self.edit.textEdited.connect(self.report)

    def fill(self, value: Any) -> None:
        self.edit.setText(shown(value))

    def value(self) -> Any:
        return number(self.edit.text()) if self.numeric else self.edit.text()

    def focus_target(self) -> QWidget:
        return self.edit


class BoolField(Field):
    def __init__(self, path: Path_, name: str) -> None:
        super().__init__(path, name)
        self.box = QCheckBox(objectName=f"{name}_box")
        _row(self).addWidget(self.box)
        self.box.toggled.connect(self.report)

    def fill(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def value(self) -> Any:
        return self.box.isChecked()


class ChoiceField(Field):
    """One value from a vocabulary; ``choices`` are (value, msgid-or-label) pairs."""

    def __init__(self, path: Path_, name: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__(path, name)
        self.combo = QComboBox(objectName=f"{name}_combo")
        self.choices = list(choices)
        _row(self).addWidget(self.combo)
        self.relabel()
        self.combo.currentIndexChanged.connect(self.report)

    def relabel(self) -> None:
        self.loading, current = True, self.combo.currentData()
        self.combo.clear()
        for value, label in self.choices:
            self.combo.addItem(_(label) if label else value, value)
        self.combo.setCurrentIndex(max(self.combo.findData(current), 0))
        self.loading = False

    def fill(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0:
            index = self.combo.findData(shown(value))
        if index < 0:  # a value outside the vocabulary stays visible (validation names it)
            self.combo.addItem(shown(value), shown(value))
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def value(self) -> Any:
        return self.combo.currentData()


class ChecksField(Field):
    """Several values from a list (domains, limitation flags, action ids)."""

    def __init__(self, path: Path_, name: str, choices: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(path, name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        self.order: list[str] = []
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        checked = self.value() if self.boxes else []
        for box in self.boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.boxes = {}
        self.choices = list(choices)
        for value, label in choices:
            box = QCheckBox(_(label) if label else value, objectName=f"{self.objectName()}_{value}")
            box.toggled.connect(self.report)
            self.layout_.addWidget(box)
            self.boxes[value] = box
        self.show_value(checked)

    def relabel(self) -> None:
        for value, label in self.choices:
            self.boxes[value].setText(_(label) if label else value)

    def fill(self, value: Any) -> None:
        values = [str(v) for v in value] if isinstance(value, list) else []
        self.order = values
        for key, box in self.boxes.items():
            box.setChecked(key in values)

    def value(self) -> Any:
        # Keep the order already written; newly ticked values go at the end.
        ticked = [key for key, box in self.boxes.items() if box.isChecked()]
        kept = [v for v in self.order if v in ticked or v not in self.boxes]
        return kept + [v for v in ticked if v not in kept]

    def report(self, *_args: Any) -> None:
        if not self.loading:
            value = self.value()
            self.order = value
            self.edited.emit(self.path, value)


class BilingualField(Field):
    """One text in Chinese (left) and English (right), side by side."""

    def __init__(self, path: Path_, name: str, *, multiline: bool = False) -> None:
        super().__init__(path, name)
        row = _row(self)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for language in LANGUAGES:
            edit: QLineEdit | QPlainTextEdit
            if multiline:
                edit = QPlainTextEdit(objectName=f"{name}_{language}")
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 6 + 12)
                edit.textChanged.connect(self.report)
            else:
                edit = QLineEdit(objectName=f"{name}_{language}")
                edit.textEdited.connect(self.report)
            self.edits[language] = edit
            row.addWidget(edit, 1)
        self.relabel()

    def relabel(self) -> None:
        for language, edit in self.edits.items():
            edit.setPlaceholderText(_("Chinese") if language == "zh_CN" else _("English"))

    def fill(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for language, edit in self.edits.items():
            text = shown(value.get(language))
            if isinstance(edit, QPlainTextEdit):
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
            elif edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)  # show the start of a long text

    def value(self) -> Any:
        return {
            language: edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
            for language, edit in self.edits.items()
        }

    def focus_target(self) -> QWidget:
        empty = [e for e in self.edits.values() if not self._text(e).strip()]
        return empty[0] if empty else self.edits["zh_CN"]

    @staticmethod
    def _text(edit: QLineEdit | QPlainTextEdit) -> str:
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()


Column = tuple[Path_, str, str]  # (path inside an item, msgid of the heading, "text"|"number")


class TableField(Field):
    """A list of small groups (options, vitals, sources, teaching points) as a table."""

    def __init__(
        self, path: Path_, name: str, columns: Sequence[Column], *, template: Any = None
    ) -> None:
        super().__init__(path, name)
        self.columns = list(columns)
        self.template = template
        self.items: list[Any] = []
        self.table = QTableWidget(0, len(self.columns), objectName=f"{name}_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.add_button = QPushButton(objectName=f"{name}_add")
        self.remove_button = QPushButton(objectName=f"{name}_remove")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(self.report)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.relabel()

    def relabel(self) -> None:
        self.table.setHorizontalHeaderLabels([_(label) for _path, label, _kind in self.columns])
        self.add_button.setText(_("Add a row"))
        self.remove_button.setText(_("Remove the row"))

    def fill(self, value: Any) -> None:
        self.items = list(value) if isinstance(value, list) else []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for column, (path, _label, _kind) in enumerate(self.columns):
                self.table.setItem(row, column, QTableWidgetItem(shown(_get(item, path))))
        self.table.setFixedHeight(min(60 + 30 * max(len(self.items), 1), 260))

    def value(self) -> Any:
        result = []
        for row in range(self.table.rowCount()):
            item = _copy(self.items[row]) if row < len(self.items) else _copy(self.template)
            for column, (path, _label, kind) in enumerate(self.columns):
                cell = self.table.item(row, column)
                text = cell.text() if cell is not None else ""
                if kind == "number" and not text and isinstance(item, dict) and len(path) == 1:
                    item.pop(path[0], None)  # an empty number is an optional field left out
                    continue
                item = _put(item, path, number(text) if kind == "number" and text else text)
            result.append(item)
        return result

    def add_row(self) -> None:
        self.items = [*self.value(), _copy(self.template)]
        self.show_value(self.items)
        self.report()
        self.table.setCurrentCell(len(self.items) - 1, 0)
        self.table.setFocus()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        items = self.value()
        del items[row]
        self.show_value(items)
        self.report()

    def focus_target(self) -> QWidget:
        return self.table


def _copy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value) if value is not None else {}


def _get(item: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(item, dict):
            item = item.get(part)
        else:
            return item if not path else None
    return item


def _put(item: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    item = dict(item) if isinstance(item, dict) else {}
    item[path[0]] = _put(item.get(path[0]), path[1:], value)
    return item


class CreditsField(Field):
    """The scoring key's credit per interpretation (1 full, fractions partial, empty none)."""

    def __init__(self, path: Path_, name: str) -> None:
        super().__init__(path, name)
        self.options: list[tuple[str, str]] = []
        self.credits: dict[str, Any] = {}
        self.table = QTableWidget(0, 2, objectName=f"{name}_table")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        _row(self).addWidget(self.table)
        self.table.itemChanged.connect(self.report)
        self.relabel()

    def relabel(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Interpretation"), _("Credit (0-1)")])

    def set_options(self, options: list[tuple[str, str]]) -> None:
        self.options = options
        self.show_value(self.credits)

    def fill(self, value: Any) -> None:
        self.credits = dict(value) if isinstance(value, dict) else {}
        ids = [oid for oid, _text in self.options]
        rows = self.options + [(k, k) for k in self.credits if k not in ids]
        self.table.setRowCount(len(rows))
        for row, (option_id, text) in enumerate(rows):
            label = QTableWidgetItem(f"{option_id}: {text}" if text != option_id else option_id)
            label.setData(256, option_id)
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(shown(self.credits.get(option_id))))
        self.table.setFixedHeight(min(60 + 30 * max(len(rows), 1), 300))

    def value(self) -> Any:
        credits: dict[str, Any] = {}
        for row in range(self.table.rowCount()):
            label, cell = self.table.item(row, 0), self.table.item(row, 1)
            if label is None or cell is None or not cell.text().strip():
                continue
            credits[str(label.data(256))] = number(cell.text())
        self.credits = credits
        return credits

    def focus_target(self) -> QWidget:
        return self.table
