"""Feedback after a decision: the truth, the score, reliance in plain words, teaching."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout

from assessments.scoring import RelianceOutcome
from case_bank.models import Case
from case_bank.vocabulary import AI_ERROR_LABELS
from desktop.widgets import Screen
from xiangyi.i18n import N_, _

RELIANCE_WORDS = {
    RelianceOutcome.APPROPRIATE_ACCEPTANCE: N_("You rightly followed a correct AI output."),
    RelianceOutcome.APPROPRIATE_OVERRIDE: N_("You rightly overrode a wrong AI output."),
    RelianceOutcome.OVER_RELIANCE: N_("You followed the AI when it was wrong (over-reliance)."),
    RelianceOutcome.UNDER_RELIANCE: N_("You overrode the AI when it was right (under-reliance)."),
}


class FeedbackView(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.answers: dict[str, Any] = {}
        self.score: dict[str, Any] = {}
        self.browser = QTextBrowser(objectName="feedback_text")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def load(self, case: Case, answers: dict[str, Any], score: dict[str, Any]) -> None:
        self.case, self.answers, self.score = case, answers, score
        self.retranslate()

    def text(self) -> str:
        return self.browser.toPlainText()

    def retranslate(self) -> None:
        if self.case is None or not self.score:
            return
        case, score = self.case, self.score
        decision = self.answers.get("decision", {})
        total = round(100 * float(score["total"]))
        parts = []
        if score["critical_error"]:
            parts.append(
                "<p style='background:#fde2e1;color:#8b0000;padding:6px;'><b>"
                + escape(_("Critical error: this action could harm the patient."))
                + "</b> "
                + escape(case.action_text(decision.get("action", "")))
                + "</p>"
            )
        verdict = _("Correct") if score["correct"] else _("Not correct")
        parts.append(
            f"<h2>{escape(_('Score'))}: {total} / 100 · {escape(verdict)}</h2>"
            f"<p><b>{escape(_('The truth'))}:</b> {escape(case.feedback.truth.get())}</p>"
            f"<p><b>{escape(_('Your interpretation'))}:</b> "
            f"{escape(case.interpretation_text(decision.get('interpretation', '')))} "
            f"({escape(_('credit'))} {round(100 * score['interpretation_credit'])}%)</p>"
            f"<p><b>{escape(_('Your action'))}:</b> "
            f"{escape(case.action_text(decision.get('action', '')))} "
            f"({escape(_('credit'))} {round(100 * score['action_credit'])}%)</p>"
        )
        ideal = ", ".join(case.action_text(a) for a in case.key.ideal_actions)
        parts.append(f"<p><b>{escape(_('Best action'))}:</b> {escape(ideal)}</p>")
        ai_label = _(AI_ERROR_LABELS[case.ai_error])
        parts.append(
            f"<h3>{escape(_('The AI'))}: {escape(ai_label)}</h3>"
            f"<p>{escape(case.feedback.ai_assessment.get())}</p>"
            f"<p><i>{escape(_(RELIANCE_WORDS[score['reliance']]))}</i></p>"
        )
        if score.get("own_read_correct") is not None:
            own = (
                _("Your own read was correct.")
                if score["own_read_correct"]
                else _("Your own read was not correct.")
            )
            changed = (
                _("You changed your mind after the AI.")
                if score["switched"]
                else _("You kept your first impression.")
            )
            parts.append(f"<p>{escape(own)} {escape(changed)}</p>")
        points = "".join(f"<li>{escape(p.get())}</li>" for p in case.feedback.teaching_points)
        sources = "".join(f"<li>{escape(s.citation)}</li>" for s in case.sources)
        parts.append(
            f"<h3>{escape(_('Teaching points'))}</h3><ul>{points}</ul>"
            f"<h3>{escape(_('Sources'))}</h3><ul>{sources}</ul>"
            f"<p><small>{escape(_('Simulated case for training; not a real patient.'))}</small></p>"
        )
        self.browser.setHtml("".join(parts))
