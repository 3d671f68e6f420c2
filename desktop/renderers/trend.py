"""Trend renderer: follow-up series with the AI's forecast band and alert markers.

pyqtgraph draws each series as a line with points, the forecast as a dashed line over a
shaded lower–upper band, and alerts as triangles on the series they are about. Times
are dates (a date axis) or day numbers, as the model gives them.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from case_bank.outputs import AlertSeverity
from case_bank.outputs_numeric import TrendOutput
from desktop.renderers.common import SEVERITY_COLOURS, OutputView, chip_html, label_of, named
from xiangyi.i18n import _

SERIES_COLOURS = ("#1d4ed8", "#0f766e", "#7c3aed", "#b45309", "#be185d", "#334155")
FORECAST_COLOUR = QColor("#ea580c")
DAY = 86400.0


def _x(moment: date | int) -> float:
    """A moment on the x axis: seconds since the epoch for a date, the day number otherwise."""
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day, 12).timestamp()
    return float(moment)


class TrendView(OutputView):
    """Shows one ``TrendOutput``: series, forecast band, alerts and a legend."""

    shows_raw_input = True  # the measured series, without forecast, alerts or summary

    def __init__(self, output: TrendOutput, parent: QWidget | None = None) -> None:
        super().__init__(output, "trend", parent)
        self.output: TrendOutput = output
        self.dated = isinstance(output.series[0].points[0].t, date)
        axes = {"bottom": pg.DateAxisItem(orientation="bottom")} if self.dated else {}
        self.plot = named(pg.PlotWidget(background="#ffffff", axisItems=axes), "trendPlot")
        self.plot.setMinimumHeight(180)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTextPen("#334155")
        self.legend = self.plot.addLegend(
            offset=(10, 10),
            labelTextColor="#0f172a",
            labelTextSize=f"{self.font().pointSizeF():.0f}pt",  # follows the font setting
        )
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.legend.setPen(pg.mkPen("#cbd5e1"))

        self.curves: list[pg.PlotDataItem] = []
        for i, series in enumerate(output.series):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            curve = pg.PlotDataItem(
                [_x(p.t) for p in series.points],
                [p.value for p in series.points],
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=7,
                symbolBrush=colour,
                symbolPen=pg.mkPen("#ffffff"),
                name=f"{series.name.get()} ({series.unit})",
            )
            self.plot.addItem(curve)
            self.curves.append(curve)

        self.forecast_curve: pg.PlotDataItem | None = None
        self.forecast_band: pg.FillBetweenItem | None = None
        self.forecast_items: list[Any] = []
        if output.forecast is not None:
            self._add_forecast()

        xs, ys, brushes = [], [], []
        for alert in output.alerts:
            xs.append(_x(alert.t))
            ys.append(self._value_at(alert.t))
            brushes.append(pg.mkBrush(SEVERITY_COLOURS[alert.severity][2]))
        self.alert_marks = pg.ScatterPlotItem(
            x=xs, y=ys, symbol="t1", size=16, brush=brushes, pen=pg.mkPen("#111827", width=1)
        )
        self.alert_marks.setZValue(20)
        self.plot.addItem(self.alert_marks)

        self.forecast_toggle = named(QCheckBox(), "trendForecastToggle")
        self.forecast_toggle.setChecked(output.forecast is not None)
        self.forecast_toggle.setEnabled(output.forecast is not None)
        self.alerts_toggle = named(QCheckBox(), "trendAlertsToggle")
        self.alerts_toggle.setChecked(bool(output.alerts))
        self.alerts_toggle.setEnabled(bool(output.alerts))
        self.alerts_text = named(QLabel(), "trendAlerts")
        self.alerts_text.setWordWrap(True)
        self.alerts_text.setTextFormat(Qt.TextFormat.RichText)
        controls = QHBoxLayout()
        controls.addWidget(self.alerts_text, 1)
        controls.addWidget(self.forecast_toggle, 0, Qt.AlignmentFlag.AlignTop)
        controls.addWidget(self.alerts_toggle, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(self.plot, 1)
        self.body.addLayout(controls)

        self.forecast_toggle.toggled.connect(self._show_forecast)
        self.alerts_toggle.toggled.connect(self.alert_marks.setVisible)
        self.plot.getViewBox().autoRange(padding=0.08)
        self.retranslate()

    def _add_forecast(self) -> None:
        forecast = self.output.forecast
        assert forecast is not None
        source = self.output.series[forecast.series]
        last = source.points[-1]
        # The forecast line starts at the last measurement so the two read as one story.
        xs = [_x(last.t), *(_x(p.t) for p in forecast.points)]
        ys = [last.value, *(p.value for p in forecast.points)]
        self.forecast_curve = pg.PlotDataItem(
            xs,
            ys,
            pen=pg.mkPen(FORECAST_COLOUR, width=2, style=Qt.PenStyle.DashLine),
            symbol="d",
            symbolSize=8,
            symbolBrush=FORECAST_COLOUR,
            symbolPen=pg.mkPen(FORECAST_COLOUR),
            name=self._forecast_name(),
        )
        self.plot.addItem(self.forecast_curve)
        self.forecast_items.append(self.forecast_curve)
        if forecast.lower and forecast.upper:
            lower = pg.PlotDataItem(xs, [last.value, *forecast.lower], pen=pg.mkPen(None))
            upper = pg.PlotDataItem(xs, [last.value, *forecast.upper], pen=pg.mkPen(None))
            fill = QColor(FORECAST_COLOUR)
            fill.setAlpha(45)
            self.forecast_band = pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(fill))
            self.forecast_band.setZValue(-5)
            for item in (lower, upper, self.forecast_band):
                self.plot.addItem(item)
                self.forecast_items.append(item)

    def _forecast_name(self) -> str:
        forecast = self.output.forecast
        if forecast is not None and forecast.lower and forecast.upper:
            return _("AI forecast (shaded: forecast range)")
        return _("AI forecast")

    def _value_at(self, moment: date | int) -> float:
        """The value an alert points at: a measurement at that time, else the highest one."""
        for series in self.output.series:
            for point in series.points:
                if point.t == moment:
                    return point.value
        if self.output.forecast is not None:
            for point in self.output.forecast.points:
                if point.t == moment:
                    return point.value
        return max(p.value for s in self.output.series for p in s.points)

    def hide_ai_body(self, hidden: bool) -> None:
        """The measurements alone for the own read: no forecast, alerts or summary."""
        has_forecast = self.output.forecast is not None
        self._show_forecast(not hidden and has_forecast and self.forecast_toggle.isChecked())
        for sample, label in self.legend.items:
            if sample.item is self.forecast_curve:
                sample.setVisible(not hidden)
                label.setVisible(not hidden)
        self.alert_marks.setVisible(not hidden and self.alerts_toggle.isChecked())
        for widget in (self.alerts_text, self.forecast_toggle, self.alerts_toggle):
            widget.setVisible(not hidden)

    def _show_forecast(self, visible: bool) -> None:
        for item in self.forecast_items:
            item.setVisible(visible)

    def header_text(self) -> str:
        label = self.output.label
        return _("AI summary: {label}").format(label=label.get()) if label else _("AI trend review")

    def retranslate_body(self) -> None:
        output = self.output
        self.forecast_toggle.setText(_("Show AI forecast"))
        self.alerts_toggle.setText(_("Show alerts"))
        units = sorted({s.unit for s in output.series})
        self.plot.setLabel("left", " / ".join(units))
        self.plot.setLabel("bottom", _("Date") if self.dated else _("Day"))
        for curve, series in zip(self.curves, output.series, strict=True):
            self.legend.getLabel(curve).setText(f"{series.name.get()} ({series.unit})")
        if self.forecast_curve is not None:
            self.legend.getLabel(self.forecast_curve).setText(self._forecast_name())
        lines = []
        for alert in output.alerts:
            fill, ink, border = SEVERITY_COLOURS[alert.severity]
            when = (
                alert.t.isoformat() if isinstance(alert.t, date) else _("day {n}").format(n=alert.t)
            )
            lines.append(
                f"{chip_html(label_of(alert.severity), fill, ink, border)} "
                f"<b>{when}</b> {escape(alert.text.get())}"
            )
        self.alerts_text.setText("<br>".join(lines) if lines else _("The tool raised no alerts."))

    def alert_count(self, severity: AlertSeverity | None = None) -> int:
        """How many alerts (of ``severity``) the tool raised."""
        return sum(1 for a in self.output.alerts if severity is None or a.severity == severity)
