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
        self.certificate: object = None
        self.browser = QTextBrowser(objectName="exam_result_text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)

    def show_result(
        self, result: ExamResult, cases: dict[str, Case], certificate: object = None
    ) -> None:
        """``certificate``: the credential a passed certifying exam led to, or the
        exception that stopped it being recorded, or None."""
        self.result, self.cases, self.certificate = result, cases, certificate
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
        if self.certificate is not None:
            parts.append(certificate_notice(self.certificate))
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


def certificate_notice(certificate: object) -> str:
    """What happens next with the certificate of a passed certifying exam (HTML)."""
    from records.credentials.encoding import format_code
    from records.tables import Credential

    heading = escape(_("Your certificate"))
    if not isinstance(certificate, Credential):
        text = _(
            "Your pass is recorded, but the certificate could not be prepared. Please tell "
            "your administrator: they can issue it on the “Manage certificates” page."
        )
        return f"<h3>{heading}</h3><p style='color:#8b0000'>{escape(text)}</p>"
    code = format_code(certificate.code)
    if certificate.status == "pending":
        lines = [
            _(
                "Your certificate has been recorded. It is waiting for an administrator's "
                "signature: until then it cannot be printed or checked by others."
            ),
            _("Once it is signed, save the PDF and the Open Badges file under “My certificates”."),
        ]
    else:
        lines = [_("Your certificate is ready under “My certificates”.")]
    code_line = _("Verification code: {code}").format(code=code)
    dates = _("Valid from {start} to {end}").format(
        start=certificate.valid_from.isoformat(), end=certificate.valid_until.isoformat()
    )
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (
        f"<table width='100%' cellpadding='8' bgcolor='#e6f4ea'><tr><td><h3>{heading}</h3>"
        f"{body}<p style='font-size:14pt'><b>{escape(code_line)}</b></p><p>{escape(dates)}</p>"
        "</td></tr></table>"
    )
