"""Spaced review: ratings from score and confidence, the schedule replayed from history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from hypothesis import given
from hypothesis import strategies as st

from courses.review import Review, needs_review, rating, replay, schedule, session

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _review(case_id: str = "c1", at: datetime = T0, **kw: object) -> Review:
    values: dict[str, object] = {
        "correct": True,
        "action_credit": 1.0,
        "critical_error": False,
        "confidence": 0.9,
    }
    values.update(kw)
    return Review(case_id, at, **values)  # type: ignore[arg-type]


def _independent() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def test_ratings_follow_correctness_and_confidence() -> None:
    assert rating(_review()) == Rating.Good
    assert rating(_review(correct=False)) == Rating.Again  # confident and wrong
    assert rating(_review(correct=False, confidence=0.5)) == Rating.Again
    assert rating(_review(confidence=0.6)) == Rating.Hard  # unsure and right
    assert rating(_review(critical_error=True)) == Rating.Again
    assert rating(_review(action_credit=0.0)) == Rating.Again
    assert rating(_review(action_credit=0.5)) == Rating.Good  # an acceptable action


def test_a_case_answered_well_is_not_in_review() -> None:
    assert replay([_review(), _review(at=T0 + timedelta(days=3))]) is None
    assert schedule([_review()]).items == ()


def test_a_case_failed_today_is_due_on_the_schedulers_date() -> None:
    plan = schedule([_review(correct=False)])
    item = plan.by_case["c1"]
    expected, _log = _independent().review_card(Card(), Rating.Again, T0)
    assert item.due == expected.due
    assert item.due > T0  # not due again the same day ...
    assert plan.due(T0) == []
    assert plan.due(expected.due) == [item]  # ... but on the scheduler's day
    assert item.lapses == 1 and item.reviews == 1


def test_later_attempts_move_the_due_date_as_the_scheduler_says() -> None:
    first = _review(correct=False)
    second = _review(at=T0 + timedelta(days=1, hours=2))
    card, _log = _independent().review_card(Card(), Rating.Again, T0)
    card, _log = _independent().review_card(card, Rating.Good, second.at)
    item = replay([second, first])  # order of the input does not matter
    assert item is not None and item.due == card.due
    assert item.due - second.at > timedelta(days=1)


def test_unsure_and_right_comes_back_too() -> None:
    assert needs_review(_review(confidence=0.5))
    item = replay([_review(confidence=0.5)])
    assert item is not None and item.last_rating == Rating.Hard


def test_session_takes_due_cases_most_overdue_first_and_fills_up_to_five() -> None:
    reviews = [_review(f"c{i}", T0 + timedelta(hours=i), correct=False) for i in range(12)]
    plan = schedule(reviews)
    later = T0 + timedelta(days=30)
    chosen = session(plan, later)
    assert chosen == [f"c{i}" for i in range(10)]  # at most ten, oldest first
    # Two due: the session is filled up with the cases coming due soonest.
    few = schedule([*reviews[:2], *(_review(f"d{i}", T0 + timedelta(days=2)) for i in range(3))])
    assert session(few, few.items[0].due) == ["c0", "c1"]  # only two are in review
    assert session(plan, T0) == []  # nothing due yet: no session
    assert session(plan, later, playable=frozenset({"c3"})) == ["c3"]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.booleans(),
            st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_replay_is_deterministic_and_due_after_the_last_attempt(history: list) -> None:  # type: ignore[type-arg]
    reviews = [
        _review(at=T0 + timedelta(hours=h), correct=ok, confidence=c) for h, ok, c in history
    ]
    item = replay(reviews)
    if not any(needs_review(r) for r in reviews):
        assert item is None
        return
    assert item is not None
    assert item == replay(list(reversed(reviews)))
    assert item.due >= item.last_review + timedelta(days=1) - timedelta(seconds=1)
