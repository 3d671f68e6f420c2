"""Risk renderer: a score on its threshold bands, and a signed bar per contributing factor.

Plain Qt painting: a band bar (one coloured segment per band, a marker at the score) and
one row per factor (name, the patient's value, a bar left or right of zero, the number).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from case_bank.outputs import RiskSeverity
from case_bank.outputs_numeric import RiskOutput
from desktop.renderers.common import INK, LINE, MUTED, OutputView, named, number
from xiangyi.i18n import _

# (fill, ink) per band severity: green, amber, orange, red as on printed risk charts.
BAND_COLOURS: dict[RiskSeverity, tuple[str, str]] = {
    RiskSeverity.LOW: ("#bbf7d0", "#14532d"),
    RiskSeverity.MODERATE: ("#fde68a", "#78350f"),
    RiskSeverity.HIGH: ("#fdba74", "#7c2d12"),
    RiskSeverity.VERY_HIGH: ("#fca5a5", "#7f1d1d"),
}
RAISES, LOWERS = QColor("#dc2626"), QColor("#16a34a")


def band_edges(output: RiskOutput) -> list[tuple[float, float]]:
    """(start, end) of each band; an open last band runs to a little past the score."""
    bounds = [b.upto for b in output.bands if b.upto is not None]
    top = max([*bounds, output.score]) if bounds else max(output.score, 1.0)
    if output.bands[-1].upto is None:
        top = max(top * 1.5, output.score * 1.15) if top > 0 else 1.0
    if output.unit.strip() == "%":
        top = min(top, 100.0) if output.score <= 100 else top
    start = min(0.0, output.score)
    edges = []
    for band in output.bands:
        end = band.upto if band.upto is not None else top
        edges.append((start, end))
        start = end
    return edges


class BandBar(QWidget):
    """The bands as coloured segments with their labels, and a marker at the score."""

    def __init__(self, output: RiskOutput) -> None:
        super().__init__()
        self.output = output
        self.edges = band_edges(output)
        self.setMinimumHeight(self._height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _height(self) -> int:
        return self.fontMetrics().height() * 6

    def sizeHint(self) -> QSize:
        return QSize(500, self._height())

    def value_to_x(self, value: float) -> float:
        """Where ``value`` falls on the bar, in widget pixels."""
        lo, hi = self.edges[0][0], self.edges[-1][1]
        margin = 12.0
        width = max(self.width() - 2 * margin, 1.0)
        return margin + (min(max(value, lo), hi) - lo) / max(hi - lo, 1e-9) * width

    def marker_x(self) -> float:
        return self.value_to_x(self.output.score)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = self.fontMetrics().height()
        top, bar_h = line * 2.4, line * 1.6
        for band, (start, end) in zip(self.output.bands, self.edges, strict=True):
            fill, ink = BAND_COLOURS[band.severity]
            rect = QRectF(
                self.value_to_x(start), top, self.value_to_x(end) - self.value_to_x(start), bar_h
            )
            painter.fillRect(rect, QColor(fill))
            painter.setPen(QPen(QColor("#ffffff"), 2))
            painter.drawLine(rect.topRight(), rect.bottomRight())
            painter.setPen(QColor(ink))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, band.label.get())
            if band.upto is not None and band is not self.output.bands[-1]:
                painter.setPen(QColor(MUTED))
                tick = QRectF(rect.right() - 40, top + bar_h + 2, 80, line)
                painter.drawText(tick, Qt.AlignmentFlag.AlignHCenter, number(band.upto))
        x = self.marker_x()
        painter.setPen(QPen(QColor(INK), 3))
        painter.drawLine(QPointF(x, top - 4), QPointF(x, top + bar_h + 4))
        painter.setBrush(QColor(INK))
        painter.drawPolygon(
            QPolygonF([QPointF(x - 7, top - 14), QPointF(x + 7, top - 14), QPointF(x, top - 3)])
        )
        painter.setPen(QColor(INK))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        text = f"{number(self.output.score)} {self.output.unit}"
        text_w = self.fontMetrics().horizontalAdvance(text) + 10
        left = min(max(x - text_w / 2, 0.0), self.width() - text_w)
        painter.drawText(QRectF(left, 0, text_w, line * 1.1), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class FactorBar(QWidget):
    """One factor's contribution: red to the right when it raises the risk, green left."""

    def __init__(self, value: float, scale: float) -> None:
        super().__init__()
        self.value, self.scale = value, scale
        self.setMinimumSize(160, self.fontMetrics().height() + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def bar_rect(self) -> QRectF:
        """The bar in widget pixels (zero is the centre line)."""
        centre = self.width() / 2
        length = abs(self.value) / max(self.scale, 1e-9) * (self.width() / 2 - 4)
        left = centre if self.value >= 0 else centre - length
        return QRectF(left, 3, length, self.height() - 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.bar_rect(), RAISES if self.value >= 0 else LOWERS)
        painter.setPen(QPen(QColor(MUTED), 1))
        centre = self.width() / 2
        painter.drawLine(QPointF(centre, 0), QPointF(centre, self.height()))
        painter.end()


class RiskView(OutputView):
    """Shows one ``RiskOutput``: the score, its band and the contributing factors."""

    def __init__(self, output: RiskOutput, parent: QWidget | None = None) -> None:
        super().__init__(output, "risk", parent)
        self.output: RiskOutput = output
        band = output.band()
        fill, ink = BAND_COLOURS[band.severity]

        self.score_text = named(QLabel(), "riskScore")
        font = self.score_text.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.score_text.setFont(font)
        self.band_chip = named(QLabel(), "riskBandChip")
        self.band_chip.setStyleSheet(
            f"QLabel {{ background: {fill}; color: {ink}; border-radius: 4px;"
            " padding: 4px 12px; font-weight: bold; }"
        )
        self.horizon_text = named(QLabel(), "riskHorizon")
        self.horizon_text.setStyleSheet(f"color: {MUTED};")
        self.band_bar = named(BandBar(output), "riskBandBar")
        self.factors_title = named(QLabel(), "riskFactorsTitle")
        self.factors_title.setStyleSheet("font-weight: bold;")

        top = QGridLayout()
        top.addWidget(self.score_text, 0, 0, 2, 1)
        top.addWidget(self.band_chip, 0, 1, Qt.AlignmentFlag.AlignLeft)
        top.addWidget(self.horizon_text, 1, 1)
        top.setColumnStretch(2, 1)
        self.body.addLayout(top)
        self.body.addWidget(self.band_bar)

        scale = max((abs(f.contribution) for f in output.factors), default=1.0)
        self.factor_names: list[QLabel] = []
        self.factor_bars: list[FactorBar] = []
        self.factor_values: list[QLabel] = []
        table = QWidget()
        grid = QGridLayout(table)
        grid.setHorizontalSpacing(14)
        self.factor_headers = [QLabel() for _i in range(4)]
        for column, header in enumerate(self.factor_headers):
            header.setStyleSheet(f"color: {MUTED}; border-bottom: 1px solid {LINE};")
            if column == 2:
                header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            elif column == 3:
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 0, column)
        for row, factor in enumerate(output.factors, start=1):
            name = named(QLabel(factor.name.get()), f"riskFactorName{row - 1}")
            value = named(QLabel(factor.value), f"riskFactorValue{row - 1}")
            bar = named(FactorBar(factor.contribution, scale), f"riskFactorBar{row - 1}")
            sign = "+" if factor.contribution > 0 else ""
            amount = QLabel(f"{sign}{number(factor.contribution)}")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, widget in enumerate((name, value, bar, amount)):
                grid.addWidget(widget, row, column)
            self.factor_names.append(name)
            self.factor_values.append(value)
            self.factor_bars.append(bar)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(output.factors) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidget(table)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body.addWidget(self.factors_title)
        self.body.addWidget(scroll, 1)
        self.retranslate()

    def header_text(self) -> str:
        return _("AI risk estimate: {score} {unit} ({band})").format(
            score=number(self.output.score),
            unit=self.output.unit,
            band=self.output.band().label.get(),
        )

    def retranslate_body(self) -> None:
        output = self.output
        self.score_text.setText(f"{number(output.score)} {output.unit}")
        self.band_chip.setText(output.band().label.get())
        self.horizon_text.setText(output.horizon.get() if output.horizon else "")
        self.factors_title.setText(
            _("Contributing factors (what raises or lowers the score)")
            if output.factors
            else _("The tool gives no contributing factors.")
        )
        headings = (_("Factor"), _("Patient's value"), _("Contribution"), _("Points"))
        for header, text in zip(self.factor_headers, headings, strict=True):
            header.setText(text)
            header.setVisible(bool(output.factors))
        for label, factor in zip(self.factor_names, output.factors, strict=True):
            label.setText(factor.name.get())
        self.band_bar.update()
