"""The result of an exam: pass or fail with reasons, domains, reliance, critical errors."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout

from assessments.results import FAIL_REASON_LABELS
from case_bank.vocabulary import DOMAIN_LABELS
from desktop.widgets import Screen
from xiangyi.i18n import _

if TYPE_CHECKING:
    from assessments.results import ExamResult
    from case_bank.models import Case


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


class ExamResultView(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.result: ExamResult | None = None
        self.cases: dict[str, Case] = {}
        self.browser = QTextBrowser(objectName="exam_result_text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def show_result(self, result: ExamResult, cases: dict[str, Case]) -> None:
        self.result, self.cases = result, cases
        self.retranslate()

    def text(self) -> str:
        return self.browser.toPlainText()

    def retranslate(self) -> None:
        result = self.result
        if result is None:
            return
        verdict = _("Passed") if result.passed else _("Not passed")
        colour = "#1b5e20" if result.passed else "#8b0000"
        headline = _("Exam score: {score} / 100").format(score=round(100 * result.score))
        parts = [f"<h2>{escape(headline)} · <span style='color:{colour}'>{verdict}</span></h2>"]
        for code in result.fail_reasons:
            parts.append(f"<p style='color:#8b0000'>{escape(_(FAIL_REASON_LABELS[code]))}</p>")
        if result.critical_errors:
            titles = ", ".join(self.cases[c].title.get() for c in result.critical_errors)
            label = _("Critical errors in: {cases}").format(cases=titles)
            parts.append(f"<p style='background:#fde2e1;color:#8b0000'><b>{escape(label)}</b></p>")
        heading = _("By domain")
        rows = "".join(
            f"<tr><td>{escape(_(DOMAIN_LABELS[d]))}</td><td align='right'>{_percent(s)}</td></tr>"
            for d, s in result.domain_scores.items()
        )
        parts.append(f"<h3>{escape(heading)}</h3><table cellpadding='4'>{rows}</table>")
        profile = result.reliance
        lines = [
            _("Followed the AI when it was right: {n}").format(n=profile.appropriate_acceptance),
            _("Overrode the AI when it was wrong: {n}").format(n=profile.appropriate_override),
            _("Followed the AI when it was wrong: {n}").format(n=profile.over_reliance),
            _("Overrode the AI when it was right: {n}").format(n=profile.under_reliance),
        ]
        reliance_heading = _("How you relied on the AI")
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        parts.append(f"<h3>{escape(reliance_heading)}</h3><ul>{items}</ul>")
        case_heading = _("Cases")
        case_rows = "".join(
            f"<tr><td>{escape(self.cases[c].title.get())}</td>"
            f"<td align='right'>{_percent(s.total if s else None)}</td></tr>"
            for c, s in result.case_scores.items()
        )
        parts.append(f"<h3>{escape(case_heading)}</h3><table cellpadding='4'>{case_rows}</table>")
        self.browser.setHtml("".join(parts))
