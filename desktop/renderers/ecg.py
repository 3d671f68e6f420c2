"""ECG renderer: a strip on ECG paper with the AI's rhythm label, confidence and beat marks.

Drawn at the standard 25 mm/s and 10 mm/mV: one small square (1 mm) is 0.04 s by 0.1 mV,
and the view's aspect ratio is locked so squares stay square at any zoom. Imported lazily
by the case player, so pyqtgraph and numpy load only when an ECG case is shown.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from case_bank.models import EcgOutput
from xiangyi.i18n import _

MINOR_S, MINOR_MV = 0.04, 0.1  # 1 mm
MAJOR_S, MAJOR_MV = 0.2, 0.5  # 5 mm
# pyqtgraph's ratio is x-pixels-per-unit over y-pixels-per-unit: 25 mm/s over 10 mm/mV.
ASPECT = 25.0 / 10.0
CALIBRATION_START_S = -0.4  # the 1 mV x 0.2 s pulse sits just before the strip starts
PAPER_MARGIN_MV = 4.0

PAPER = "#ffffff"
MINOR_PEN = pg.mkPen(color=(248, 200, 210), width=1)
MAJOR_PEN = pg.mkPen(color=(232, 130, 150), width=1)
# Width 1 keeps Qt on its fast path for antialiased lines: about 4 ms instead of 25 ms.
TRACE_PEN = pg.mkPen(color=(0, 0, 0), width=1)
MARK_BRUSH = pg.mkBrush(30, 90, 200)
BADGE_STYLE = (
    "QLabel { color: #7c2d12; background: #ffedd5; border: 1px solid #ea580c;"
    " border-radius: 3px; padding: 2px 8px; font-weight: bold; }"
)
PANEL_STYLE = (
    "QLabel { background: #f1f5f9; border: 1px solid #94a3b8; border-radius: 3px; padding: 6px; }"
)


def _percent(value: float) -> str:
    """0.94 → '94', 0.925 → '92.5'."""
    return f"{value * 100:.1f}".rstrip("0").rstrip(".")


def _grid_lines(x0: float, x1: float, y0: float, y1: float, dx: float, dy: float) -> Any:
    """Endpoints of every vertical and horizontal line, for one item with connect='pairs'."""
    xs = np.arange(np.ceil(x0 / dx - 1e-9), np.floor(x1 / dx + 1e-9) + 1) * dx
    ys = np.arange(np.ceil(y0 / dy - 1e-9), np.floor(y1 / dy + 1e-9) + 1) * dy
    vx = np.repeat(xs, 2)
    vy = np.tile([y0, y1], len(xs))
    hx = np.tile([x0, x1], len(ys))
    hy = np.repeat(ys, 2)
    return np.concatenate([vx, hx]), np.concatenate([vy, hy])


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    """Give ``widget`` an object name, so tests and style sheets can find it."""
    widget.setObjectName(name)
    return widget


class _TimeZoomViewBox(pg.ViewBox):
    """The mouse wheel zooms time only; the locked aspect ratio keeps the paper square."""

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        super().wheelEvent(ev, axis=0)


class EcgView(QWidget):
    """Shows one ``EcgOutput`` with its signal (array [lead, sample], in mV)."""

    def __init__(
        self,
        output: EcgOutput | None = None,
        signal: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ecgView")
        self.output: EcgOutput | None = None

        self.label_text = _named(QLabel(), "ecgLabel")
        self.label_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.label_text.font()
        font.setBold(True)
        self.label_text.setFont(font)
        self.simulated_badge = _named(QLabel(), "ecgSimulatedBadge")
        self.simulated_badge.setStyleSheet(BADGE_STYLE)
        self.findings_text = _named(QLabel(), "ecgFindings")
        self.findings_text.setWordWrap(True)
        self.beats_toggle = _named(QCheckBox(), "ecgBeatsToggle")
        self.beats_toggle.setChecked(True)
        self.info_button = _named(QToolButton(), "ecgInfoButton")
        self.info_button.setCheckable(True)
        self.info_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.scale_text = _named(QLabel(), "ecgScale")
        self.info_panel = _named(QLabel(), "ecgInfoPanel")
        self.info_panel.setWordWrap(True)
        self.info_panel.setStyleSheet(PANEL_STYLE)
        self.info_panel.setVisible(False)

        self.view_box = _TimeZoomViewBox(enableMenu=False)
        self.plot = pg.PlotWidget(viewBox=self.view_box, background=PAPER)
        self.plot.setObjectName("ecgPlot")
        self.plot.hideButtons()
        for side in ("left", "bottom"):
            self.plot.hideAxis(side)
        self.view_box.setAspectLocked(True, ratio=ASPECT)
        self.plot.setMinimumHeight(180)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.minor_grid = pg.PlotDataItem(pen=MINOR_PEN, connect="pairs")
        self.major_grid = pg.PlotDataItem(pen=MAJOR_PEN, connect="pairs")
        self.calibration = pg.PlotDataItem(pen=TRACE_PEN)
        self.trace = pg.PlotDataItem(pen=TRACE_PEN, antialias=True)
        self.beat_marks = pg.ScatterPlotItem(
            symbol="t", size=10, pen=pg.mkPen(None), brush=MARK_BRUSH
        )
        for item in (self.minor_grid, self.major_grid, self.calibration, self.trace):
            self.plot.addItem(item)
        self.plot.addItem(self.beat_marks)

        header = QHBoxLayout()
        header.addWidget(self.label_text, 1)
        header.addWidget(self.simulated_badge)
        controls = QHBoxLayout()
        controls.addWidget(self.scale_text)
        controls.addStretch(1)
        controls.addWidget(self.beats_toggle)
        controls.addWidget(self.info_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.findings_text)
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls)
        layout.addWidget(self.info_panel)

        self.beats_toggle.toggled.connect(self.beat_marks.setVisible)
        self.info_button.toggled.connect(self.info_panel.setVisible)
        self.retranslate()
        if output is not None and signal is not None:
            self.show_output(output, signal)

    def show_output(self, output: EcgOutput, signal: Any) -> None:
        """Draw ``signal`` (first lead) on paper with the AI's beat marks."""
        samples = np.asarray(signal, dtype=np.float64)
        if samples.ndim == 1:
            samples = samples[None, :]
        lead = samples[0]
        fs = float(output.sampling_rate)
        duration = len(lead) / fs
        self.output = output
        times = np.arange(len(lead)) / fs
        self.trace.setData(times, lead)

        c0 = CALIBRATION_START_S
        self.calibration.setData(
            [c0, c0 + 0.1, c0 + 0.1, c0 + 0.3, c0 + 0.3, c0 + 0.4], [0, 0, 1, 1, 0, 0]
        )

        beat_times = np.array([b.time_s for b in output.beats], dtype=np.float64)
        index = np.clip(np.round(beat_times * fs).astype(int), 0, max(len(lead) - 1, 0))
        heights = lead[index] + 0.3 if len(lead) else np.zeros(len(beat_times))
        self.beat_marks.setData(x=beat_times, y=heights, data=[b.label for b in output.beats])
        self.beat_marks.setVisible(self.beats_toggle.isChecked())

        # The view frames the trace; the paper reaches well beyond it vertically so the
        # locked aspect ratio never shows a blank band above or below.
        x0, x1 = c0 - MAJOR_S, np.ceil(duration / MAJOR_S) * MAJOR_S + MAJOR_S
        low = min(float(lead.min()) if len(lead) else 0.0, 0.0)
        high = max(float(lead.max()) if len(lead) else 1.0, 1.0) + 0.5
        y0 = np.floor(low / MAJOR_MV) * MAJOR_MV - MAJOR_MV
        y1 = np.ceil(high / MAJOR_MV) * MAJOR_MV + MAJOR_MV
        p0, p1 = y0 - PAPER_MARGIN_MV, y1 + PAPER_MARGIN_MV
        self.minor_grid.setData(*_grid_lines(x0, x1, p0, p1, MINOR_S, MINOR_MV))
        self.major_grid.setData(*_grid_lines(x0, x1, p0, p1, MAJOR_S, MAJOR_MV))
        self.view_box.setLimits(xMin=x0, xMax=x1, minXRange=0.5, maxXRange=x1 - x0)
        self.view_box.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every translated string again (after a language switch)."""
        self.simulated_badge.setText(_("Simulated signal"))
        self.beats_toggle.setText(_("Show AI beat marks"))
        self.info_button.setText(_("Tool information"))
        self.info_button.setToolTip(_("What the tool is for and how well it performs"))
        self.scale_text.setText(_("25 mm/s · 10 mm/mV"))
        output = self.output
        if output is None:
            self.label_text.setText("")
            self.findings_text.setText("")
            self.info_panel.setText("")
            return
        self.label_text.setText(
            _("AI rhythm: {label} · confidence {confidence}% · lead {lead}").format(
                label=output.label.get(),
                confidence=_percent(output.confidence),
                lead=output.leads[0],
            )
        )
        self.findings_text.setText("\n".join(f"• {f.get()}" for f in output.findings))
        self.findings_text.setVisible(bool(output.findings))
        tool = output.tool
        self.info_panel.setText(
            "\n".join(
                [
                    _("Tool: {name} (version {version})").format(
                        name=tool.name.get(), version=tool.version
                    ),
                    _("Intended use: {use}").format(use=tool.intended_use.get()),
                    _("Stated sensitivity: {value}%").format(value=_percent(tool.sensitivity)),
                    _("Stated specificity: {value}%").format(value=_percent(tool.specificity)),
                ]
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
