"""The report screen's charts (pyqtgraph): horizontal grouped bars whose categories are
named on the left axis, so Chinese institution, domain and AI-kind names stay readable
at 1366×768, with the value written at the end of each bar.

Each chart keeps its bar items by series key in ``bars`` (tests read their data back).
The numbers come from ``records.report_views``; nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# Colour-blind-safe palette (Okabe–Ito), darkest first for the total.
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
GROUP = 0.8  # the share of a category's height the bars of its group take
LABELLED_SERIES = 3  # bars are labelled with their value up to this many series
LABEL_CHARS = 16  # longer category names are shortened on the axis (full in the table)


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BarChart(QWidget):
    """Grouped horizontal bars: ``show_bars(categories, series)`` where ``series`` is a
    list of (key, legend label, values) and a value None is drawn as no bar and "—"."""

    def __init__(self, name: str, maximum: float, ticks: Sequence[tuple[float, str]]) -> None:
        super().__init__()
        import pyqtgraph as pg

        self.setObjectName(name)
        self.maximum = maximum
        self.plot = pg.PlotWidget(background="#ffffff")
        self.plot.setObjectName(f"{name}_plot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        # Room after the longest bar for its value label.
        # Room before 0 for the first tick's label, centred on it.
        self.plot.setXRange(-maximum * 0.08, maximum * 1.18, padding=0)
        self.plot.getAxis("bottom").setTicks([list(ticks)])
        self.plot.getAxis("left").setStyle(autoExpandTextSpace=True, tickTextOffset=6)
        # A Qt label above the plot, not a pyqtgraph legend: it never covers a bar and
        # wraps long Chinese institution names.
        self.legend = QLabel(objectName=f"{name}_legend", wordWrap=True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.bars: dict[str, Any] = {}
        self.values: dict[str, list[float | None]] = {}
        self.categories: list[str] = []
        self._labels: list[Any] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)

    def set_ticks(self, ticks: Sequence[tuple[float, str]]) -> None:
        self.plot.getAxis("bottom").setTicks([list(ticks)])

    def show_bars(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, str, Sequence[float | None]]],
        value_text: Any,
        note: str = "",
    ) -> None:
        """Redraw: one group per category (top to bottom), one bar per series."""
        import numpy as np
        import pyqtgraph as pg

        for item in [*self.bars.values(), *self._labels]:
            self.plot.removeItem(item)
        self.bars, self.values, self._labels = {}, {}, []
        self.categories = list(categories)
        count = max(1, len(series))
        height = GROUP / count
        positions = np.arange(len(categories), dtype=float)
        for n, (key, _label, values) in enumerate(series):
            ys = positions - GROUP / 2 + height * (n + 0.5)
            widths = np.asarray([v or 0.0 for v in values], dtype=float)
            colour = COLOURS[n % len(COLOURS)]
            item = pg.BarGraphItem(
                x0=np.zeros(len(values)), y=ys, height=height * 0.9, width=widths,
                brush=colour, pen=pg.mkPen(colour),
            )  # fmt: skip
            self.plot.addItem(item)
            self.bars[key], self.values[key] = item, list(values)
            if len(series) > LABELLED_SERIES:
                continue  # too many numbers to read: the grid and the table tell them
            for y, value in zip(ys, values, strict=True):
                text = pg.TextItem(value_text(value), color="#374151", anchor=(0, 0.5))
                text.setPos(value or 0.0, float(y))
                self.plot.addItem(text)
                self._labels.append(text)
        self.legend.setText(
            "&nbsp;&nbsp; ".join(
                f'<span style="color:{COLOURS[n % len(COLOURS)]}">■</span>&nbsp;{escape(label)}'
                for n, (_key, label, _values) in enumerate(series)
            )
            + (f"&nbsp;&nbsp; <i>{escape(note)}</i>" if note else "")
        )
        axis = self.plot.getAxis("left")
        axis.setTicks([[(float(i), short(c)) for i, c in enumerate(categories)]])
        self.plot.setYRange(-0.5, max(len(categories), 1) - 0.5, padding=0.02)


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def level_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


PERCENT_TICKS = [(v / 4, f"{25 * v}%") for v in range(5)]


def progress_chart() -> BarChart:
    """Per institution: sat the certification exam, pass rate, hold a certificate."""
    return BarChart("report_progress_chart", 1.0, PERCENT_TICKS)


def domain_chart() -> BarChart:
    """Per domain: the mean level (0–3) of the total and of each institution."""
    return BarChart("report_domain_chart", 3.0, [(float(v), str(v)) for v in range(4)])


def kind_chart() -> BarChart:
    """Per AI kind: over-reliance and critical-error rates."""
    return BarChart("report_kind_chart", 1.0, PERCENT_TICKS)
