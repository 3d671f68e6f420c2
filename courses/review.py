"""Spaced review: cases answered wrongly or with misplaced confidence come back on a
schedule (pure functions; the scheduler is FSRS, the ``fsrs`` package).

Nothing about the schedule is stored. Each completed attempt of a case is one review,
rated from its score and the doctor's confidence, and the case's card is rebuilt by
replaying those reviews through the scheduler in time order. The schedule therefore
follows from the attempt history alone: a record bundle from another clinic PC merges
by adding attempts, and the next replay includes them, with nothing to reconcile.

A case enters review once any attempt of it is rated Again or Hard:

- **Again**: the interpretation was wrong, the action earned nothing, or the action
  could harm the patient (a critical error), whatever the confidence ("confident and
  wrong" lands here too);
- **Hard**: right, but unsure (confidence at most 60 %), i.e. misplaced low confidence;
- **Good**: right and reasonably sure.

Learning steps are switched off (a case repeated ten minutes later tests memory of the
answer, not judgement), so the shortest interval is a day, and fuzzing is off so the
same history always gives the same dates.

Ye J, Su J, Cao Y. A stochastic shortest path algorithm for optimizing spaced
repetition scheduling. KDD 2022, 4381-4390 (the model behind FSRS).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from fsrs import Card, Rating, Scheduler

UNSURE_AT_MOST = 0.6  # confidence at or below this counts as unsure
DESIRED_RETENTION = 0.9
MAXIMUM_INTERVAL_DAYS = 365
SESSION_MIN = 5
SESSION_MAX = 10


@dataclass(frozen=True)
class Review:
    """One completed attempt of a case, reduced to what the schedule needs."""

    case_id: str
    at: datetime  # when the attempt was completed (time-zone aware)
    correct: bool  # the final interpretation was fully right
    action_credit: float
    critical_error: bool
    confidence: float  # 0.5 … 1.0


@dataclass(frozen=True)
class ReviewItem:
    """A case in review: when it is due and how it has gone so far."""

    case_id: str
    due: datetime
    reviews: int
    lapses: int  # attempts rated Again
    last_review: datetime
    last_rating: int
    stability: float | None = None

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


@dataclass(frozen=True)
class ReviewSchedule:
    """Every case in review, soonest due first."""

    items: tuple[ReviewItem, ...] = ()
    by_case: dict[str, ReviewItem] = field(default_factory=dict)

    def due(self, now: datetime) -> list[ReviewItem]:
        """Cases due at ``now``, most overdue first."""
        return [item for item in self.items if item.is_due(now)]

    def next_due(self, now: datetime) -> datetime | None:
        """When the next case that is not yet due will be."""
        later = [item.due for item in self.items if not item.is_due(now)]
        return min(later) if later else None


def rating(review: Review) -> Rating:
    """The FSRS rating of one attempt (see the module docstring)."""
    if not review.correct or review.critical_error or review.action_credit <= 0.0:
        return Rating.Again
    if review.confidence <= UNSURE_AT_MOST:
        return Rating.Hard
    return Rating.Good


def needs_review(review: Review) -> bool:
    """Answered wrongly or with misplaced confidence: the case comes back."""
    return rating(review) in (Rating.Again, Rating.Hard)


@cache
def scheduler() -> Scheduler:
    """The one scheduler configuration (deterministic: no fuzzing, no learning steps)."""
    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def replay(reviews: Iterable[Review]) -> ReviewItem | None:
    """The card of one case after all its ``reviews`` (any order); None when the case has
    never been answered wrongly or with misplaced confidence."""
    # Ties in time are broken on the answer itself, so the input order never matters.
    ordered = sorted(
        reviews,
        key=lambda r: (_utc(r.at), r.correct, r.action_credit, r.critical_error, r.confidence),
    )
    if not any(needs_review(r) for r in ordered):
        return None
    card = Card(card_id=1)
    lapses = 0
    last = ordered[-1]
    for review in ordered:
        grade = rating(review)
        lapses += grade == Rating.Again
        card, _log = scheduler().review_card(card, grade, _utc(review.at))
    return ReviewItem(
        case_id=last.case_id,
        due=_utc(card.due),
        reviews=len(ordered),
        lapses=lapses,
        last_review=_utc(last.at),
        last_rating=int(rating(last)),
        stability=card.stability,
    )


def schedule(reviews: Iterable[Review]) -> ReviewSchedule:
    """The review schedule of one doctor from all their completed attempts."""
    per_case: dict[str, list[Review]] = {}
    for review in reviews:
        per_case.setdefault(review.case_id, []).append(review)
    items = [item for case in per_case.values() if (item := replay(case)) is not None]
    items.sort(key=lambda item: (item.due, item.case_id))
    return ReviewSchedule(tuple(items), {item.case_id: item for item in items})


def session(
    plan: ReviewSchedule,
    now: datetime,
    *,
    minimum: int = SESSION_MIN,
    maximum: int = SESSION_MAX,
    playable: frozenset[str] | None = None,
) -> list[str]:
    """Case IDs for one short review session: the due cases, most overdue first, at most
    ``maximum``. When fewer than ``minimum`` are due, the cases coming due soonest fill
    the session up to ``minimum`` (an early review is fine: FSRS takes the actual elapsed
    time into account). Empty when nothing is due. ``playable`` limits the choice to
    cases that can be shown on this PC."""
    items = [i for i in plan.items if playable is None or i.case_id in playable]
    due = [i.case_id for i in items if i.is_due(now)]
    if not due:
        return []
    chosen = due[:maximum]
    if len(chosen) < minimum:
        upcoming = [i.case_id for i in items if not i.is_due(now)]
        chosen.extend(upcoming[: minimum - len(chosen)])
    return chosen
