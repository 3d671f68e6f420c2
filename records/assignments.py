"""Assignments: an administrator assigns a module or an exam, with a due date, to one
person or to everyone of an institution (and of the institutions under it)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from assessments.blueprints import builtin_blueprints
from case_bank.models import Case
from courses.assignments import EXAM, MODULE, Assigned, DueState, due_state
from courses.models import Module
from courses.progress import ModuleState, Status
from records import audit
from records.accounts import AccountError, Role
from records.db import Database
from records.exams import passed_at
from records.settings import device_id
from records.tables import Assignment, Institution, User
from xiangyi.i18n import _


class AssignmentError(Exception):
    """An assignment cannot be made; ``str()`` is a translated message."""


def assign(
    db: Database,
    actor: User,
    *,
    due: date,
    module_id: str | None = None,
    blueprint_id: str | None = None,
    user_id: str | None = None,
    institution_id: str | None = None,
    known_modules: Collection[str] | None = None,
    today: date | None = None,
) -> Assignment:
    """Assign a module or an exam (exactly one) to a person or an institution (exactly
    one). Administrators only; audited. ``known_modules`` (when given) must contain
    ``module_id``; an exam must be a built-in blueprint."""
    if actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can do this."))
    if (module_id is None) == (blueprint_id is None):
        raise AssignmentError(_("Assign either a module or an exam."))
    if (user_id is None) == (institution_id is None):
        raise AssignmentError(_("Assign to either a person or an institution."))
    if module_id is not None and known_modules is not None and module_id not in known_modules:
        raise AssignmentError(_("There is no module '{id}'.").format(id=module_id))
    if blueprint_id is not None and blueprint_id not in builtin_blueprints():
        raise AssignmentError(_("There is no exam '{id}'.").format(id=blueprint_id))
    if due < (today or date.today()):
        raise AssignmentError(_("The due date has already passed."))
    with db.session() as session:
        if user_id is not None and session.get(User, user_id) is None:
            raise AccountError(_("No such user."))
        if institution_id is not None and session.get(Institution, institution_id) is None:
            raise AccountError(_("The institution does not exist."))
        row = Assignment(
            module_id=module_id,
            blueprint_id=blueprint_id,
            user_id=user_id,
            institution_id=institution_id,
            due_date=due,
            assigned_by=actor.id,
            device_id=device_id(db),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            "assignment_created",
            actor_id=actor.id,
            subject=row.id,
            target=module_id or blueprint_id,
            assignee=user_id or institution_id,
            due=due.isoformat(),
        )
    return row


def remove(db: Database, actor: User, assignment_id: str) -> Assignment:
    """Withdraw an assignment (administrators only; audited). Work done stays recorded."""
    if actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can do this."))
    with db.session() as session:
        row = session.get(Assignment, assignment_id)
        if row is None:
            raise AssignmentError(_("This assignment no longer exists."))
        session.delete(row)
        audit.record(
            session,
            "assignment_removed",
            actor_id=actor.id,
            subject=row.id,
            target=row.module_id or row.blueprint_id,
            assignee=row.user_id or row.institution_id,
            due=row.due_date.isoformat(),
        )
    return row


def institution_chain(db: Database, institution_id: str | None) -> list[str]:
    """The institution and every institution above it (village → township → county)."""
    chain: list[str] = []
    with db.session() as session:
        current = institution_id
        while current is not None and current not in chain:
            chain.append(current)
            row = session.get(Institution, current)
            current = row.parent_id if row is not None else None
    return chain


def for_user(db: Database, user: User) -> list[Assignment]:
    """Assignments addressed to ``user`` by name or through their institution, soonest
    due first."""
    chain = institution_chain(db, user.institution_id)
    condition = Assignment.user_id == user.id
    if chain:
        condition = or_(condition, Assignment.institution_id.in_(chain))
    with db.session() as session:
        query = select(Assignment).where(condition).order_by(Assignment.due_date)
        return list(session.scalars(query))


def list_all(db: Database) -> list[Assignment]:
    with db.session() as session:
        return list(session.scalars(select(Assignment).order_by(Assignment.due_date)))


def user_assignments(
    db: Database,
    user: User,
    states: Mapping[str, ModuleState],
    today: date | None = None,
    rows: Sequence[Assignment] | None = None,
) -> list[Assigned]:
    """``user``'s assignments (``rows``, when already read by ``for_user``) with their
    due state: a module is done once completed (``states`` from
    ``records.learning.module_states``), an exam once passed."""
    today = today or date.today()
    found = []
    for row in for_user(db, user) if rows is None else rows:
        if row.module_id is not None:
            kind, target = MODULE, row.module_id
            state = states.get(target)
            done = state is not None and state.status == Status.COMPLETED
        else:
            kind, target = EXAM, row.blueprint_id or ""
            done = passed_at(db, user.id, target) is not None
        found.append(
            Assigned(
                kind=kind,
                target=target,
                due=row.due_date,
                state=due_state(row.due_date, done, today),
                id=row.id,
                via_institution=row.user_id is None,
            )
        )
    return found


@dataclass(frozen=True)
class Progress:
    """How far the people an assignment covers have got with it."""

    done: int = 0
    overdue: int = 0
    total: int = 0


def assignment_progress(
    db: Database,
    modules: Sequence[Module],
    bank: Sequence[Case],
    today: date | None = None,
) -> dict[str, Progress]:
    """Every assignment's progress, by assignment ID: of the active people it covers, how
    many have done it and how many are overdue, judged as each person's home screen
    judges it (``user_assignments``). An institution's assignment covers its learners
    (and those of the institutions below it); one addressed to a person covers that
    person whatever their role. One pass over the people; a few queries each."""
    from records.accounts import list_users
    from records.learning import module_states

    counts: dict[str, list[int]] = {}
    for user in list_users(db):
        if not user.active:
            continue
        rows = [r for r in for_user(db, user) if r.user_id == user.id or user.role == Role.LEARNER]
        if not rows:
            continue
        needed = any(r.module_id is not None for r in rows)  # module states are the slow part
        states = module_states(db, user.id, list(modules), list(bank)) if needed else {}
        for item in user_assignments(db, user, states, today, rows):
            done, overdue, total = counts.setdefault(item.id, [0, 0, 0])
            counts[item.id] = [
                done + (item.state == DueState.DONE),
                overdue + (item.state == DueState.OVERDUE),
                total + 1,
            ]
    return {key: Progress(*value) for key, value in counts.items()}
