"""Attempts: the staged case as stored. Each stage's answer is committed before
the next stage is shown, so a power cut loses nothing already answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assessments.scoring import Answers, score_case
from case_bank.models import Case
from case_bank.vocabulary import Limitation, Reliance
from records.db import Database
from records.settings import device_id
from records.tables import Attempt, utcnow
from xiangyi.i18n import _

PRESENTATION = "presentation"
OWN_READ = "own_read"
AI_OUTPUT = "ai_output"
DECISION = "decision"
FEEDBACK = "feedback"
ALL_STAGES = (PRESENTATION, OWN_READ, AI_OUTPUT, DECISION, FEEDBACK)


class AnswerError(Exception):
    """An answer is incomplete; the message tells the doctor what is missing."""


def stages_for(case: Case) -> list[str]:
    return [s for s in ALL_STAGES if s != OWN_READ or case.own_read is not None]


def next_stage(case: Case, stage: str) -> str:
    order = stages_for(case)
    return order[min(order.index(stage) + 1, len(order) - 1)]


def _options(case: Case) -> set[str]:
    return {o.id for o in case.decision.interpretations}


def check_answer(case: Case, stage: str, answer: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the answer for ``stage``; raise AnswerError if incomplete."""
    if stage == OWN_READ:
        choice = answer.get("interpretation")
        required = case.own_read is not None and case.own_read.required
        if choice is None and required:
            raise AnswerError(_("Please choose your own impression before seeing the AI output."))
        if choice is not None and choice not in _options(case):
            raise AnswerError(_("Please choose one of the listed impressions."))
        return {"interpretation": choice}
    if stage == DECISION:
        missing = []
        if answer.get("reliance") not in set(Reliance):
            missing.append(_("agree with or override the AI"))
        if answer.get("interpretation") not in _options(case):
            missing.append(_("your final interpretation"))
        confidence = answer.get("confidence")
        if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            missing.append(_("your confidence"))
        if answer.get("action") not in {o.id for o in case.decision.actions}:
            missing.append(_("the next action"))
        if missing:
            raise AnswerError(_("Please complete: {items}.").format(items=_("; ").join(missing)))
        limitations = [x for x in answer.get("limitations", []) if x in set(Limitation)]
        return {
            "reliance": answer["reliance"],
            "interpretation": answer["interpretation"],
            "confidence": float(confidence),  # type: ignore[arg-type]
            "action": answer["action"],
            "limitations": limitations,
            "rationale": str(answer.get("rationale", ""))[:4000],
        }
    return {}


def start_attempt(
    db: Database,
    user_id: str,
    pack_id: str,
    pack_version: int,
    case: Case,
    mode: str = "practice",
    module_id: str | None = None,
) -> Attempt:
    attempt = Attempt(
        user_id=user_id,
        pack_id=pack_id,
        pack_version=pack_version,
        case_id=case.id,
        case_version=case.version,
        mode=mode,
        stage=PRESENTATION,
        device_id=device_id(db),
        module_id=module_id,
    )
    with db.session() as session:
        session.add(attempt)
    return attempt


def advance(
    db: Database, attempt: Attempt, case: Case, answer: dict[str, Any] | None, seconds: float
) -> Attempt:
    """Store the answer for the current stage and move on; scores the decision.

    The transaction commits before this returns, so the caller may show the next
    stage knowing the answer is on disk.
    """
    stage = attempt.stage
    if stage == FEEDBACK:
        return attempt
    clean = check_answer(case, stage, answer or {})
    with db.session() as session:
        stored = session.get(Attempt, attempt.id)
        if stored is None:
            raise AnswerError(_("This attempt no longer exists."))
        answers = dict(stored.answers)
        if clean:
            answers[stage] = clean
        timing = dict(stored.stage_seconds)
        timing[stage] = round(timing.get(stage, 0.0) + max(0.0, seconds), 3)
        stored.answers = answers
        stored.stage_seconds = timing
        stored.stage = next_stage(case, stage)
        stored.updated_at = utcnow()
        if stored.stage == FEEDBACK:
            stored.score = score_case(case, Answers.from_dict(answers)).to_dict()
            stored.completed_at = utcnow()
            stored.status = "completed"
        session.add(stored)
    return stored


def in_progress(db: Database, user_id: str) -> Attempt | None:
    """The user's most recent unfinished attempt, to offer resuming it."""
    with db.session() as session:
        query = (
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.status == "in_progress")
            .order_by(Attempt.updated_at.desc())
        )
        return session.scalars(query).first()


def abandon(db: Database, attempt_id: str) -> None:
    """Mark an unfinished attempt as set aside (kept, never deleted)."""
    with db.session() as session:
        stored = session.get(Attempt, attempt_id)
        if stored is not None and stored.completed_at is None:
            stored.status = "abandoned"
            stored.completed_at = utcnow()
            session.add(stored)


def completed(db: Database, user_id: str) -> list[Attempt]:
    with db.session() as session:
        query = (
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.status == "completed")
            .order_by(Attempt.completed_at)
        )
        return list(session.scalars(query))
