"""Item analysis of a pack's cases from the stored records, and its XLSX export.

Sittings: every submitted exam is one; each doctor's first practice attempt at each
case forms one more (practice weighs like an exam here because item statistics need
all the evidence a small county has).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from assessments.items import FLAG_LABELS, ItemReport, analyse_case_attempts
from case_bank.models import Case
from records.db import Database
from records.tables import Attempt, ExamAttempt
from xiangyi.i18n import _

Sitting = dict[str, tuple[float, str]]


def sittings(db: Database, case_ids: Sequence[str]) -> list[Sitting]:
    """Per sitting, case id → (score 0–1, chosen interpretation)."""
    wanted = set(case_ids)
    found: list[Sitting] = []
    with db.session() as session:
        for exam in session.scalars(select(ExamAttempt).where(ExamAttempt.passed.is_not(None))):
            result = exam.result or {}
            totals = result.get("case_totals", {})
            choices = result.get("choices", {})
            sitting = {
                c: (float(totals[c] or 0.0), str(choices.get(c) or ""))
                for c in totals
                if c in wanted
            }
            if sitting:
                found.append(sitting)
        practice: dict[str, Sitting] = {}
        query = (
            select(Attempt)
            .where(Attempt.status == "completed", Attempt.mode == "practice")
            .order_by(Attempt.completed_at)
        )
        for attempt in session.scalars(query):
            if attempt.case_id not in wanted or attempt.score is None:
                continue
            mine = practice.setdefault(attempt.user_id, {})
            if attempt.case_id not in mine:  # the first attempt, before any feedback
                chosen = (attempt.answers.get("decision") or {}).get("interpretation", "")
                mine[attempt.case_id] = (float(attempt.score["total"]), str(chosen))
        found.extend(practice.values())
    return found


def analyse(db: Database, cases: Sequence[Case]) -> ItemReport:
    return analyse_case_attempts(sittings(db, [c.id for c in cases]), list(cases))


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def write_xlsx(report: ItemReport, cases: Sequence[Case], path: Path) -> Path:
    """Items and a summary as an XLSX workbook: numbers as numbers, frozen headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    titles = {c.id: c.title.get() for c in cases}
    book = Workbook()
    sheet = book.active
    sheet.title = _("Items")
    headers = [
        _("Case ID"),
        _("Title"),
        _("Responses"),
        _("Facility"),
        _("Point-biserial"),
        _("Upper–lower discrimination"),
        _("Options chosen"),
        _("Flags"),
    ]
    sheet.append(headers)
    for item in report.items:
        options = ", ".join(f"{k}: {v}" for k, v in item.option_counts.items())
        flags = "; ".join(_(FLAG_LABELS[f]) for f in item.flags)
        sheet.append(
            [
                item.item_id,
                titles.get(item.item_id, ""),
                item.n,
                _number(item.facility),
                _number(item.point_biserial),
                _number(item.discrimination),
                options,
                flags,
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (22, 40, 12, 10, 14, 14, 36, 50), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet(_("Summary"))
    summary.append([_("Measure"), _("Value")])
    rows = [
        (_("Sittings"), report.attempts),
        (_("Complete sittings"), report.complete_attempts),
        (_("KR-20"), _number(report.kr20)),
        (_("Cronbach's alpha"), _number(report.alpha)),
        (_("Mean score"), _number(report.mean_score)),
    ]
    for row in rows:
        summary.append(list(row))
    for cell in summary[1]:
        cell.font = Font(bold=True)
    summary.freeze_panes = "A2"
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 12
    book.save(path)
    return path
