"""Display settings: font size (100–200 %) and a high-contrast theme, applied app-wide."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

FONT_SCALES = (100, 125, 150, 175, 200)

HIGH_CONTRAST = """
QWidget { background: #000000; color: #ffffff; }
QLineEdit, QPlainTextEdit, QTextBrowser, QTableWidget, QListWidget, QComboBox {
    background: #000000; color: #ffffff; border: 2px solid #ffffff; }
QPushButton { background: #000000; color: #ffff00; border: 2px solid #ffff00; padding: 4px 10px; }
QPushButton:focus, QRadioButton:focus, QCheckBox:focus, QLineEdit:focus {
    outline: 3px solid #00ffff; border: 3px solid #00ffff; }
QGroupBox { border: 1px solid #ffffff; margin-top: 1.2em; }
QGroupBox::title { color: #ffff00; }
QHeaderView::section { background: #000000; color: #ffff00; border: 1px solid #ffffff; }
QListWidget::item:selected, QTableWidget::item:selected { background: #ffff00; color: #000000; }
"""

_base_point_size: float | None = None
_scale_percent = 100
HEADING_POINTS = "heading_points"  # widget property: the heading's size at 100 %


def heading(widget: QWidget, points: float) -> None:
    """Make ``widget`` a bold heading of ``points`` at 100 % text size; it grows and
    shrinks with the text size the user picks (a style-sheet size would stay fixed)."""
    widget.setProperty(HEADING_POINTS, points)
    _size_heading(widget)


def _size_heading(widget: QWidget) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    font.setPointSizeF(float(widget.property(HEADING_POINTS)) * _scale_percent / 100)
    widget.setFont(font)


def apply(app: QApplication, scale_percent: int = 100, high_contrast: bool = False) -> None:
    """Scale the application font and switch the high-contrast style sheet."""
    global _base_point_size
    if scale_percent not in FONT_SCALES:
        scale_percent = 100
    font = QFont(app.font())
    if _base_point_size is None:
        _base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    font.setPointSizeF(_base_point_size * scale_percent / 100)
    app.setFont(font)
    app.setStyleSheet(HIGH_CONTRAST if high_contrast else "")
    global _scale_percent
    _scale_percent = scale_percent
    for widget in app.allWidgets():
        if widget.property(HEADING_POINTS) is not None:
            _size_heading(widget)
