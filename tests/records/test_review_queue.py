"""The review queue from stored attempts: a case failed today is due when FSRS says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from learning_fixtures import BANK, play, right_answer, wrong_answer

from records import accounts
from records.db import Database
from records.review import review_schedule


def _scheduler() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def test_a_case_failed_today_is_due_on_schedule(db: Database) -> None:
    user = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    case = BANK["ecg-af-001"]
    failed = play(db, user.id, case.id, wrong_answer(case))
    assert failed.score is not None and not failed.score["correct"]
    play(db, user.id, "ecg-peds-003", right_answer(BANK["ecg-peds-003"]))
    failed_at = failed.completed_at
    assert failed_at is not None and failed_at.date() == datetime.now(UTC).date()

    plan = review_schedule(db, user.id)
    expected, _log = _scheduler().review_card(Card(), Rating.Again, failed_at)
    assert [item.case_id for item in plan.items] == ["ecg-af-001"]  # the right one stays out
    assert plan.by_case["ecg-af-001"].due == expected.due
    assert plan.due(failed_at + timedelta(hours=1)) == []
    assert [i.case_id for i in plan.due(expected.due)] == ["ecg-af-001"]
    assert plan.next_due(failed_at) == expected.due

    # Answered well when it came back: the next date is the scheduler's, further away.
    again_at = expected.due + timedelta(hours=3)
    play(db, user.id, case.id, right_answer(case), at=again_at, mode="review")
    after, _log = _scheduler().review_card(expected, Rating.Good, again_at)
    plan = review_schedule(db, user.id)
    assert plan.by_case["ecg-af-001"].due == after.due
    assert plan.due(again_at) == []


def test_unsure_right_answer_is_scheduled(db: Database) -> None:
    user = accounts.create_user(db, "li", "李医生", "secret123", "learner")
    case = BANK["ecg-peds-003"]
    unsure = {**right_answer(case), "confidence": 0.5}
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    play(db, user.id, case.id, unsure, at=at)
    expected, _log = _scheduler().review_card(Card(), Rating.Hard, at)
    assert review_schedule(db, user.id).by_case[case.id].due == expected.due
