"""Editors for the AI outputs made of numbers: a risk score, and a trend with its forecast."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from case_bank.outputs import AlertSeverity, RiskSeverity
from case_bank.outputs_numeric import RiskOutput, TrendOutput
from desktop.studio.ai_editors.base import AIOutputEditor, PreviewPane, scrolled
from desktop.studio.ai_editors.fields import BilingualEdit, NumberEdit, TextsWidget
from desktop.studio.ai_editors.table import Column, RecordTable
from xiangyi.i18n import N_

RISK_SEVERITIES = tuple(
    (s.value, label)
    for s, label in zip(
        RiskSeverity, (N_("Low"), N_("Moderate"), N_("High"), N_("Very high")), strict=True
    )
)
ALERT_SEVERITIES = tuple(
    (s.value, label)
    for s, label in zip(
        AlertSeverity, (N_("Information"), N_("Warning"), N_("Critical")), strict=True
    )
)


def omit_default(source: dict[str, Any], key: str, value: Any, default: Any) -> Any:
    """None (leave out) when ``value`` is the model's default and the YAML did not say it."""
    return None if key not in source and value == default else value


def split_editor(editor: AIOutputEditor, form: QWidget) -> None:
    """The form on the left, the live preview on the right."""
    editor.preview = PreviewPane()  # type: ignore[attr-defined]
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(scrolled(form))
    splitter.addWidget(editor.preview)  # type: ignore[attr-defined]
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    layout = QVBoxLayout(editor)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)


class RiskEditor(AIOutputEditor):
    """Risk score, unit and horizon, the bands (thresholds) and the contributing factors."""

    kind = "risk"
    model = RiskOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score = NumberEdit()
        self.score.setObjectName("riskScore")
        self.unit = QLineEdit()
        self.unit.setObjectName("riskUnit")
        self.horizon = BilingualEdit("riskHorizon")
        self.bands = RecordTable(
            "riskBands",
            [
                Column(N_("Up to (threshold)"), ("upto",), "number"),
                Column(N_("Band (Chinese)"), ("label", "zh_CN")),
                Column(N_("Band (English)"), ("label", "en")),
                Column(N_("Severity"), ("severity",), "choice", RISK_SEVERITIES, width=120),
            ],
        )
        self.factors = RecordTable(
            "riskFactors",
            [
                Column(N_("Factor (Chinese)"), ("name", "zh_CN")),
                Column(N_("Factor (English)"), ("name", "en")),
                Column(N_("Patient's value"), ("value",)),
                Column(N_("Contribution"), ("contribution",), "number"),
            ],
        )
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        self.form_row(form, N_("Risk score"), self.score)
        self.form_row(form, N_("Unit"), self.unit)
        self.form_row(form, N_("Horizon"), self.horizon)
        column.addWidget(group)
        for title, table in (
            (N_("Risk bands (each up to its threshold)"), self.bands),
            (N_("Contributing factors"), self.factors),
        ):
            box, box_form = self.form_group(title)
            box_form.addRow(table)
            table.setMinimumHeight(200)
            table.changed.connect(self.edited)
            column.addWidget(box)
        column.addWidget(self.tool)
        self.score.textEdited.connect(self.edited)
        self.unit.textEdited.connect(self.edited)
        self.horizon.changed.connect(self.edited)
        split_editor(self, page)

    def fill(self, data: dict[str, Any]) -> None:
        self.score.set_number(data.get("score"))
        self.unit.setText(str(data.get("unit", "")))
        self.horizon.set_value(data.get("horizon"))
        self.bands.set_records(data.get("bands") or [])
        self.factors.set_records(data.get("factors") or [])

    def collect(self) -> dict[str, Any]:
        return {
            "score": self.score.number(),
            "unit": self.unit.text().strip() or None,
            "horizon": self.horizon.value(),
            "bands": self.bands.records(),
            "factors": self.factors.records(),
        }

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.risk import RiskView

        return RiskView(output)


