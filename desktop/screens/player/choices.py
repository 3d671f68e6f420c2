"""Keyboard-friendly choice groups used by the own-read and decision stages."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


class SingleChoice(QGroupBox):
    """Radio buttons for options given as (id, text) pairs."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.layout_ = QVBoxLayout(self)

    def set_options(self, options: list[tuple[str, str]]) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.setParent(None)  # gone from the tree at once, not at the next event loop
            button.deleteLater()
        self.buttons = {}
        for option_id, text in options:
            button = QRadioButton(text, self)
            button.setObjectName(f"{self.objectName()}_{option_id}")
            self.group.addButton(button)
            self.layout_.addWidget(button)
            self.buttons[option_id] = button

    def relabel(self, options: list[tuple[str, str]]) -> None:
        for option_id, text in options:
            if option_id in self.buttons:
                self.buttons[option_id].setText(text)

    def value(self) -> str | None:
        for option_id, button in self.buttons.items():
            if button.isChecked():
                return option_id
        return None

    def set_value(self, option_id: str | None) -> None:
        """Check ``option_id``; None clears the choice."""
        if option_id in self.buttons:
            self.buttons[option_id].setChecked(True)
            return
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def focus_first(self) -> None:
        checked = self.group.checkedButton()
        target = checked or next(iter(self.buttons.values()), None)
        if target is not None:
            target.setFocus()


class MultiChoice(QGroupBox):
    """Check boxes for options given as (id, text) pairs."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.boxes: dict[str, QCheckBox] = {}
        self.layout_ = QVBoxLayout(self)

    def set_options(self, options: list[tuple[str, str]]) -> None:
        for box in self.boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.boxes = {}
        for option_id, text in options:
            box = QCheckBox(text, self)
            box.setObjectName(f"{self.objectName()}_{option_id}")
            self.layout_.addWidget(box)
            self.boxes[option_id] = box

    def relabel(self, options: list[tuple[str, str]]) -> None:
        for option_id, text in options:
            if option_id in self.boxes:
                self.boxes[option_id].setText(text)

    def values(self) -> list[str]:
        return [option_id for option_id, box in self.boxes.items() if box.isChecked()]
