"""Bulk reads for reports: one query for the doctors of a scope, then four queries per
``CHUNK`` doctors (never one per doctor), so memory stays bounded and a county report of
5,000 doctors reads its rows in a few seconds.

Only the columns a report needs are selected and run as Core statements (tuples, not ORM
objects: no identity map, no change tracking); the answers' confidence and the stage
times are extracted by the database. ``iter_rows`` yields each doctor with their rows for
``record.build_report`` and ``xapi.statements``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from records.accounts import Role
from records.attempts import ALL_STAGES
from records.db import Database
from records.tables import Attempt, Credential, ExamAttempt, Institution, LessonProgress, User


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    username: str
    name: str
    practising_number: str
    institution_id: str | None
    department: str
    title: str


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    case_id: str
    module_id: str | None
    mode: str
    status: str
    score: dict[str, Any] | None
    confidence: float | None
    seconds: float
    started_at: datetime
    completed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ExamRow:
    id: str
    blueprint_id: str
    module_id: str | None
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LessonRow:
    module_id: str
    lesson_id: str
    active_seconds: float
    completed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CertificateRow:
    id: str
    code: str
    blueprint_id: str
    status: str
    issued_at: datetime | None
    valid_until: date


@dataclass
class Rows:
    """Everything stored about one doctor that a competency record needs."""

    cases: list[CaseRow] = field(default_factory=list)
    exams: list[ExamRow] = field(default_factory=list)
    lessons: list[LessonRow] = field(default_factory=list)
    certificates: list[CertificateRow] = field(default_factory=list)


def scope_ids(institutions: Sequence[Institution], root: str) -> set[str]:
    """``root`` and every institution below it (a township and its village clinics)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for inst in institutions:
        children[inst.parent_id].append(inst.id)
    found, pending = set(), [root]
    while pending:
        current = pending.pop()
        if current in found:
            continue  # a cycle in hand-edited data must not hang the report
        found.add(current)
        pending.extend(children.get(current, []))
    return found


def _case_rows(session: Session, who: list[str], by_user: dict[str, Rows]) -> None:
    # Only the confidence of the answers is needed: let the database extract it rather
    # than decode every answer document (JSON path works on SQLite and PostgreSQL).
    confidence = Attempt.answers[("decision", "confidence")].as_float().label("confidence")
    # The stage times are summed there too (a JSON document per attempt is slow to decode).
    seconds = sum(
        (func.coalesce(Attempt.stage_seconds[stage].as_float(), 0.0) for stage in ALL_STAGES),
        start=literal(0.0),
    ).label("seconds")
    query = select(
        Attempt.user_id,
        Attempt.id,
        Attempt.case_id,
        Attempt.module_id,
        Attempt.mode,
        Attempt.status,
        Attempt.score,
        confidence,
        seconds,
        Attempt.started_at,
        Attempt.completed_at,
        Attempt.updated_at,
    ).where(Attempt.user_id.in_(who))
    for row in session.connection().execute(query):
        by_user[row.user_id].cases.append(
            CaseRow(
                row.id,
                row.case_id,
                row.module_id,
                row.mode,
                row.status,
                row.score,
                row.confidence,
                float(row.seconds or 0.0),
                row.started_at,
                row.completed_at,
                row.updated_at,
            )
        )


def _other_rows(session: Session, who: list[str], by_user: dict[str, Rows]) -> None:
    exams = select(
        ExamAttempt.user_id,
        ExamAttempt.id,
        ExamAttempt.blueprint_id,
        ExamAttempt.module_id,
        ExamAttempt.started_at,
        ExamAttempt.submitted_at,
        ExamAttempt.score,
        ExamAttempt.passed,
        ExamAttempt.result,
    ).where(ExamAttempt.user_id.in_(who))
    for r in session.connection().execute(exams.order_by(ExamAttempt.started_at)):
        by_user[r.user_id].exams.append(
            ExamRow(
                r.id,
                r.blueprint_id,
                r.module_id,
                r.started_at,
                r.submitted_at,
                r.score,
                r.passed,
                r.result or {},
            )
        )
    lessons = select(
        LessonProgress.user_id,
        LessonProgress.module_id,
        LessonProgress.lesson_id,
        LessonProgress.active_seconds,
        LessonProgress.completed_at,
        LessonProgress.updated_at,
    ).where(LessonProgress.user_id.in_(who))
    for r in session.connection().execute(lessons):
        by_user[r.user_id].lessons.append(
            LessonRow(
                r.module_id,
                r.lesson_id,
                float(r.active_seconds or 0.0),
                r.completed_at,
                r.updated_at,
            )
        )
    credentials = select(
        Credential.user_id,
        Credential.id,
        Credential.code,
        Credential.blueprint_id,
        Credential.status,
        Credential.issued_at,
        Credential.valid_until,
    ).where(Credential.user_id.in_(who))
    for r in session.connection().execute(credentials.order_by(Credential.created_at)):
        by_user[r.user_id].certificates.append(
            CertificateRow(r.id, r.code, r.blueprint_id, r.status, r.issued_at, r.valid_until)
        )


CHUNK = 500  # doctors per round of queries: bounded memory, still a few queries


def people(
    db: Database, institution_ids: Iterable[str] | None, user_ids: Iterable[str] | None = None
) -> list[Person]:
    """The doctors (learner accounts) of ``institution_ids`` (None: everyone), or only
    ``user_ids`` among them, by institution and name."""
    query = select(
        User.id,
        User.username,
        User.display_name,
        User.practising_number,
        User.institution_id,
        User.department,
        User.title,
    ).where(User.role == Role.LEARNER)
    if institution_ids is not None:
        query = query.where(User.institution_id.in_(sorted(institution_ids)))
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(user_ids)))
    query = query.order_by(User.institution_id, User.display_name, User.username)
    with db.session() as session:
        return [
            Person(
                r.id,
                r.username,
                r.display_name,
                r.practising_number or "",
                r.institution_id,
                r.department or "",
                r.title or "",
            )
            for r in session.execute(query)
        ]


def rows_of(db: Database, user_ids: Sequence[str]) -> dict[str, Rows]:
    """The stored rows of ``user_ids`` (four queries), grouped by user id."""
    by_user: dict[str, Rows] = {uid: Rows() for uid in user_ids}
    with db.session() as session:
        _case_rows(session, list(user_ids), by_user)
        _other_rows(session, list(user_ids), by_user)
    return by_user


def iter_rows(db: Database, found: Sequence[Person]) -> Iterator[tuple[Person, Rows]]:
    """Each doctor with their rows, read ``CHUNK`` doctors at a time."""
    for start in range(0, len(found), CHUNK):
        chunk = found[start : start + CHUNK]
        by_user = rows_of(db, [p.id for p in chunk])
        for person in chunk:
            yield person, by_user.pop(person.id)


def institutions(db: Database) -> list[Institution]:
    with db.session() as session:
        return list(session.scalars(select(Institution).order_by(Institution.name_zh)))
