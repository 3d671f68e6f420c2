"""Active study time: time between signs of activity, with idle stretches excluded.

A doctor reading a lesson scrolls, clicks or types at least every minute or two; a
longer silence means they left the PC (a patient came in). Each gap between two
activity moments counts in full up to ``idle_limit`` seconds and no further, so a
walk-away adds at most one idle limit, never the whole absence.
"""

from __future__ import annotations

from collections.abc import Iterable
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
