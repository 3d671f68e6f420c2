"""Case scoring: known values and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import Answers, RelianceOutcome, score_case
from case_bank.pack import builtin_packs


def _case(case_id: str):  # type: ignore[no-untyped-def]
    for pack in builtin_packs():
        for case in pack.cases:
            if case.id == case_id:
                return case
    raise KeyError(case_id)


STEMI = _case("ecg-stemi-002")
AF = _case("ecg-af-001")


def test_perfect_answer_scores_full() -> None:
    answers = Answers(
        "stemi",
        "override",
        "refer_urgent",
        0.9,
        ("missing_finding", "conflicts_with_clinical"),
        own_read="stemi",
    )
    score = score_case(STEMI, answers)
    assert score.total == 1.0
    assert score.correct and not score.critical_error
    assert score.reliance == RelianceOutcome.APPROPRIATE_OVERRIDE
    assert score.own_read_correct is True and score.switched is False


def test_following_a_wrong_ai_home_is_critical_over_reliance() -> None:
    answers = Answers("normal", "accept", "reassure_no_followup", 0.8, (), own_read="stemi")
    score = score_case(STEMI, answers)
    assert score.total == 0.0
    assert score.critical_error
    assert score.reliance == RelianceOutcome.OVER_RELIANCE
    assert score.switched is True  # the AI talked the doctor out of a right first read


def test_partial_credit_known_values() -> None:
    # nste_acs earns 0.3 interpretation credit; one of two counted flags, no wrong flags.
    answers = Answers("nste_acs", "override", "refer_urgent", 0.7, ("missing_finding",))
    score = score_case(STEMI, answers)
    assert score.interpretation_credit == 0.3
    assert score.limitation_credit == 0.5
    assert score.total == round(0.5 * 0.3 + 0.35 * 1.0 + 0.15 * 0.5, 4)


def test_overriding_a_right_ai_is_under_reliance() -> None:
    answers = Answers("af", "override", "refer_routine", 0.6, ("none_noticed",))
    score = score_case(AF, answers)
    assert score.reliance == RelianceOutcome.UNDER_RELIANCE
    assert score.limitation_credit == 1.0


ids = [o.id for o in STEMI.decision.interpretations]
acts = [o.id for o in STEMI.decision.actions]
flags = [str(x) for x in STEMI.decision.limitations]


@given(
    st.sampled_from(ids),
    st.sampled_from(["accept", "override"]),
    st.sampled_from(acts),
    st.floats(0, 1),
    st.lists(st.sampled_from(flags), unique=True),
)
def test_score_is_bounded_and_order_free(interp, reliance, action, confidence, chosen) -> None:  # type: ignore[no-untyped-def]
    score = score_case(STEMI, Answers(interp, reliance, action, confidence, tuple(chosen)))
    assert 0.0 <= score.total <= 1.0
    reordered = score_case(
        STEMI, Answers(interp, reliance, action, confidence, tuple(reversed(chosen)))
    )
    assert reordered == score


@given(st.sampled_from(acts), st.lists(st.sampled_from(flags), unique=True))
def test_correct_interpretation_never_scores_below_a_wrong_one(action, chosen) -> None:  # type: ignore[no-untyped-def]
    right = score_case(STEMI, Answers("stemi", "override", action, 0.5, tuple(chosen)))
    for wrong in ids:
        other = score_case(STEMI, Answers(wrong, "override", action, 0.5, tuple(chosen)))
        assert right.total >= other.total
