"""Domain levels as a bar chart: the mastery estimate per domain with its 90 % range.

Bars are numbered like the domain list beside them (long domain names do not fit on an
axis at 1366×768). A domain without evidence gets no bar (its estimate would only be the
starting guess, 50 %), just "no evidence yet" on its row. Clicking a row selects its
domain; pyqtgraph is imported when the chart is first built, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

BAR = "#7aa6d8"
BAR_SELECTED = "#1f4e8c"
RANGE = "#374151"
NO_EVIDENCE = "#6b7280"


class DomainChart(QWidget):
    """``picked(index)`` is emitted when a bar is clicked."""

    picked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        import numpy as np
        import pyqtgraph as pg

        self.setObjectName("domain_chart")
        self.plot = pg.PlotWidget(background="#ffffff")
        self.plot.setObjectName("domain_plot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setXRange(-0.04, 1.07, padding=0)  # room for the "0%" and "100%" labels
        self.plot.invertY(True)
        bottom = self.plot.getAxis("bottom")
        bottom.setTicks([[(v / 4, f"{round(100 * v / 4)}%") for v in range(5)]])
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        empty = np.zeros(0)
        self.bars = pg.BarGraphItem(x0=empty, y=empty, height=0.6, width=empty, brushes=[])
        self.ranges = pg.ErrorBarItem(
            x=empty, y=empty, left=empty, right=empty, beam=0.2, pen=RANGE
        )
        self.plot.addItem(self.bars)
        self.plot.addItem(self.ranges)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.means: list[float] = []
        self.known: list[bool] = []  # rows with a bar: domains with evidence
        self.notes: list[object] = []  # "no evidence yet" labels (pyqtgraph TextItems)
        self.selected = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_domains(
        self,
        means: Sequence[float],
        lower: Sequence[float],
        upper: Sequence[float],
        known: Sequence[bool] | None = None,
    ) -> None:
        """One row per domain (top to bottom): a bar with its credible range where
        ``known`` (the domain has evidence), else the words "no evidence yet"."""
        import numpy as np
        import pyqtgraph as pg

        from xiangyi.i18n import _

        n = len(means)
        self.means = list(means)
        self.known = list(known) if known is not None else [True] * n
        rows = np.asarray([i for i in range(n) if self.known[i]], dtype=float)
        kept = rows.astype(int)
        mean = np.asarray(means, dtype=float)[kept]
        self.bars.setOpts(x0=np.zeros(len(kept)), y=rows, width=mean, height=0.6)
        self.ranges.setData(
            x=mean,
            y=rows,
            left=mean - np.asarray(lower, dtype=float)[kept],
            right=np.asarray(upper, dtype=float)[kept] - mean,
        )
        for note in self.notes:
            self.plot.removeItem(note)
        self.notes = []
        for i in range(n):
            if not self.known[i]:
                note = pg.TextItem(_("no evidence yet"), color=NO_EVIDENCE, anchor=(0, 0.5))
                note.setPos(0.01, i)
                self.plot.addItem(note)
                self.notes.append(note)
        left = self.plot.getAxis("left")
        left.setTicks([[(i, str(i + 1)) for i in range(n)]])
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        self.select(self.selected if 0 <= self.selected < n else 0)

    def select(self, index: int) -> None:
        import pyqtgraph as pg

        self.selected = index
        rows = [i for i in range(len(self.means)) if self.known[i]]
        brushes = [pg.mkBrush(BAR_SELECTED if i == index else BAR) for i in rows]
        self.bars.setOpts(brushes=brushes)

    def _clicked(self, event: object) -> None:
        position = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        index = round(position.y())
        if 0 <= index < len(self.means):
            self.select(index)
            self.picked.emit(index)
