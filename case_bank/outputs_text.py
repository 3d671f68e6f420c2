"""AI outputs made of words: triage, prescription review, an LLM assistant, a report.

Fields marked as *truth* (``true_alert``, ``exists``, ``false_statements``) are never
shown with the output; they drive the feedback stage.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from case_bank.outputs import (
    AlertKind,
    AlertSeverity,
    OutputBase,
    Probability,
    Route,
    Strict,
    Urgency,
)
from case_bank.text import Bilingual
from case_bank.validation import Issue, raise_issues
from case_bank.vocabulary import AIKind
from xiangyi.i18n import _

# --- triage ---------------------------------------------------------------------------


class TriageOutput(OutputBase):
    """An urgency suggestion with the reasons the tool gives."""

    kind: Literal[AIKind.TRIAGE] = AIKind.TRIAGE
    urgency: Urgency
    reasons: list[Bilingual] = Field(min_length=1, max_length=20)
    recommendation: Bilingual | None = Field(default=None, description="e.g. 'see within 30 min'")
    confidence: Probability | None = None


# --- prescription ---------------------------------------------------------------------


class PrescriptionItem(Strict):
    drug: Bilingual
    dose: str = Field(min_length=1, max_length=60, description="e.g. '5 mg'")
    route: Route
    frequency: Bilingual = Field(description="e.g. once daily")
    duration: Bilingual | None = None


class PrescriptionAlert(Strict):
    """One review alert; ``items`` are 0-based indexes into the prescription's items."""

    severity: AlertSeverity
    kind: AlertKind
    text: Bilingual
    items: list[int] = Field(default_factory=list, max_length=50)
    true_alert: bool = Field(description="Truth: whether the alert is clinically right")


class PrescriptionOutput(OutputBase):
    """A prescription and the review tool's alerts (interactions, doses, ...)."""

    kind: Literal[AIKind.PRESCRIPTION] = AIKind.PRESCRIPTION
    items: list[PrescriptionItem] = Field(min_length=1, max_length=50)
    alerts: list[PrescriptionAlert] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _check(self) -> PrescriptionOutput:
        issues: list[Issue] = []
        for i, alert in enumerate(self.alerts):
            loc = ("alerts", i, "items")
            if any(not 0 <= n < len(self.items) for n in alert.items):
                issues.append(
                    (
                        loc,
                        _("item numbers count from 0 and must be below {n}").format(
                            n=len(self.items)
                        ),
                    )
                )
            if len(set(alert.items)) != len(alert.items):
                issues.append((loc, _("an item is listed twice")))
            pair = alert.kind in (AlertKind.INTERACTION, AlertKind.DUPLICATE)
            if pair and len(set(alert.items)) < 2:
                issues.append((loc, _("an interaction or duplicate alert names at least 2 items")))
            if not pair and not alert.items:
                issues.append((loc, _("name the item(s) this alert is about")))
        raise_issues(issues)
        return self


# --- llm ------------------------------------------------------------------------------


class Citation(Strict):
    citation: str = Field(min_length=3)
    exists: bool = Field(description="Truth: false for a citation the assistant invented")


class FalseStatement(Strict):
    """Truth: a wrong sentence in a message; ``quote`` is copied from the message text."""

    quote: Bilingual
    why: Bilingual


class Message(Strict):
    role: Literal["doctor", "assistant"]
    text: Bilingual
    sources: list[Citation] = Field(default_factory=list, max_length=20)
    false_statements: list[FalseStatement] = Field(default_factory=list, max_length=20)


class LlmOutput(OutputBase):
    """A conversation between the doctor and a large-language-model assistant."""

    kind: Literal[AIKind.LLM] = AIKind.LLM
    messages: list[Message] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _check(self) -> LlmOutput:
        issues: list[Issue] = []
        if all(m.role != "assistant" for m in self.messages):
            issues.append((("messages",), _("needs at least one message from the assistant")))
        for i, message in enumerate(self.messages):
            if message.role == "doctor" and (message.sources or message.false_statements):
                issues.append(
                    (
                        ("messages", i),
                        _("only assistant messages carry sources or false statements"),
                    )
                )
            for j, wrong in enumerate(message.false_statements):
                for language in ("zh_CN", "en"):
                    if wrong.quote.get(language) not in message.text.get(language):
                        issues.append(
                            (
                                ("messages", i, "false_statements", j, "quote", language),
                                _("the quote must be copied exactly from the message text"),
                            )
                        )
        raise_issues(issues)
        return self

    def has_marked_errors(self) -> bool:
        """Whether any message carries a false statement or an invented citation."""
        return any(
            m.false_statements or any(not s.exists for s in m.sources) for m in self.messages
        )


# --- report ---------------------------------------------------------------------------


class ReportSection(Strict):
    heading: Bilingual
    text: Bilingual


class ReportOutput(OutputBase):
    """A structured text report written by the AI (e.g. a draft imaging report)."""

    kind: Literal[AIKind.REPORT] = AIKind.REPORT
    sections: list[ReportSection] = Field(min_length=1, max_length=30)
    impression: Bilingual
    confidence: Probability | None = None
