"""Module status and unlocking, from what a doctor has done (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from courses.models import Module
from xiangyi.i18n import N_


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


STATUS_LABELS = {
    Status.NOT_STARTED: N_("Not started"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.COMPLETED: N_("Completed"),
}


@dataclass(frozen=True)
class ModuleRecord:
    """What the records say about one doctor and one module."""

    lessons_read: frozenset[str] = frozenset()
    practice_done: frozenset[str] = frozenset()
    check_passed_at: datetime | None = None
    last_activity_at: datetime | None = None
    study_seconds: float = 0.0


@dataclass(frozen=True)
class ModuleState:
    status: Status
    lessons_read: int
    lessons_total: int
    practice_done: int
    practice_total: int
    check_passed: bool
    completed_at: datetime | None
    locked_by: list[str] = field(default_factory=list)
    study_seconds: float = 0.0

    @property
    def locked(self) -> bool:
        return bool(self.locked_by)


def module_state(
    module: Module,
    record: ModuleRecord,
    practice_case_ids: list[str],
    completed_modules: set[str],
) -> ModuleState:
    """Status of ``module``: completed needs every lesson read, the practice cases
    played and the module check passed (when the module has one)."""
    lessons = {lesson.id for lesson in module.lessons}
    read = len(lessons & record.lessons_read)
    practice = set(practice_case_ids)
    done = len(practice & record.practice_done)
    needs_check = module.check_blueprint is not None
    check_ok = record.check_passed_at is not None or not needs_check
    complete = read == len(lessons) and done == len(practice) and check_ok
    started = read or done or record.check_passed_at is not None
    if complete:
        status = Status.COMPLETED
    elif started:
        status = Status.IN_PROGRESS
    else:
        status = Status.NOT_STARTED
    return ModuleState(
        status=status,
        lessons_read=read,
        lessons_total=len(lessons),
        practice_done=done,
        practice_total=len(practice),
        check_passed=record.check_passed_at is not None,
        completed_at=(record.check_passed_at or record.last_activity_at) if complete else None,
        locked_by=[p for p in module.prerequisites if p not in completed_modules],
        study_seconds=record.study_seconds,
    )


def module_states(
    modules: list[Module],
    records: dict[str, ModuleRecord],
    practice_ids: dict[str, list[str]],
) -> dict[str, ModuleState]:
    """Every module's state; a module is locked by its prerequisites not yet completed.

    Completion does not depend on prerequisites, so completion is settled first and
    the locks follow from it.
    """
    completed = {
        m.id
        for m in modules
        if module_state(m, records[m.id], practice_ids[m.id], set()).status == Status.COMPLETED
    }
    return {
        module.id: module_state(module, records[module.id], practice_ids[module.id], completed)
        for module in modules
    }
