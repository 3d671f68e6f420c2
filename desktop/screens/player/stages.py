"""The views of each stage. They show a case and collect answers; rules live in the core."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from case_bank.models import Case
from case_bank.vocabulary import LIMITATION_LABELS, RELIANCE_LABELS, Reliance
from desktop.screens.player.choices import MultiChoice, SingleChoice
from desktop.widgets import Screen
from xiangyi.i18n import _

CONFIDENCE_LEVELS = (50, 60, 70, 80, 90, 100)


def _options(case: Case, kind: str) -> list[tuple[str, str]]:
    items = case.decision.interpretations if kind == "interpretation" else case.decision.actions
    return [(o.id, o.text.get()) for o in items]


def _limitations(case: Case) -> list[tuple[str, str]]:
    return [(str(x), _(LIMITATION_LABELS[x])) for x in case.decision.limitations]


class VignettePanel(Screen):
    """The patient, always visible beside the stages."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("vignette")
        self.case: Case | None = None
        self.heading = QLabel(objectName="vignette_heading")
        self.heading.setStyleSheet("font-weight: 600; font-size: 13pt;")
        self.body = QLabel(objectName="vignette_body")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)

    def load(self, case: Case) -> None:
        self.case = case
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Patient"))
        if self.case is None:
            return
        p = self.case.presentation
        sex = _("female") if p.sex == "female" else _("male")
        age = (
            _("{n} years").format(n=int(p.age_years))
            if p.age_years >= 2
            else _("{n} months").format(n=round(p.age_years * 12))
        )
        vitals = "".join(f"<li>{pair(v.label.get(), f'<b>{v.value}</b>')}</li>" for v in p.vitals)
        who = _("{age}, {sex}").format(age=age, sex=sex)
        complaint_label, history_label = _("Complaint"), _("History")
        complaint = pair(f"<b>{complaint_label}</b>", p.complaint.get())
        history = pair(f"<b>{history_label}</b>", p.history.get())
        vital_title = _("Vital signs")
        self.body.setText(
            f"<p><b>{who}</b> · {p.setting.get()}</p>"
            f"<p>{complaint}</p><p>{history}</p>"
            f"<p><b>{vital_title}</b></p><ul>{vitals}</ul>"
        )


def pair(label: str, value: str) -> str:
    """'label: value' with the punctuation of the current language."""
    return _("{label}: {value}").format(label=label, value=value)


class OwnReadView(Screen):
    """The doctor's impression before the AI output is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.prompt = QLabel(objectName="own_read_prompt")
        self.prompt.setWordWrap(True)
        self.choice = SingleChoice("own_read")
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.choice)
        layout.addStretch(1)

    def load(self, case: Case, answer: dict[str, Any] | None = None) -> None:
        self.case = case
        self.choice.set_options(_options(case, "interpretation"))
        self.choice.set_value((answer or {}).get("interpretation"))
        self.retranslate()

    def retranslate(self) -> None:
        self.choice.setTitle(_("Your impression"))
        if self.case is None or self.case.own_read is None:
            return
        self.prompt.setText(self.case.own_read.prompt.get())
        self.choice.relabel(_options(self.case, "interpretation"))

    def answer(self) -> dict[str, Any]:
        return {"interpretation": self.choice.value()}


class DecisionForm(Screen):
    """Agree or override, final interpretation, confidence, action, limitations, rationale."""

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.reliance = SingleChoice("reliance")
        self.reliance.set_options([(str(r), "") for r in Reliance])
        self.interpretation = SingleChoice("interpretation")
        self.confidence = SingleChoice("confidence")
        self.confidence.set_options([(str(c), f"{c}%") for c in CONFIDENCE_LEVELS])
        self.action = SingleChoice("action")
        self.limitations = MultiChoice("limitations")
        self.rationale_label = QLabel()
        self.rationale = QPlainTextEdit(objectName="rationale")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setFixedHeight(70)
        self.rationale_label.setBuddy(self.rationale)

        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(self.reliance, 0, 0)
        grid.addWidget(self.interpretation, 1, 0)
        grid.addWidget(self.confidence, 2, 0)
        grid.addWidget(self.action, 0, 1, 2, 1)
        grid.addWidget(self.limitations, 2, 1, 2, 1)
        rationale_box = QFormLayout()
        rationale_box.addRow(self.rationale_label, self.rationale)
        grid.addLayout(rationale_box, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def load(self, case: Case, answer: dict[str, Any] | None = None) -> None:
        self.case = case
        self.interpretation.set_options(_options(case, "interpretation"))
        self.action.set_options(_options(case, "action"))
        self.limitations.set_options(_limitations(case))
        self.rationale.clear()
        answer = answer or {}
        self.reliance.set_value(answer.get("reliance"))
        self.interpretation.set_value(answer.get("interpretation"))
        confidence = answer.get("confidence")
        self.confidence.set_value(str(round(confidence * 100)) if confidence else None)
        self._fix_tab_order()
        self.scroll.verticalScrollBar().setValue(0)  # start at "1. The AI output"
        self.retranslate()

    def _fix_tab_order(self) -> None:
        """Options are rebuilt per case, so state the keyboard order explicitly."""
        chain: list[QWidget] = []
        for group in (self.reliance, self.interpretation, self.confidence, self.action):
            chain.extend(group.buttons.values())
        chain.extend(self.limitations.boxes.values())
        chain.append(self.rationale)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        self.reliance.setTitle(_("1. The AI output"))
        self.reliance.relabel([(str(r), _(RELIANCE_LABELS[r])) for r in Reliance])
        self.interpretation.setTitle(_("2. Your final interpretation"))
        self.confidence.setTitle(_("3. How sure are you?"))
        self.action.setTitle(_("4. Next action"))
        self.limitations.setTitle(_("5. AI limitations you noticed"))
        self.rationale_label.setText(_("&Rationale (for your trainer)"))
        if self.case is not None:
            self.interpretation.relabel(_options(self.case, "interpretation"))
            self.action.relabel(_options(self.case, "action"))
            self.limitations.relabel(_limitations(self.case))

    def answer(self) -> dict[str, Any]:
        confidence = self.confidence.value()
        return {
            "reliance": self.reliance.value(),
            "interpretation": self.interpretation.value(),
            "confidence": int(confidence) / 100 if confidence else None,
            "action": self.action.value(),
            "limitations": self.limitations.values(),
            "rationale": self.rationale.toPlainText(),
        }


class ToolHeader(QWidget):
    """One line naming the AI tool, shown above its output."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel(objectName="tool_header")
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)

    def show_case(self, case: Case) -> None:
        tool = case.ai_output.tool
        self.text.setText(
            _("AI tool: {name} · intended use: {use}").format(
                name=tool.name.get(), use=tool.intended_use.get()
            )
        )
