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

from case_bank.models import Case, EcgOutput
from desktop.renderers.common import fill_truth_banner
from desktop.renderers.ecg_layout import joined, place
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


def _baseline(placed: Any) -> float:
    """The baseline row a placed segment sits on (multiples of the row spacing)."""
    from desktop.renderers.ecg_layout import ROW_SPACING_MV

    finite = placed.y[np.isfinite(placed.y)]
    centre = float(np.median(finite)) if len(finite) else 0.0
    return float(round(centre / ROW_SPACING_MV) * ROW_SPACING_MV)


class _TimeZoomViewBox(pg.ViewBox):
    """The mouse wheel zooms time only; the locked aspect ratio keeps the paper square."""

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        super().wheelEvent(ev, axis=0)


class EcgView(QWidget):
    """Shows one ``EcgOutput`` with its signal (array [lead, sample], in mV)."""

    shows_raw_input = True  # the tracing alone, without label, beat marks or findings

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
        self.truth_banner = _named(QLabel(), "ecgTruthBanner")
        self.truth_banner.setWordWrap(True)
        self.truth_banner.setVisible(False)
        self.truth_case: Case | None = None
        self.ai_hidden = False
        self.calipers_toggle = _named(QCheckBox(), "ecgCalipersToggle")
        self.caliper_text = _named(QLabel(), "ecgCaliperText")
        self.lead_labels: list[Any] = []

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
        caliper_pen = pg.mkPen(color=(20, 110, 60), width=2)
        self.calipers = [
            pg.InfiniteLine(pos=p, angle=90, movable=True, pen=caliper_pen) for p in (1.0, 1.8)
        ]
        for line in self.calipers:
            line.setVisible(False)
            line.sigPositionChanged.connect(self._caliper_moved)
            self.plot.addItem(line)

        header = QHBoxLayout()
        header.addWidget(self.label_text, 1)
        header.addWidget(self.simulated_badge)
        controls = QHBoxLayout()
        controls.addWidget(self.scale_text)
        controls.addStretch(1)
        controls.addWidget(self.caliper_text)
        controls.addWidget(self.calipers_toggle)
        controls.addWidget(self.beats_toggle)
        controls.addWidget(self.info_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.truth_banner)
        layout.addWidget(self.findings_text)
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls)
        layout.addWidget(self.info_panel)

        self.beats_toggle.toggled.connect(self.beat_marks.setVisible)
        self.info_button.toggled.connect(self.info_panel.setVisible)
        self.calipers_toggle.toggled.connect(self._calipers_shown)
        self.retranslate()
        if output is not None and signal is not None:
            self.show_output(output, signal)

    def show_output(self, output: EcgOutput, signal: Any) -> None:
        """Draw ``signal`` on paper: one strip, or the 12-lead layout, with beat marks."""
        samples = np.asarray(signal, dtype=np.float64)
        if samples.ndim == 1:
            samples = samples[None, :]
        fs = float(output.sampling_rate)
        duration = samples.shape[1] / fs
        self.output = output
        placed = place(samples, list(output.leads), fs)
        self.trace.setData(*joined(placed), connect="finite")
        for item in self.lead_labels:
            self.plot.removeItem(item)
        self.lead_labels = []
        if len(placed) > 1:
            for segment in placed:
                text = pg.TextItem(segment.label, color=(0, 0, 0), anchor=(0, 1))
                text.setPos(*segment.label_at)
                self.plot.addItem(text)
                self.lead_labels.append(text)

        c0 = CALIBRATION_START_S
        baselines = sorted({_baseline(p) for p in placed}, reverse=True)
        pulse_x = [c0, c0 + 0.1, c0 + 0.1, c0 + 0.3, c0 + 0.3, c0 + 0.4, np.nan]
        self.calibration.setData(
            np.concatenate([pulse_x for _b in baselines]),
            np.concatenate([[b, b, b + 1, b + 1, b, b, np.nan] for b in baselines]),
            connect="finite",
        )

        rhythm = placed[-1]  # the rhythm strip (or the single strip) carries the beat marks
        lead = rhythm.y
        beat_times = np.array([b.time_s for b in output.beats], dtype=np.float64)
        index = np.clip(np.round(beat_times * fs).astype(int), 0, max(len(lead) - 1, 0))
        heights = lead[index] + 0.3 if len(lead) else np.zeros(len(beat_times))
        self.beat_marks.setData(x=beat_times, y=heights, data=[b.label for b in output.beats])
        self.beat_marks.setVisible(self.beats_toggle.isChecked())

        # The view frames the traces; the paper reaches well beyond them vertically so the
        # locked aspect ratio never shows a blank band above or below.
        x0, x1 = c0 - MAJOR_S, np.ceil(duration / MAJOR_S) * MAJOR_S + MAJOR_S
        low = min(float(np.nanmin(lead)) if len(lead) else 0.0, baselines[-1])
        high = max(float(np.nanmax(placed[0].y)) if len(lead) else 1.0, baselines[0] + 1.0) + 0.5
        y0 = np.floor(low / MAJOR_MV) * MAJOR_MV - MAJOR_MV
        y1 = np.ceil(high / MAJOR_MV) * MAJOR_MV + MAJOR_MV
        p0, p1 = y0 - PAPER_MARGIN_MV, y1 + PAPER_MARGIN_MV
        self.minor_grid.setData(*_grid_lines(x0, x1, p0, p1, MINOR_S, MINOR_MV))
        self.major_grid.setData(*_grid_lines(x0, x1, p0, p1, MAJOR_S, MAJOR_MV))
        self.view_box.setLimits(xMin=x0, xMax=x1, minXRange=0.5, maxXRange=x1 - x0)
        self.view_box.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.retranslate()

    def set_ai_hidden(self, hidden: bool) -> None:
        """The tracing alone for the own read: no AI label, findings or beat marks."""
        self.ai_hidden = hidden
        self.beats_toggle.setVisible(not hidden)
        self.beat_marks.setVisible(not hidden and self.beats_toggle.isChecked())
        self.retranslate()

    def show_truth(self, case: Case) -> None:
        """After the decision (practice mode): say whether the AI was right, and why."""
        self.truth_case = case
        fill_truth_banner(self.truth_banner, case)
        self.truth_banner.setVisible(True)

    def _calipers_shown(self, on: bool) -> None:
        (x0, x1), _y = self.view_box.viewRange()
        start = x0 + (x1 - x0) * 0.3
        self.calipers[0].setValue(start)
        self.calipers[1].setValue(start + 0.8)
        for line in self.calipers:
            line.setVisible(on)
        self.caliper_text.setVisible(on)
        self._caliper_moved()

    def caliper_interval(self) -> float:
        """Seconds between the two caliper lines."""
        return abs(float(self.calipers[1].value()) - float(self.calipers[0].value()))

    def _caliper_moved(self, *_args: Any) -> None:
        seconds = self.caliper_interval()
        rate = 60.0 / seconds if seconds > 0 else 0.0
        self.caliper_text.setText(
            _("Interval {ms} ms · rate {rate}/min").format(
                ms=round(seconds * 1000), rate=round(rate)
            )
        )

    def retranslate(self) -> None:
        """Set every translated string again (after a language switch)."""
        self.simulated_badge.setText(_("Simulated signal"))
        self.beats_toggle.setText(_("Show AI beat marks"))
        self.info_button.setText(_("Tool information"))
        self.info_button.setToolTip(_("What the tool is for and how well it performs"))
        self.scale_text.setText(_("25 mm/s · 10 mm/mV"))
        self.calipers_toggle.setText(_("Calipers"))
        self.calipers_toggle.setToolTip(_("Two lines to drag; the interval and rate are shown"))
        if self.calipers_toggle.isChecked():
            self._caliper_moved()
        else:
            self.caliper_text.setVisible(False)
        if self.truth_case is not None:
            fill_truth_banner(self.truth_banner, self.truth_case)
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
                lead=", ".join(output.leads) if len(output.leads) < 12 else _("12-lead"),
            )
        )
        self.findings_text.setText("\n".join(f"• {f.get()}" for f in output.findings))
        self.findings_text.setVisible(bool(output.findings) and not self.ai_hidden)
        if self.ai_hidden:
            self.label_text.setText(
                _("The AI's reading is hidden until you record your own impression.")
            )
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
