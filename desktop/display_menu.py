"""The tool-bar button for display settings: font size and high contrast."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton

from desktop.theme import FONT_SCALES
from xiangyi.i18n import _


class DisplayButton(QToolButton):
    """``changed(scale_percent, high_contrast)`` is emitted when the user picks a setting."""

    changed = Signal(int, bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("display_button")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.size_menu = self.menu_.addMenu("")
        self.size_group = QActionGroup(self)
        self.size_actions: dict[int, QAction] = {}
        for scale in FONT_SCALES:
            action = QAction(f"{scale}%", self, checkable=True)
            action.setObjectName(f"font_{scale}")
            self.size_group.addAction(action)
            self.size_menu.addAction(action)
            self.size_actions[scale] = action
        self.size_actions[100].setChecked(True)
        self.contrast = QAction("", self, checkable=True)
        self.contrast.setObjectName("high_contrast")
        self.menu_.addAction(self.contrast)
        self.setMenu(self.menu_)
        self.size_group.triggered.connect(self._emit)
        self.contrast.toggled.connect(self._emit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Display"))
        self.size_menu.setTitle(_("Text size"))
        self.contrast.setText(_("High contrast"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def scale(self) -> int:
        for scale, action in self.size_actions.items():
            if action.isChecked():
                return scale
        return 100

    def set_state(self, scale: int, high_contrast: bool) -> None:
        """Show saved settings without emitting ``changed``."""
        self.blockSignals(True)
        self.size_group.blockSignals(True)
        self.contrast.blockSignals(True)
        self.size_actions.get(scale, self.size_actions[100]).setChecked(True)
        self.contrast.setChecked(high_contrast)
        self.contrast.blockSignals(False)
        self.size_group.blockSignals(False)
        self.blockSignals(False)

    def _emit(self, *_args: object) -> None:
        self.changed.emit(self.scale(), self.contrast.isChecked())
