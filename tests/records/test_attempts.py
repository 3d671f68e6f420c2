"""Attempts: each stage is committed before the next; required answers enforced."""

from __future__ import annotations

import pytest

from case_bank.pack import builtin_packs
from records import accounts, attempts
from records.db import Database, open_database
from records.tables import Attempt
from xiangyi.i18n import _

PACK = next(p for p in builtin_packs() if p.info is not None and p.info.id == "ecg-basics")
CASE = PACK.case("ecg-af-001")


@pytest.fixture
def learner(db: Database):  # type: ignore[no-untyped-def]
    return accounts.create_user(db, "wang", "王医生", "secret123", "learner")


def _start(db: Database, user_id: str) -> Attempt:
    assert PACK.info is not None
    return attempts.start_attempt(db, user_id, PACK.info.id, PACK.info.version, CASE)


def test_full_sequence_is_scored(db: Database, learner) -> None:  # type: ignore[no-untyped-def]
    attempt = _start(db, learner.id)
    assert attempts.stages_for(CASE) == list(attempts.ALL_STAGES)
    attempt = attempts.advance(db, attempt, CASE, None, 3.0)
    attempt = attempts.advance(db, attempt, CASE, {"interpretation": "flutter"}, 5.0)
    attempt = attempts.advance(db, attempt, CASE, None, 7.5)
    decision = {
        "reliance": "accept",
        "interpretation": "af",
        "confidence": 0.9,
        "action": "refer_routine",
        "limitations": ["none_noticed", "bogus"],
        "rationale": "irregularly irregular",
    }
    attempt = attempts.advance(db, attempt, CASE, decision, 20.0)
    assert attempt.stage == "feedback" and attempt.status == "completed"
    assert attempt.score is not None and attempt.score["correct"] is True
    assert attempt.score["switched"] is True
    assert attempt.answers["decision"]["limitations"] == ["none_noticed"]
    assert attempt.stage_seconds == {
        "presentation": 3.0,
        "own_read": 5.0,
        "ai_output": 7.5,
        "decision": 20.0,
    }
    assert attempts.in_progress(db, learner.id) is None


def test_missing_answers_refused_and_nothing_stored(db: Database, learner) -> None:  # type: ignore[no-untyped-def]
    attempt = attempts.advance(db, _start(db, learner.id), CASE, None, 1.0)
    with pytest.raises(attempts.AnswerError):
        attempts.advance(db, attempt, CASE, {}, 1.0)
    with pytest.raises(attempts.AnswerError):
        attempts.advance(db, attempt, CASE, {"interpretation": "not-an-option"}, 1.0)
    attempt = attempts.advance(db, attempt, CASE, {"interpretation": "af"}, 1.0)
    attempt = attempts.advance(db, attempt, CASE, None, 1.0)
    with pytest.raises(attempts.AnswerError) as info:
        attempts.advance(db, attempt, CASE, {"reliance": "accept", "confidence": 2}, 1.0)
    message = str(info.value)
    for missing in (_("your final interpretation"), _("your confidence"), _("the next action")):
        assert missing in message
    assert _("agree with or override the AI") not in message
    stored = attempts.in_progress(db, learner.id)
    assert stored is not None and stored.stage == "decision"
    assert "decision" not in stored.answers


def test_answer_survives_reopening_the_database(data_dir, learner, db) -> None:  # type: ignore[no-untyped-def]
    attempt = attempts.advance(db, _start(db, learner.id), CASE, None, 1.0)
    attempts.advance(db, attempt, CASE, {"interpretation": "af"}, 1.0)
    db.close()
    reopened = open_database(data_dir)
    stored = attempts.in_progress(reopened, learner.id)
    assert stored is not None
    assert stored.stage == "ai_output" and stored.answers["own_read"] == {"interpretation": "af"}
    attempts.abandon(reopened, stored.id)
    assert attempts.in_progress(reopened, learner.id) is None
    reopened.close()
