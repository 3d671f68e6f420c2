"""My competencies: level and estimate per domain with its uncertainty, the evidence
behind it, how the doctor relied on the AI, and how well their confidence fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
)

from case_bank.vocabulary import DOMAIN_LABELS, Domain
from desktop.theme import heading
from desktop.widgets import Screen, read_only_table
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.competency import CompetencyPicture


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


class CompetencyScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.picture: CompetencyPicture | None = None
        self.heading = QLabel()
        heading(self.heading, 16)
        self.intro = QLabel(wordWrap=True)
        self.domains = read_only_table("domain_table", 4)
        self.evidence_heading = QLabel()
        self.evidence = read_only_table("evidence_table", 4)
        self.reliance = QLabel(objectName="reliance_summary", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.domains, 3)
        layout.addWidget(self.evidence_heading)
        layout.addWidget(self.evidence, 2)
        layout.addWidget(self.reliance)
        self.domains.currentCellChanged.connect(lambda row, *_a: self._show_evidence(row))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("My competencies"))
        self.intro.setText(
            _(
                "Estimates from all your cases; exam cases count twice as much as practice. "
                "The range shows how sure the estimate is: more cases make it narrower."
            )
        )
        self.domains.setHorizontalHeaderLabels(
            [_("Domain"), _("Level"), _("Estimate (range of 90%)"), _("Cases (exam / practice)")]
        )
        self.evidence.setHorizontalHeaderLabels(
            [_("Case"), _("Date"), _("Practice or exam"), _("Score")]
        )
        self.evidence_heading.setText(_("The evidence behind the selected domain"))
        if self.ctx.user is not None:
            self.refresh()

    def refresh(self) -> None:
        from assessments.framework import builtin_framework
        from records.competency import picture

        assert self.ctx.user is not None
        cases = {case.id: case for case in self.ctx.bank()}
        self.picture = picture(self.ctx.db, self.ctx.user.id, cases)
        levels = {level.id: level.name.get() for level in builtin_framework().levels}
        rows = list(self.picture.mastery.values())
        self.domains.setRowCount(len(rows))
        for row, item in enumerate(rows):
            exams = sum(1 for e in item.evidence if e.source == "exam")
            cells = [
                _(DOMAIN_LABELS[Domain(item.domain)]),
                levels.get(item.level, item.level),
                _("{mean} ({low}–{high})").format(
                    mean=_pct(item.mean), low=_pct(item.lower), high=_pct(item.upper)
                ),
                f"{exams} / {len(item.evidence) - exams}",
            ]
            for col, text in enumerate(cells):
                self.domains.setItem(row, col, QTableWidgetItem(text))
        self._show_reliance()
        self.domains.setCurrentCell(max(0, self.domains.currentRow()), 0)
        self._show_evidence(self.domains.currentRow())

    def _show_evidence(self, row: int) -> None:
        if self.picture is None or row < 0:
            return
        item = list(self.picture.mastery.values())[row]
        titles = {case.id: case.title.get() for case in self.ctx.bank()}
        self.evidence.setRowCount(len(item.evidence))
        for index, evidence in enumerate(reversed(item.evidence)):
            source = _("Exam") if evidence.source == "exam" else _("Practice")
            score = _pct(evidence.credit) + (" ⚠" if evidence.critical_error else "")
            cells = [
                titles.get(evidence.case_id, evidence.case_id),
                evidence.at[:10],
                source,
                score,
            ]
            for col, text in enumerate(cells):
                self.evidence.setItem(index, col, QTableWidgetItem(text))

    def _show_reliance(self) -> None:
        assert self.picture is not None
        p = self.picture.reliance
        wrong = p.over_reliance + p.appropriate_override
        right = p.appropriate_acceptance + p.under_reliance
        lines = [
            _("You followed the AI when it was wrong in {n} of {total} cases.").format(
                n=p.over_reliance, total=wrong
            ),
            _("You overrode the AI when it was right in {n} of {total} cases.").format(
                n=p.under_reliance, total=right
            ),
        ]
        if self.picture.brier is not None:
            lines.append(
                _("Confidence fit (Brier score, 0 is perfect): {value:.2f}").format(
                    value=self.picture.brier
                )
            )
        self.reliance.setText("\n".join(lines))
