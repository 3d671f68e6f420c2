"""Triage renderer: the suggested urgency as a triage tool shows it, with its reasons.

A five-step scale in the usual triage colours (red, orange, yellow, green, blue) with
the suggested level raised and named, then the tool's recommendation and reasons.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QWidget

from case_bank.outputs import Urgency
from case_bank.outputs_text import TriageOutput
from desktop.renderers.common import MUTED, OutputView, label_of, named, percent
from xiangyi.i18n import _

LEVELS = (
    Urgency.RESUSCITATION,
    Urgency.EMERGENT,
    Urgency.URGENT,
    Urgency.LESS_URGENT,
    Urgency.NON_URGENT,
)
# (fill, ink): the Manchester-style colours, dark text on the light ones.
LEVEL_COLOURS: dict[Urgency, tuple[str, str]] = {
    Urgency.RESUSCITATION: ("#b91c1c", "#ffffff"),
    Urgency.EMERGENT: ("#ea580c", "#ffffff"),
    Urgency.URGENT: ("#facc15", "#422006"),
    Urgency.LESS_URGENT: ("#16a34a", "#ffffff"),
    Urgency.NON_URGENT: ("#2563eb", "#ffffff"),
}


class TriageView(OutputView):
    """Shows one ``TriageOutput``: level chip, the five-level scale, reasons."""

    def __init__(self, output: TriageOutput, parent: QWidget | None = None) -> None:
        super().__init__(output, "triage", parent)
        self.output: TriageOutput = output
        self.level = LEVELS.index(output.urgency) + 1
        fill, ink = LEVEL_COLOURS[output.urgency]

        self.level_chip = named(QLabel(), "triageLevelChip")
        self.level_chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_chip.setStyleSheet(
            f"QLabel {{ background: {fill}; color: {ink}; border-radius: 6px;"
            " padding: 10px 18px; font-weight: bold; }"
        )
        font = self.level_chip.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.level_chip.setFont(font)
        self.level_name = named(QLabel(), "triageLevelName")
        name_font = self.level_name.font()
        name_font.setPointSizeF(name_font.pointSizeF() * 1.6)
        name_font.setBold(True)
        self.level_name.setFont(name_font)
        self.level_name.setWordWrap(True)
        self.recommendation_text = named(QLabel(), "triageRecommendation")
        self.recommendation_text.setWordWrap(True)
        self.confidence_text = named(QLabel(), "triageConfidence")
        self.confidence_text.setStyleSheet(f"color: {MUTED};")

        self.scale_cells: list[QLabel] = []
        scale = QHBoxLayout()
        scale.setSpacing(3)
        for i, urgency in enumerate(LEVELS, start=1):
            cell_fill, cell_ink = LEVEL_COLOURS[urgency]
            cell = named(QLabel(), f"triageScale{i}")
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setWordWrap(True)
            if i == self.level:
                style = (
                    f"background: {cell_fill}; color: {cell_ink}; font-weight: bold;"
                    " border: 3px solid #0f172a;"
                )
            else:  # the levels not suggested stay visible but faded
                style = f"background: {_faded(cell_fill)}; color: #1e293b; border: 1px solid #fff;"
            cell.setStyleSheet(f"QLabel {{ {style} padding: 6px; }}")
            scale.addWidget(cell, 1)
            self.scale_cells.append(cell)

        top = QHBoxLayout()
        top.addWidget(self.level_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.level_name, 1)
        self.reasons_title = named(QLabel(), "triageReasonsTitle")
        self.reasons_title.setStyleSheet("font-weight: bold;")
        self.reasons_text = named(QLabel(), "triageReasons")
        self.reasons_text.setWordWrap(True)
        self.reasons_text.setTextFormat(Qt.TextFormat.RichText)
        self.reasons_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.reasons_text)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.body.addLayout(top)
        self.body.addLayout(scale)
        self.body.addWidget(self.recommendation_text)
        self.body.addWidget(self.confidence_text)
        self.body.addWidget(self.reasons_title)
        self.body.addWidget(scroll, 1)
        self.retranslate()

    def header_text(self) -> str:
        return _("AI triage suggestion: level {n} · {name}").format(
            n=self.level, name=label_of(self.output.urgency)
        )

    def retranslate_body(self) -> None:
        output = self.output
        self.level_chip.setText(_("Level {n}").format(n=self.level))
        self.level_name.setText(label_of(output.urgency))
        for i, (cell, urgency) in enumerate(zip(self.scale_cells, LEVELS, strict=True), start=1):
            cell.setText(_("{n} · {name}").format(n=i, name=label_of(urgency)))
        recommendation = output.recommendation
        self.recommendation_text.setText(
            _("Recommendation: {text}").format(text=recommendation.get()) if recommendation else ""
        )
        self.recommendation_text.setVisible(recommendation is not None)
        self.confidence_text.setText(
            _("Tool confidence: {value}%").format(value=percent(output.confidence))
            if output.confidence is not None
            else ""
        )
        self.confidence_text.setVisible(output.confidence is not None)
        self.reasons_title.setText(_("Reasons the tool gives"))
        self.reasons_text.setText(
            "<ul style='margin-left:0;'>"
            + "".join(f"<li>{escape(r.get())}</li>" for r in output.reasons)
            + "</ul>"
        )


def _faded(colour: str) -> str:
    """``colour`` mixed three parts white to one, for the levels not suggested."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round((c + 3 * 255) / 4) for c in (red, green, blue)]
    return "#{:02x}{:02x}{:02x}".format(*mix)
