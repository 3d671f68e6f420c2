"""Everything the learner's home screen shows, gathered from the records in one call:
modules with progress and the next step, assignments, competency, spaced review,
certificates, study time, and what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from case_bank.models import Case
from courses import progress
from courses.assignments import Assigned
from courses.models import Module
from courses.practice import practice_cases
from courses.progress import ModuleState
from courses.recommend import Kind, NextStep, Suggestion, domain_practice, next_step, recommend
from courses.review import ReviewSchedule
from courses.review import session as review_session
from courses.study_time import StudyTotals
from records.assignments import user_assignments
from records.attempts import completed
from records.competency import CompetencyPicture, picture
from records.db import Database
from records.history import study_time
from records.learning import module_record
from records.review import review_schedule
from records.tables import User

EXPIRY_REMINDER_DAYS = 90  # remind a doctor this long before a certificate expires


@dataclass(frozen=True)
class ModuleLine:
    module: Module
    state: ModuleState
    next: NextStep


@dataclass(frozen=True)
class CertificateLine:
    code: str
    blueprint_id: str
    valid_until: date
    status: str  # records.credentials.issuing status: pending, valid, expired, revoked
    days_left: int
    remind: bool  # valid and expiring within EXPIRY_REMINDER_DAYS, or expired


@dataclass(frozen=True)
class HomePicture:
    modules: list[ModuleLine]
    assignments: list[Assigned]
    competency: CompetencyPicture
    review: ReviewSchedule
    review_session: list[str]  # case IDs a review session would play now
    due_reviews: int
    study: StudyTotals
    certificates: list[CertificateLine]
    suggestions: list[Suggestion]
    now: datetime
    today: date
    # For each suggested weak domain, the case IDs a practice session would play.
    domain_cases: dict[str, list[str]]


def certificate_line(
    code: str, blueprint_id: str, valid_until: date, status: str, today: date
) -> CertificateLine:
    """A certificate with its reminder: a valid one expiring within
    ``EXPIRY_REMINDER_DAYS`` days, or one already expired."""
    days = (valid_until - today).days
    remind = status == "expired" or (status == "valid" and days <= EXPIRY_REMINDER_DAYS)
    return CertificateLine(code, blueprint_id, valid_until, status, days, remind)


def certificates(db: Database, user_id: str, today: date) -> list[CertificateLine]:
    """The doctor's certificates (replaced ones left out), newest first."""
    from records.credentials import issuing

    lines = []
    for credential in reversed(issuing.list_credentials(db, user_id=user_id)):
        status = issuing.status_of(credential, today)
        if status == issuing.REPLACED:
            continue
        lines.append(
            certificate_line(
                credential.code, credential.blueprint_id, credential.valid_until, status, today
            )
        )
    return lines


def home_picture(
    db: Database,
    user: User,
    modules: Sequence[Module],
    bank: Sequence[Case],
    now: datetime | None = None,
) -> HomePicture:
    """The home screen's content for ``user`` at ``now`` (default: the current time)."""
    now = now or datetime.now(UTC)
    today = now.astimezone().date()
    records = {m.id: module_record(db, user.id, m) for m in modules}
    practice = {m.id: [c.id for c in practice_cases(m, list(bank))] for m in modules}
    states = progress.module_states(list(modules), records, practice)
    lines = [
        ModuleLine(m, states[m.id], next_step(m, records[m.id].lessons_read, states[m.id]))
        for m in modules
    ]
    assigned = user_assignments(db, user, states, today)
    cases = {case.id: case for case in bank}
    competency = picture(db, user.id, cases)
    plan = review_schedule(db, user.id)
    playable = frozenset(cases)
    due = [item for item in plan.due(now) if item.case_id in playable]
    practisable = {str(d) for case in bank for d in case.domains}
    suggestions = recommend(
        today=today,
        assignments=assigned,
        due_reviews=len(due),
        mastery=competency.mastery,
        modules=states,
        practisable_domains=practisable,
    )
    best: dict[str, float] = {}
    for attempt in completed(db, user.id):
        total = float((attempt.score or {}).get("total", 0.0))
        best[attempt.case_id] = max(best.get(attempt.case_id, 0.0), total)
    domain_cases = {
        s.target: domain_practice(s.target, bank, best)
        for s in suggestions
        if s.kind == Kind.DOMAIN
    }
    return HomePicture(
        modules=lines,
        assignments=assigned,
        competency=competency,
        review=plan,
        review_session=review_session(plan, now, playable=playable),
        due_reviews=len(due),
        study=study_time(db, user.id),
        certificates=certificates(db, user.id, today),
        suggestions=suggestions,
        now=now,
        today=today,
        domain_cases=domain_cases,
    )
