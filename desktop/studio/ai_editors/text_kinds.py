"""Editors for the AI outputs made of words: triage, prescription review, a report."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from case_bank.outputs import AlertKind, Route, Urgency
from case_bank.outputs_text import PrescriptionOutput, ReportOutput, TriageOutput
from desktop.studio.ai_editors.base import AIOutputEditor
from desktop.studio.ai_editors.fields import BilingualEdit, NumberEdit
from desktop.studio.ai_editors.numeric import ALERT_SEVERITIES, split_editor
from desktop.studio.ai_editors.table import Column, RecordTable
from xiangyi.i18n import N_, _

URGENCIES = (
    (Urgency.RESUSCITATION.value, N_("Resuscitation (immediate)")),
    (Urgency.EMERGENT.value, N_("Emergent")),
    (Urgency.URGENT.value, N_("Urgent")),
    (Urgency.LESS_URGENT.value, N_("Less urgent")),
    (Urgency.NON_URGENT.value, N_("Non-urgent")),
)
ROUTES = tuple(
    (route.value, label)
    for route, label in (
        (Route.ORAL, N_("oral")),
        (Route.SUBLINGUAL, N_("sublingual")),
        (Route.INTRAVENOUS, N_("intravenous")),
        (Route.INTRAMUSCULAR, N_("intramuscular")),
        (Route.SUBCUTANEOUS, N_("subcutaneous")),
        (Route.INHALED, N_("inhaled")),
        (Route.TOPICAL, N_("topical")),
        (Route.RECTAL, N_("rectal")),
        (Route.OTHER, N_("other route")),
    )
)
ALERT_KINDS = (
    (AlertKind.INTERACTION.value, N_("Drug interaction")),
    (AlertKind.DOSE.value, N_("Dose")),
    (AlertKind.CONTRAINDICATION.value, N_("Contraindication")),
    (AlertKind.ALLERGY.value, N_("Allergy")),
    (AlertKind.DUPLICATE.value, N_("Duplicate therapy")),
)


def bilingual_list(name: str, header_zh: str, header_en: str) -> RecordTable:
    """A list of bilingual texts (reasons, findings), Chinese and English side by side."""
    return RecordTable(name, [Column(header_zh, ("zh_CN",)), Column(header_en, ("en",))])


class TriageEditor(AIOutputEditor):
    """The urgency the AI suggests, its reasons, recommendation and confidence."""

    kind = "triage"
    model = TriageOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.urgency = QComboBox()
        self.urgency.setObjectName("triageUrgency")
        for value, _label in URGENCIES:
            self.urgency.addItem("", value)
        self.recommendation = BilingualEdit("triageRecommendation")
        self.confidence = NumberEdit()
        self.confidence.setObjectName("triageConfidence")
        self.reasons = bilingual_list(
            "triageReasons", N_("Reason (Chinese)"), N_("Reason (English)")
        )
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        self.form_row(form, N_("Suggested urgency"), self.urgency)
        self.form_row(form, N_("Recommendation"), self.recommendation, wide=True)
        self.form_row(form, N_("Confidence (0-1)"), self.confidence)
        column.addWidget(group)
        box, box_form = self.form_group(N_("Reasons the tool gives"))
        box_form.addRow(self.reasons)
        self.reasons.setMinimumHeight(200)
        column.addWidget(box)
        column.addWidget(self.tool)
        self.urgency.currentIndexChanged.connect(self.edited)
        self.recommendation.changed.connect(self.edited)
        self.confidence.textEdited.connect(self.edited)
        self.reasons.changed.connect(self.edited)
        split_editor(self, page)
        self.retranslate()

    def retranslate(self) -> None:
        for i, (_value, label) in enumerate(URGENCIES):
            self.urgency.setItemText(i, _(label))

    def fill(self, data: dict[str, Any]) -> None:
        self.urgency.setCurrentIndex(self.urgency.findData(data.get("urgency")))
        self.recommendation.set_value(data.get("recommendation"))
        self.confidence.set_number(data.get("confidence"))
        self.reasons.set_records(data.get("reasons") or [])

    def collect(self) -> dict[str, Any]:
        return {
            "urgency": self.urgency.currentData(),
            "reasons": self.reasons.records(),
            "recommendation": self.recommendation.value(),
            "confidence": self.confidence.number(),
        }

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.triage import TriageView

        return TriageView(output)


class PrescriptionEditor(AIOutputEditor):
    """The prescription's drugs and the review tool's alerts, each marked true or false."""

    kind = "prescription"
    model = PrescriptionOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = RecordTable(
            "prescriptionItems",
            [
                Column(N_("Drug (Chinese)"), ("drug", "zh_CN")),
                Column(N_("Drug (English)"), ("drug", "en")),
                Column(N_("Dose"), ("dose",), width=80),
                Column(N_("Route"), ("route",), "choice", ROUTES, width=110),
                Column(N_("Frequency (Chinese)"), ("frequency", "zh_CN")),
                Column(N_("Frequency (English)"), ("frequency", "en")),
                Column(N_("Duration (Chinese)"), ("duration", "zh_CN"), optional_group="duration"),
                Column(N_("Duration (English)"), ("duration", "en"), optional_group="duration"),
            ],
        )
        self.alerts = RecordTable(
            "prescriptionAlerts",
            [
                Column(N_("Type"), ("kind",), "choice", ALERT_KINDS, width=130),
                Column(N_("Severity"), ("severity",), "choice", ALERT_SEVERITIES, width=110),
                Column(N_("Alert (Chinese)"), ("text", "zh_CN")),
                Column(N_("Alert (English)"), ("text", "en")),
                Column(N_("About drug numbers"), ("items",), "indexes", width=110),
                Column(N_("True alert"), ("true_alert",), "bool", width=80),
            ],
        )
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        column.addWidget(group)
        for title, table in (
            (N_("Prescription (drugs numbered from 1)"), self.items),
            (N_("Review alerts (tick the ones that are clinically right)"), self.alerts),
        ):
            box, box_form = self.form_group(title)
            box_form.addRow(table)
            table.setMinimumHeight(220)
            table.changed.connect(self.edited)
            column.addWidget(box)
        column.addWidget(self.tool)
        split_editor(self, page)

    def fill(self, data: dict[str, Any]) -> None:
        self.items.set_records(data.get("items") or [])
        self.alerts.set_records(data.get("alerts") or [])

    def collect(self) -> dict[str, Any]:
        return {"items": self.items.records(), "alerts": self.alerts.records()}

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.prescription import PrescriptionView

        return PrescriptionView(output)


class ReportEditor(AIOutputEditor):
    """A structured report: sections (heading and text), impression and confidence."""

    kind = "report"
    model = ReportOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sections = RecordTable(
            "reportSections",
            [
                Column(N_("Heading (Chinese)"), ("heading", "zh_CN"), width=120),
                Column(N_("Heading (English)"), ("heading", "en"), width=120),
                Column(N_("Text (Chinese)"), ("text", "zh_CN"), width=200),
                Column(N_("Text (English)"), ("text", "en")),
            ],
        )
        self.impression = BilingualEdit("reportImpression", multiline=True)
        self.confidence = NumberEdit()
        self.confidence.setObjectName("reportConfidence")
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        self.form_row(form, N_("Impression"), self.impression, wide=True)
        self.form_row(form, N_("Confidence (0-1)"), self.confidence)
        column.addWidget(group)
        box, box_form = self.form_group(N_("Report sections"))
        box_form.addRow(self.sections)
        self.sections.setMinimumHeight(240)
        column.addWidget(box)
        column.addWidget(self.tool)
        self.sections.changed.connect(self.edited)
        self.impression.changed.connect(self.edited)
        self.confidence.textEdited.connect(self.edited)
        split_editor(self, page)

    def fill(self, data: dict[str, Any]) -> None:
        self.sections.set_records(data.get("sections") or [])
        self.impression.set_value(data.get("impression"))
        self.confidence.set_number(data.get("confidence"))

    def collect(self) -> dict[str, Any]:
        return {
            "sections": self.sections.records(),
            "impression": self.impression.value(),
            "confidence": self.confidence.number(),
        }

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.report import ReportView

        return ReportView(output)