class SeriesPage(TextsWidget):
    """One measured series: its name, unit and (time, value) points."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"trendSeries{number}")
        self.source: dict[str, Any] = {}
        self.name = BilingualEdit(f"trendSeriesName{number}")
        self.unit = QLineEdit()
        self.unit.setObjectName(f"trendSeriesUnit{number}")
        self.points = RecordTable(
            f"trendPoints{number}",
            [
                Column(N_("Date or day"), ("t",), "moment", width=130),
                Column(N_("Value"), ("value",), "number"),
            ],
        )
        self.points.setMinimumHeight(220)
        top = QHBoxLayout()
        top.addWidget(self.name, 3)
        top.addWidget(self.unit, 1)
        self.texts.say(self.unit.setPlaceholderText, N_("Unit, e.g. mmHg"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.points, 1)

    def set_value(self, series: dict[str, Any]) -> None:
        self.source = series
        self.name.set_value(series.get("name"))
        self.unit.setText(str(series.get("unit", "")))
        self.points.set_records(series.get("points") or [])

    def value(self) -> dict[str, Any]:
        return {
            "name": self.name.value(),
            "unit": self.unit.text().strip() or None,
            "points": self.points.records(),
        }


class TrendEditor(AIOutputEditor):
    """Series (paste from a spreadsheet), the AI's forecast with its band, alerts, summary."""

    kind = "trend"
    model = TrendOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series_tabs = QTabWidget()
        self.series_tabs.setObjectName("trendSeriesTabs")
        self.add_series_button = QPushButton()
        self.add_series_button.setObjectName("trendAddSeries")
        self.remove_series_button = QPushButton()
        self.remove_series_button.setObjectName("trendRemoveSeries")
        self.texts.say(self.add_series_button.setText, N_("Add series"))
        self.texts.say(self.remove_series_button.setText, N_("Remove series"))
        self.forecast_on = QCheckBox()
        self.forecast_on.setObjectName("trendForecastOn")
        self.texts.say(self.forecast_on.setText, N_("The AI gives a forecast"))
        self.forecast_series = QSpinBox()
        self.forecast_series.setObjectName("trendForecastSeries")
        self.forecast_series.setRange(1, 8)
        self.forecast = RecordTable(
            "trendForecast",
            [
                Column(N_("Date or day"), ("t",), "moment", width=130),
                Column(N_("Forecast"), ("value",), "number"),
                Column(N_("Lower bound"), ("lower",), "number"),
                Column(N_("Upper bound"), ("upper",), "number"),
            ],
        )
        self.alerts = RecordTable(
            "trendAlerts",
            [
                Column(N_("Date or day"), ("t",), "moment", width=110),
                Column(N_("Severity"), ("severity",), "choice", ALERT_SEVERITIES, width=110),
                Column(N_("Alert (Chinese)"), ("text", "zh_CN")),
                Column(N_("Alert (English)"), ("text", "en")),
            ],
        )
        self.label = BilingualEdit("trendLabel")
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        self.form_row(form, N_("AI summary"), self.label, wide=True)
        column.addWidget(group)
        series_box, series_form = self.form_group(N_("Measured series"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_series_button)
        buttons.addWidget(self.remove_series_button)
        buttons.addStretch(1)
        series_form.addRow(self.series_tabs)
        series_form.addRow(buttons)
        column.addWidget(series_box)
        forecast_box, forecast_form = self.form_group(N_("AI forecast"))
        forecast_form.addRow(self.forecast_on)
        self.form_row(forecast_form, N_("Continues series number"), self.forecast_series)
        forecast_form.addRow(self.forecast)
        self.forecast.setMinimumHeight(180)
        column.addWidget(forecast_box)
        alerts_box, alerts_form = self.form_group(N_("AI alerts"))
        alerts_form.addRow(self.alerts)
        self.alerts.setMinimumHeight(160)
        column.addWidget(alerts_box)
        column.addWidget(self.tool)
        self.add_series_button.clicked.connect(self._add_series)
        self.remove_series_button.clicked.connect(self._remove_series)
        self.forecast_on.toggled.connect(self.edited)
        self.forecast_series.valueChanged.connect(self.edited)
        self.forecast.changed.connect(self.edited)
        self.alerts.changed.connect(self.edited)
        self.label.changed.connect(self.edited)
        split_editor(self, page)

    def pages(self) -> list[SeriesPage]:
        return [self.series_tabs.widget(i) for i in range(self.series_tabs.count())]  # type: ignore[misc]

    def _new_page(self, series: dict[str, Any]) -> SeriesPage:
        page = SeriesPage(self.series_tabs.count())
        page.set_value(series)
        page.name.changed.connect(self.edited)
        page.unit.textEdited.connect(self.edited)
        page.points.changed.connect(self.edited)
        self.series_tabs.addTab(page, str(self.series_tabs.count() + 1))
        return page

    def _add_series(self) -> None:
        self._new_page({})
        self.series_tabs.setCurrentIndex(self.series_tabs.count() - 1)
        self.edited()

    def _remove_series(self) -> None:
        if self.series_tabs.count() > 1:
            self.series_tabs.removeTab(self.series_tabs.currentIndex())
            for i in range(self.series_tabs.count()):
                self.series_tabs.setTabText(i, str(i + 1))
            self.edited()

    def fill(self, data: dict[str, Any]) -> None:
        self.series_tabs.clear()
        for series in data.get("series") or [{}]:
            self._new_page(series)
        forecast = data.get("forecast")
        self.forecast_on.setChecked(isinstance(forecast, dict))
        forecast = forecast if isinstance(forecast, dict) else {}
        self.forecast_series.setValue(int(forecast.get("series", 0)) + 1)
        lower, upper = forecast.get("lower") or [], forecast.get("upper") or []
        rows = []
        for i, point in enumerate(forecast.get("points") or []):
            row = dict(point)
            row["lower"] = lower[i] if i < len(lower) else None
            row["upper"] = upper[i] if i < len(upper) else None
            rows.append(row)
        self.forecast.set_records(rows)
        self.alerts.set_records(data.get("alerts") or [])
        self.label.set_value(data.get("label"))

    def _forecast(self) -> dict[str, Any] | None:
        if not self.forecast_on.isChecked():
            return None
        source = self.source.get("forecast") or {}
        rows = self.forecast.records()
        forecast: dict[str, Any] = {
            "series": omit_default(source, "series", self.forecast_series.value() - 1, 0),
            "points": [{k: v for k, v in r.items() if k in ("t", "value")} for r in rows],
        }
        for bound in ("lower", "upper"):
            values = [r.get(bound) for r in rows]
            forecast[bound] = values if any(v is not None for v in values) else None
        return forecast

    def collect(self) -> dict[str, Any]:
        return {
            "series": [page.value() for page in self.pages()],
            "forecast": self._forecast(),
            "alerts": self.alerts.records(),
            "label": self.label.value(),
        }

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.trend import TrendView

        return TrendView(output)
