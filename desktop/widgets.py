"""Small shared widgets: a screen base class that re-labels itself, message helpers."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

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
