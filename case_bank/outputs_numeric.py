"""AI outputs made of numbers: a risk score with bands, and a trend with a forecast."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field, model_validator

from case_bank.outputs import AlertSeverity, Moment, OutputBase, RiskSeverity, Strict
from case_bank.text import Bilingual
from case_bank.validation import Issue, Loc, raise_issues
from case_bank.vocabulary import AIKind
from xiangyi.i18n import _

# --- risk -----------------------------------------------------------------------------


class RiskBand(Strict):
    """Scores up to and including ``upto`` fall in this band; the last may omit ``upto``."""

    upto: float | None = None
    label: Bilingual
    severity: RiskSeverity


class RiskFactor(Strict):
    name: Bilingual
    value: str = Field(min_length=1, description="The patient's value, e.g. '152 mmHg'")
    contribution: float = Field(description="How much it adds to the score (negative lowers)")


class RiskOutput(OutputBase):
    """A risk score (e.g. 10-year cardiovascular risk) with its bands and factors."""

    kind: Literal[AIKind.RISK] = AIKind.RISK
    score: float
    unit: str = Field(min_length=1, max_length=20, description="e.g. '%' or 'points'")
    horizon: Bilingual | None = Field(default=None, description="e.g. '10-year risk'")
    bands: list[RiskBand] = Field(min_length=1, max_length=10)
    factors: list[RiskFactor] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _check(self) -> RiskOutput:
        issues: list[Issue] = []
        bounds = [b.upto for b in self.bands]
        if any(b is None for b in bounds[:-1]):
            issues.append((("bands",), _("only the last band may leave out 'upto'")))
        numbers = [b for b in bounds if b is not None]
        if any(a >= b for a, b in pairwise(numbers)):
            issues.append((("bands",), _("bands must go from the lowest 'upto' to the highest")))
        if bounds[-1] is not None and self.score > bounds[-1]:
            issues.append((("score",), _("the score is above the last band")))
        raise_issues(issues)
        return self

    def band(self) -> RiskBand:
        """The band the score falls in."""
        for band in self.bands:
            if band.upto is None or self.score <= band.upto:
                return band
        return self.bands[-1]


# --- trend ----------------------------------------------------------------------------


class TrendPoint(Strict):
    t: Moment
    value: float


class Series(Strict):
    name: Bilingual
    unit: str = Field(min_length=1, max_length=20)
    points: list[TrendPoint] = Field(min_length=1, max_length=5000)


class Forecast(Strict):
    """The AI's forecast of one series, with an optional band ``lower``-``upper``."""

    series: int = Field(default=0, ge=0, description="Index of the series it continues")
    points: list[TrendPoint] = Field(min_length=1, max_length=1000)
    lower: list[float] = Field(default_factory=list)
    upper: list[float] = Field(default_factory=list)


class TrendAlert(Strict):
    t: Moment
    text: Bilingual
    severity: AlertSeverity


class TrendOutput(OutputBase):
    """Follow-up measurements (blood pressure, glucose) with the AI's forecast and alerts."""

    kind: Literal[AIKind.TREND] = AIKind.TREND
    series: list[Series] = Field(min_length=1, max_length=8)
    forecast: Forecast | None = None
    alerts: list[TrendAlert] = Field(default_factory=list, max_length=100)
    label: Bilingual | None = Field(default=None, description="The AI's summary")

    @model_validator(mode="after")
    def _check(self) -> TrendOutput:
        issues: list[Issue] = []
        moments: list[tuple[Loc, date | int]] = []
        for i, series in enumerate(self.series):
            times = [p.t for p in series.points]
            moments += [(("series", i, "points", j, "t"), t) for j, t in enumerate(times)]
        if self.forecast is not None:
            f = self.forecast
            moments += [(("forecast", "points", j, "t"), p.t) for j, p in enumerate(f.points)]
        moments += [(("alerts", j, "t"), a.t) for j, a in enumerate(self.alerts)]
        if len({isinstance(t, date) for _loc, t in moments}) > 1:
            issues.append(((), _("use either dates or day numbers for every time, not both")))
            raise_issues(issues)
        for i, series in enumerate(self.series):
            if not _increasing([p.t for p in series.points]):
                issues.append((("series", i, "points"), _("points must be in time order")))
        if self.forecast is not None:
            issues += self._forecast_issues(self.forecast)
        raise_issues(issues)
        return self

    def _forecast_issues(self, forecast: Forecast) -> list[Issue]:
        issues: list[Issue] = []
        if forecast.series >= len(self.series):
            return [(("forecast", "series"), _("there is no series with this number"))]
        if not _increasing([p.t for p in forecast.points]):
            issues.append((("forecast", "points"), _("points must be in time order")))
        last = self.series[forecast.series].points[-1].t
        if forecast.points[0].t <= last:  # type: ignore[operator]
            issues.append((("forecast", "points"), _("the forecast must start after the data")))
        for name, bound in (("lower", forecast.lower), ("upper", forecast.upper)):
            if bound and len(bound) != len(forecast.points):
                issues.append((("forecast", name), _("needs one value per forecast point")))
        if forecast.lower and forecast.upper and len(forecast.lower) == len(forecast.upper):
            rows = zip(forecast.lower, forecast.points, forecast.upper, strict=True)
            if any(not lo <= p.value <= hi for lo, p, hi in rows):
                issues.append((("forecast",), _("each point must lie between lower and upper")))
        return issues


def _increasing(times: list[Any]) -> bool:
    return all(a < b for a, b in pairwise(times))
