"""Helpers for the learning-record tests: play a built-in case through the attempt API
with chosen answers, and set when it was completed."""

from __future__ import annotations

from datetime import datetime

from case_bank.models import Case
from case_bank.pack import builtin_packs
from records import attempts
from records.db import Database
from records.tables import Attempt

BANK = {case.id: case for pack in builtin_packs() for case in pack.cases}
PACK_OF = {case.id: pack for pack in builtin_packs() for case in pack.cases}


def right_answer(case: Case) -> dict[str, object]:
    key = case.key
    best = max(key.interpretation, key=lambda option: key.interpretation[option])
    return {
        "reliance": str(key.expected_reliance),
        "interpretation": best,
        "confidence": 0.9,
        "action": key.ideal_actions[0],
        "limitations": [str(x) for x in key.limitations],
    }


def wrong_answer(case: Case) -> dict[str, object]:
    key = case.key
    worst = min(key.interpretation, key=lambda option: key.interpretation.get(option, 0.0))
    options = [o.id for o in case.decision.interpretations]
    wrong = next((o for o in options if key.interpretation.get(o, 0.0) < 1.0), worst)
    return {
        "reliance": "accept" if str(key.expected_reliance) == "override" else "override",
        "interpretation": wrong,
        "confidence": 0.9,
        "action": key.ideal_actions[0],
        "limitations": [],
    }


def play(
    db: Database,
    user_id: str,
    case_id: str,
    decision: dict[str, object],
    *,
    at: datetime | None = None,
    mode: str = "practice",
    seconds: float = 10.0,
) -> Attempt:
    """One completed attempt; ``at`` overrides its completion time."""
    case = BANK[case_id]
    info = PACK_OF[case_id].info
    assert info is not None
    attempt = attempts.start_attempt(db, user_id, info.id, info.version, case, mode=mode)
    while attempt.stage != attempts.FEEDBACK:
        answer = None
        if attempt.stage == attempts.OWN_READ:
            answer = {"interpretation": decision["interpretation"]}
        elif attempt.stage == attempts.DECISION:
            answer = decision
        attempt = attempts.advance(db, attempt, case, answer, seconds)
    if at is not None:
        with db.session() as session:
            stored = session.get(Attempt, attempt.id)
            assert stored is not None
            stored.completed_at = at
            stored.updated_at = at
        attempt.completed_at = at
    return attempt
