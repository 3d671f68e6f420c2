"""Where an assigned module or exam stands against its due date (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xiangyi.i18n import N_

DUE_SOON_DAYS = 7  # an assignment due within a week is "due soon"

MODULE = "module"
EXAM = "exam"


class DueState(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"


DUE_STATE_LABELS = {
    DueState.DONE: N_("Done"),
    DueState.OVERDUE: N_("Overdue"),
    DueState.DUE_SOON: N_("Due soon"),
    DueState.OPEN: N_("Open"),
}


@dataclass(frozen=True)
class Assigned:
    """One assignment as one doctor sees it."""

    kind: str  # MODULE or EXAM
    target: str  # module id or blueprint id
    due: date
    state: DueState
    id: str = ""
    via_institution: bool = False  # assigned to the doctor's institution, not by name

    def days_left(self, today: date) -> int:
        """Days until the due date (negative once it has passed)."""
        return (self.due - today).days


def due_state(due: date, done: bool, today: date, soon_days: int = DUE_SOON_DAYS) -> DueState:
    """Done whenever it was done; otherwise overdue after the due day, due soon within
    ``soon_days`` of it (the due day itself included), else open."""
    if done:
        return DueState.DONE
    left = (due - today).days
    if left < 0:
        return DueState.OVERDUE
    if left <= soon_days:
        return DueState.DUE_SOON
    return DueState.OPEN
