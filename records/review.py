"""The spaced-review schedule of one doctor, rebuilt from their stored attempts (see
``courses.review``: nothing about the schedule is stored, so it needs no migration
and record bundles merge without conflict)."""

from __future__ import annotations

from collections.abc import Iterable

from courses.review import Review, ReviewSchedule, schedule
from records.attempts import completed
from records.db import Database
from records.tables import Attempt


def reviews_of(attempts: Iterable[Attempt]) -> list[Review]:
    """Completed, scored attempts as reviews (others are skipped)."""
    found = []
    for attempt in attempts:
        score = attempt.score or {}
        decision = (attempt.answers or {}).get("decision") or {}
        if attempt.completed_at is None or not score or "confidence" not in decision:
            continue
        found.append(
            Review(
                case_id=attempt.case_id,
                at=attempt.completed_at,
                correct=bool(score.get("correct")),
                action_credit=float(score.get("action_credit", 0.0)),
                critical_error=bool(score.get("critical_error")),
                confidence=float(decision["confidence"]),
            )
        )
    return found


def review_schedule(db: Database, user_id: str) -> ReviewSchedule:
    """The doctor's review schedule now, from every completed case attempt."""
    return schedule(reviews_of(completed(db, user_id)))
