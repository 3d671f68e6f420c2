"""Study history: every completed case attempt of a doctor, searchable and filterable,
and the study time that counts for continuing education."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from assessments.scoring import RelianceOutcome
from case_bank.models import Case
from case_bank.text import Bilingual
from courses.study_time import StudyTotals, study_totals
from records.db import Database
from records.tables import Attempt, ExamAttempt, LessonProgress
from xiangyi.i18n import N_


class Show(StrEnum):
    """Which attempts the history shows."""

    ALL = "all"
    NOT_CORRECT = "not_correct"
    CRITICAL = "critical"
    OVER_RELIANCE = "over_reliance"
    UNDER_RELIANCE = "under_reliance"
    REVIEW = "review"


SHOW_LABELS = {
    Show.ALL: N_("All cases"),
    Show.NOT_CORRECT: N_("Not correct"),
    Show.CRITICAL: N_("Critical errors"),
    Show.OVER_RELIANCE: N_("Followed a wrong AI"),
    Show.UNDER_RELIANCE: N_("Overrode a right AI"),
    Show.REVIEW: N_("Review sessions"),
}


@dataclass(frozen=True)
class HistoryEntry:
    attempt_id: str
    case_id: str
    title: Bilingual | None  # None when the case is no longer on this PC
    completed_at: datetime
    mode: str  # practice, review
    total: float
    correct: bool
    reliance: str  # a RelianceOutcome value
    critical_error: bool
    seconds: float


def history(db: Database, user_id: str, cases: Mapping[str, Case]) -> list[HistoryEntry]:
    """Every completed, scored case attempt of ``user_id``, newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.status == "completed")
            .order_by(Attempt.completed_at.desc())
        )
        attempts = [a for a in rows if a.score and a.completed_at is not None]
    entries = []
    for attempt in attempts:
        case = cases.get(attempt.case_id)
        score = attempt.score or {}
        assert attempt.completed_at is not None
        entries.append(
            HistoryEntry(
                attempt_id=attempt.id,
                case_id=attempt.case_id,
                title=case.title if case is not None else None,
                completed_at=attempt.completed_at,
                mode=attempt.mode,
                total=float(score.get("total", 0.0)),
                correct=bool(score.get("correct")),
                reliance=str(score.get("reliance", "")),
                critical_error=bool(score.get("critical_error")),
                seconds=sum(attempt.stage_seconds.values()),
            )
        )
    return entries


def matches(entry: HistoryEntry, text: str = "", show: str = Show.ALL) -> bool:
    """Whether ``entry`` passes the filter and contains ``text`` (case-insensitive) in
    its title in either language, its case ID or its date (YYYY-MM-DD)."""
    checks = {
        Show.ALL: True,
        Show.NOT_CORRECT: not entry.correct,
        Show.CRITICAL: entry.critical_error,
        Show.OVER_RELIANCE: entry.reliance == RelianceOutcome.OVER_RELIANCE,
        Show.UNDER_RELIANCE: entry.reliance == RelianceOutcome.UNDER_RELIANCE,
        Show.REVIEW: entry.mode == "review",
    }
    if not checks.get(Show(show), True):
        return False
    needle = text.strip().casefold()
    if not needle:
        return True
    haystack = [entry.case_id, entry.completed_at.date().isoformat()]
    if entry.title is not None:
        haystack += [entry.title.zh_CN, entry.title.en]
    return any(needle in item.casefold() for item in haystack)


def search(
    entries: Iterable[HistoryEntry], text: str = "", show: str = Show.ALL
) -> list[HistoryEntry]:
    return [entry for entry in entries if matches(entry, text, show)]


def own_attempt(db: Database, user_id: str, attempt_id: str) -> Attempt | None:
    """One of the doctor's own attempts (to show its feedback again)."""
    with db.session() as session:
        row = session.get(Attempt, attempt_id)
        return row if row is not None and row.user_id == user_id else None


def study_time(db: Database, user_id: str) -> StudyTotals:
    """Study time for continuing education: active lesson reading, the time spent on the
    stages of every case (finished or not) and active exam time."""
    entries: list[tuple[str, datetime | None, float]] = []
    with db.session() as session:
        for lesson in session.scalars(
            select(LessonProgress).where(LessonProgress.user_id == user_id)
        ):
            entries.append(("lesson", lesson.updated_at, float(lesson.active_seconds or 0.0)))
        for case in session.scalars(select(Attempt).where(Attempt.user_id == user_id)):
            seconds = float(sum((case.stage_seconds or {}).values()))
            entries.append(("case", case.completed_at or case.updated_at, seconds))
        for exam in session.scalars(select(ExamAttempt).where(ExamAttempt.user_id == user_id)):
            seconds = float((exam.result or {}).get("active_seconds", 0.0))
            entries.append(("exam", exam.submitted_at or exam.started_at, seconds))
    return study_totals(entries)
