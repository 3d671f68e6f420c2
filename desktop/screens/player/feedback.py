"""Feedback after a decision: the truth, the score, reliance in plain words, teaching."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout

from assessments.scoring import RelianceOutcome
from case_bank.models import Case
from case_bank.vocabulary import AI_ERROR_LABELS
from desktop.screens.player.stages import pair
from desktop.widgets import Screen
from xiangyi.i18n import N_, _

RELIANCE_WORDS = {
    RelianceOutcome.APPROPRIATE_ACCEPTANCE: N_("You rightly followed a correct AI output."),
    RelianceOutcome.APPROPRIATE_OVERRIDE: N_("You rightly overrode a wrong AI output."),
    RelianceOutcome.OVER_RELIANCE: N_("You followed the AI when it was wrong (over-reliance)."),
    RelianceOutcome.UNDER_RELIANCE: N_("You overrode the AI when it was right (under-reliance)."),
}


def with_credit(answer: str, credit: str) -> str:
    return _("{answer} ({credit})").format(answer=answer, credit=credit)


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
        credit = _("credit {percent}%")
        interp_credit = credit.format(percent=round(100 * score["interpretation_credit"]))
        action_credit = credit.format(percent=round(100 * score["action_credit"]))
        parts.append(
            "<h2>"
            + escape(_("Score: {total} / 100 · {verdict}").format(total=total, verdict=verdict))
            + "</h2>"
        )
        ideal = ", ".join(case.action_text(a) for a in case.key.ideal_actions)
        rows = [
            (_("The truth"), case.feedback.truth.get()),
            (
                _("Your interpretation"),
                with_credit(
                    case.interpretation_text(decision.get("interpretation", "")), interp_credit
                ),
            ),
            (
                _("Your action"),
                with_credit(case.action_text(decision.get("action", "")), action_credit),
            ),
            (_("Best action"), ideal),
        ]
        parts.extend(f"<p>{pair(f'<b>{escape(k)}</b>', escape(v))}</p>" for k, v in rows)
        ai_heading = pair(_("The AI"), _(AI_ERROR_LABELS[case.ai_error]))
        outcome = score["reliance"]
        reliance_words = _(RELIANCE_WORDS[outcome])
        parts.append(
            f"<h3>{escape(ai_heading)}</h3>"
            f"<p>{escape(case.feedback.ai_assessment.get())}</p>"
            f"<p><i>{escape(reliance_words)}</i></p>"
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
        headings = [_("Teaching points"), _("Sources")]
        note = _("Simulated case for training; not a real patient.")
        parts.append(
            f"<h3>{escape(headings[0])}</h3><ul>{points}</ul>"
            f"<h3>{escape(headings[1])}</h3><ul>{sources}</ul>"
            f"<p><small>{escape(note)}</small></p>"
        )
        self.browser.setHtml("".join(parts))
