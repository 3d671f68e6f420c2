"""Study history (search and filters) and study time for continuing education."""

from __future__ import annotations

from datetime import UTC, datetime

from learning_fixtures import BANK, play, right_answer, wrong_answer

from courses.study_time import study_totals
from records import accounts, exams
from records.db import Database
from records.history import Show, history, own_attempt, search, study_time
from records.learning import save_reading
from records.tables import ExamAttempt


def test_history_lists_every_completed_attempt_newest_first(db: Database) -> None:
    user = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    other = accounts.create_user(db, "li", "李医生", "secret123", "learner")
    af, stemi = BANK["ecg-af-001"], BANK["ecg-stemi-002"]
    play(db, user.id, af.id, right_answer(af), at=datetime(2026, 1, 5, tzinfo=UTC))
    bad = {**right_answer(stemi), "reliance": "accept", "interpretation": "normal"}
    bad["action"] = stemi.key.critical_actions[0]
    play(db, user.id, stemi.id, bad, at=datetime(2026, 2, 9, tzinfo=UTC))
    play(db, user.id, af.id, wrong_answer(af), at=datetime(2026, 3, 1, tzinfo=UTC), mode="review")
    play(db, other.id, af.id, right_answer(af))
    entries = history(db, user.id, BANK)
    assert [e.case_id for e in entries] == [af.id, stemi.id, af.id]
    assert entries[0].mode == "review" and not entries[0].correct
    assert entries[1].critical_error and entries[1].reliance == "over_reliance"
    assert entries[2].correct and entries[2].total == 1.0

    assert [e.case_id for e in search(entries, show=Show.CRITICAL)] == [stemi.id]
    assert len(search(entries, show=Show.NOT_CORRECT)) == 2
    assert [e.mode for e in search(entries, show=Show.REVIEW)] == ["review"]
    assert [e.case_id for e in search(entries, show=Show.OVER_RELIANCE)] == [stemi.id]
    # Text matches the title in either language, the case ID or the date.
    assert len(search(entries, af.title.zh_CN[:4])) == 2
    assert len(search(entries, af.title.en.upper()[:8])) == 2
    assert len(search(entries, "STEMI-002")) == 1
    assert len(search(entries, "2026-02")) == 1
    assert search(entries, "no such words") == []
    assert own_attempt(db, user.id, entries[0].attempt_id) is not None
    assert own_attempt(db, other.id, entries[0].attempt_id) is None


def test_study_time_adds_lessons_cases_and_exams_by_year() -> None:
    totals = study_totals(
        [
            ("lesson", datetime(2025, 12, 30, tzinfo=UTC), 600.0),
            ("case", datetime(2026, 1, 2, tzinfo=UTC), 300.0),
            ("exam", datetime(2026, 2, 1, tzinfo=UTC), 1200.0),
            ("case", None, 60.0),
            ("case", datetime(2026, 2, 1, tzinfo=UTC), -5.0),
            ("other", datetime(2026, 2, 1, tzinfo=UTC), 99.0),
        ]
    )
    assert (totals.lessons, totals.cases, totals.exams) == (600.0, 360.0, 1200.0)
    assert totals.total == 2160.0
    assert totals.year(2025) == 600.0 and totals.year(2026) == 1500.0
    assert totals.year(2024) == 0.0


def test_study_time_from_the_records(db: Database) -> None:
    user = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    save_reading(db, user.id, "ecg-ai", "reading-the-output", position=0.5, active_seconds=120)
    save_reading(db, user.id, "ecg-ai", "reading-the-output", position=1.0, active_seconds=30)
    af = BANK["ecg-af-001"]
    play(db, user.id, af.id, right_answer(af), seconds=10.0)  # four stages of 10 s
    with db.session() as session:
        session.add(
            ExamAttempt(
                user_id=user.id,
                blueprint_id="certification",
                result={"active_seconds": 900.0},
                submitted_at=datetime.now(UTC),
            )
        )
    totals = study_time(db, user.id)
    assert totals.lessons == 150.0
    assert totals.cases == 40.0
    assert totals.exams == 900.0
    assert totals.year(datetime.now(UTC).year) == 1090.0
    assert exams.open_attempt(db, user.id) is None
