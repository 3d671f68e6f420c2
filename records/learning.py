"""Lesson reading, in-lesson checks and module records for one doctor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from case_bank.models import Case
from courses import progress
from courses.models import Module
from courses.practice import practice_cases
from courses.progress import ModuleRecord, ModuleState
from records.db import Database
from records.exams import passed_at
from records.settings import device_id
from records.tables import Attempt, ExamAttempt, LessonProgress, utcnow


def lesson_progress(db: Database, user_id: str, module_id: str) -> dict[str, LessonProgress]:
    with db.session() as session:
        rows = session.scalars(
            select(LessonProgress).where(
                LessonProgress.user_id == user_id, LessonProgress.module_id == module_id
            )
        )
        return {row.lesson_id: row for row in rows}


def save_reading(
    db: Database,
    user_id: str,
    module_id: str,
    lesson_id: str,
    *,
    position: float,
    active_seconds: float = 0.0,
    completed: bool = False,
    check: tuple[str, dict[str, Any]] | None = None,
) -> LessonProgress:
    """Store the reading position, add active time, mark completion, keep a check answer.

    Committed before returning, like every answer a doctor gives.
    """
    with db.session() as session:
        row = session.scalars(
            select(LessonProgress).where(
                LessonProgress.user_id == user_id,
                LessonProgress.module_id == module_id,
                LessonProgress.lesson_id == lesson_id,
            )
        ).first()
        if row is None:
            row = LessonProgress(
                user_id=user_id,
                module_id=module_id,
                lesson_id=lesson_id,
                position=0.0,
                active_seconds=0.0,
                checks={},
                device_id=device_id(db),
            )
            session.add(row)
        row.position = min(1.0, max(0.0, position))
        row.active_seconds = (row.active_seconds or 0.0) + max(0.0, active_seconds)
        if completed and row.completed_at is None:
            row.completed_at = utcnow()
        if check is not None:
            checks = dict(row.checks or {})
            checks[check[0]] = check[1]
            row.checks = checks
        row.updated_at = utcnow()
    return row


def module_record(db: Database, user_id: str, module: Module) -> ModuleRecord:
    """What the records say about ``user_id`` in ``module`` (lessons, practice, time)."""
    lessons = lesson_progress(db, user_id, module.id)
    with db.session() as session:
        played = list(
            session.scalars(
                select(Attempt).where(
                    Attempt.user_id == user_id,
                    or_(Attempt.module_id == module.id, Attempt.module_id.is_(None)),
                    Attempt.status == "completed",
                )
            )
        )
        exams = list(
            session.scalars(
                select(ExamAttempt).where(
                    ExamAttempt.user_id == user_id, ExamAttempt.module_id == module.id
                )
            )
        )
    # Time and activity count in the module where they were spent; a case practised from
    # the case list (no module) still counts as done for every module that lists it.
    attempts = [a for a in played if a.module_id == module.id]
    free_practice = {a.case_id for a in played if a.module_id is None and a.mode == "practice"}
    seconds = sum(row.active_seconds for row in lessons.values())
    seconds += sum(sum(a.stage_seconds.values()) for a in attempts)
    seconds += sum(float((e.result or {}).get("active_seconds", 0.0)) for e in exams)
    moments = [r.completed_at for r in lessons.values()]
    moments += [a.completed_at for a in attempts]
    known = [m for m in moments if m is not None]
    return ModuleRecord(
        lessons_read=frozenset(k for k, r in lessons.items() if r.completed_at is not None),
        practice_done=frozenset(a.case_id for a in attempts if a.mode == "practice")
        | free_practice,
        check_passed_at=(
            passed_at(db, user_id, module.check_blueprint) if module.check_blueprint else None
        ),
        last_activity_at=max(known) if known else None,
        study_seconds=seconds,
    )


def module_states(
    db: Database, user_id: str, modules: list[Module], bank: list[Case]
) -> dict[str, ModuleState]:
    """The state of every module for ``user_id``, from the records."""
    records = {m.id: module_record(db, user_id, m) for m in modules}
    practice = {m.id: [c.id for c in practice_cases(m, bank)] for m in modules}
    return progress.module_states(modules, records, practice)
