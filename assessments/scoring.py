"""Score one case decision: pure functions over the case and the doctor's answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from case_bank.models import Case
from case_bank.vocabulary import Limitation, Reliance

# Weights of the parts of a case score; critical errors are reported apart.
W_INTERPRETATION = 0.5
W_ACTION = 0.35
W_LIMITATIONS = 0.15
ACCEPTABLE_ACTION_CREDIT = 0.5


class RelianceOutcome:
    APPROPRIATE_ACCEPTANCE = "appropriate_acceptance"
    APPROPRIATE_OVERRIDE = "appropriate_override"
    OVER_RELIANCE = "over_reliance"
    UNDER_RELIANCE = "under_reliance"


@dataclass(frozen=True)
class Answers:
    """What the doctor chose; ``own_read`` is None when the case has no own-read stage."""

    interpretation: str
    reliance: str
    action: str
    confidence: float
    limitations: tuple[str, ...] = ()
    own_read: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answers:
        decision = data["decision"]
        own = data.get("own_read") or {}
        return cls(
            interpretation=decision["interpretation"],
            reliance=decision["reliance"],
            action=decision["action"],
            confidence=float(decision["confidence"]),
            limitations=tuple(decision.get("limitations", ())),
            own_read=own.get("interpretation"),
        )


@dataclass(frozen=True)
class CaseScore:
    interpretation_credit: float
    action_credit: float
    limitation_credit: float
    total: float
    critical_error: bool
    correct: bool
    reliance: str
    ai_correct: bool
    own_read_correct: bool | None
    switched: bool | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def interpretation_credit(case: Case, option_id: str) -> float:
    return float(case.key.interpretation.get(option_id, 0.0))


def action_credit(case: Case, action_id: str) -> float:
    if action_id in case.key.ideal_actions:
        return 1.0
    if action_id in case.key.acceptable_actions:
        return ACCEPTABLE_ACTION_CREDIT
    return 0.0


def limitation_credit(case: Case, chosen: tuple[str, ...]) -> float:
    """Share of the counted flags found, less a penalty for flags that do not apply.

    With no counted flags, credit goes to noticing none (or nothing chosen).
    """
    expected = set(case.key.limitations) - {Limitation.NONE_NOTICED}
    picked = set(chosen) - {Limitation.NONE_NOTICED}
    if not expected:
        return 1.0 if not picked else 0.5
    hits = len(expected & picked)
    wrong = len(picked - expected)
    return max(0.0, (hits - 0.5 * wrong) / len(expected))


def reliance_outcome(ai_correct: bool, reliance: str) -> str:
    if reliance == Reliance.ACCEPT:
        return (
            RelianceOutcome.APPROPRIATE_ACCEPTANCE if ai_correct else RelianceOutcome.OVER_RELIANCE
        )
    return RelianceOutcome.UNDER_RELIANCE if ai_correct else RelianceOutcome.APPROPRIATE_OVERRIDE


def score_case(case: Case, answers: Answers) -> CaseScore:
    """Score ``answers`` against the case key. Deterministic and side-effect free."""
    interp = interpretation_credit(case, answers.interpretation)
    action = action_credit(case, answers.action)
    limits = limitation_credit(case, answers.limitations)
    ai_correct = case.key.expected_reliance == Reliance.ACCEPT
    own_correct = None
    switched = None
    if answers.own_read is not None:
        own_correct = interpretation_credit(case, answers.own_read) == 1.0
        switched = answers.own_read != answers.interpretation
    total = W_INTERPRETATION * interp + W_ACTION * action + W_LIMITATIONS * limits
    return CaseScore(
        interpretation_credit=interp,
        action_credit=action,
        limitation_credit=round(limits, 4),
        total=round(total, 4),
        critical_error=answers.action in case.key.critical_actions,
        correct=interp == 1.0,
        reliance=reliance_outcome(ai_correct, answers.reliance),
        ai_correct=ai_correct,
        own_read_correct=own_correct,
        switched=switched,
    )
