"""Small shared widgets: a screen base class that re-labels itself, message helpers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QWidget,
)

from xiangyi.i18n import _


class Screen(QWidget):
    """A widget whose ``retranslate()`` runs whenever the language changes."""

    def retranslate(self) -> None:  # pragma: no cover - overridden
        """Set every user-facing string; called at build time and on language change."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def error_label(name: str) -> QLabel:
    """A label for inline, translated error messages (red, wraps, hidden when empty)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setVisible(False)
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def confirm(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.addButton(_("Yes"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(_("No"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is not no


def ask(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    buttons: tuple[str, str],
    on_yes: Callable[[], None],
    *,
    default_yes: bool = True,
) -> QMessageBox:
    """A window-modal, non-blocking question (tests and screen readers can drive it).

    The box is named ``name``; its buttons ``<name>_yes`` / ``<name>_no``. ``on_yes`` runs
    when the first button is chosen.
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(buttons[0], QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName(f"{name}_yes")
    no = box.addButton(buttons[1], QMessageBox.ButtonRole.RejectRole)
    no.setObjectName(f"{name}_no")
    box.setDefaultButton(yes if default_yes else no)

    def answered() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box


def read_only_table(name: str, columns: int, stretch: int = 0) -> QTableWidget:
    """A table of whole-row choices: not editable, columns sized to their text except
    ``stretch``, which takes the remaining width."""
    table = QTableWidget(0, columns, objectName=name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
