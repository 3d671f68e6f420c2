"""Active study time: time between signs of activity, with idle stretches excluded.

A doctor reading a lesson scrolls, clicks or types at least every minute or two; a
longer silence means they left the PC (a patient came in). Each gap between two
activity moments counts in full up to ``idle_limit`` seconds and no further, so a
walk-away adds at most one idle limit, never the whole absence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

IDLE_LIMIT_S = 90.0


def active_seconds(moments: Iterable[float], idle_limit: float = IDLE_LIMIT_S) -> float:
    """Active time covered by activity ``moments`` (seconds on one clock, any order)."""
    ordered = sorted(moments)
    total = 0.0
    for earlier, later in pairwise(ordered):
        total += min(later - earlier, idle_limit)
    return total


class ActiveClock:
    """Accumulates active time from activity pings (the desktop feeds it input events)."""

    def __init__(self, idle_limit: float = IDLE_LIMIT_S) -> None:
        self.idle_limit = idle_limit
        self.last: float | None = None
        self.total = 0.0

    def ping(self, now: float) -> None:
        """Record activity at ``now`` (monotonic seconds)."""
        if self.last is not None and now >= self.last:
            self.total += min(now - self.last, self.idle_limit)
        self.last = now

    def take(self, now: float) -> float:
        """Active seconds since the last ``take``; the clock keeps running from ``now``."""
        self.ping(now)
        spent, self.total = self.total, 0.0
        return spent


@dataclass(frozen=True)
class StudyTotals:
    """Study time for continuing education: lesson reading, cases and exams."""

    lessons: float = 0.0
    cases: float = 0.0
    exams: float = 0.0
    by_year: dict[int, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.lessons + self.cases + self.exams

    def year(self, year: int) -> float:
        return self.by_year.get(year, 0.0)


def study_totals(entries: Iterable[tuple[str, datetime | None, float]]) -> StudyTotals:
    """Add up ``(kind, when, seconds)`` entries, kind ``lesson``, ``case`` or ``exam``.

    Each entry counts in the calendar year of ``when`` (a lesson's time goes to the year
    it was last read; an entry without a date counts in the total only). Negative or
    unknown amounts count as nothing.
    """
    sums = {"lesson": 0.0, "case": 0.0, "exam": 0.0}
    by_year: dict[int, float] = {}
    for kind, when, seconds in entries:
        if kind not in sums or not seconds or seconds < 0:
            continue
        sums[kind] += seconds
        if when is not None:
            by_year[when.year] = by_year.get(when.year, 0.0) + seconds
    return StudyTotals(sums["lesson"], sums["case"], sums["exam"], by_year)
