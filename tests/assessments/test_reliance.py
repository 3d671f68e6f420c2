"""Reliance metrics: hand-worked values (Schemmer et al. 2023) and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assessments.reliance import (
    RelianceRecord,
    by_ai_kind,
    by_domain,
    is_omission_error,
    mean_weight_of_advice,
    profile,
    weight_of_advice,
)
from assessments.scoring import Answers, score_case
from case_bank.pack import builtin_packs


def rec(own: bool | None, ai: bool, final: bool, followed: bool, **kw: object) -> RelianceRecord:
    switched = None if own is None else own != final
    base: dict[str, object] = dict(
        case_id="c",
        ai_kind="ecg",
        domains=("clinical_encounters",),
        ai_correct=ai,
        final_correct=final,
        followed_ai=followed,
        own_read_correct=own,
        switched=switched,
    )
    base.update(kw)
    return RelianceRecord(**base)  # type: ignore[arg-type]


# Six cases, written out as (own read right?, AI right?, final right?, agreed with AI?):
SIX = [
    rec(False, True, True, True),  # 1 own wrong, AI right, switched to AI: positive AI reliance
    rec(False, True, False, False),  # 2 own wrong, AI right, kept own: negative self-reliance
    rec(False, True, True, True),  # 3 as 1
    rec(True, False, True, False),  # 4 own right, AI wrong, kept own: positive self-reliance
    rec(True, False, False, True),  # 5 own right, AI wrong, switched: negative AI reliance
    rec(True, True, True, True),  # 6 all right: counts in neither ratio
]


def test_rair_rsr_known_values() -> None:
    p = profile(SIX)
    # RAIR = cases 1, 3 / cases 1, 2, 3 = 2/3; RSR = case 4 / cases 4, 5 = 1/2.
    assert p.rair == 2 / 3
    assert p.rsr == 1 / 2


def test_outcome_counts_rates_and_accuracies() -> None:
    p = profile(SIX)
    # Outcomes: 1 AA, 2 under, 3 AA, 4 AO, 5 over, 6 AA.
    assert (p.appropriate_acceptance, p.appropriate_override) == (3, 1)
    assert (p.over_reliance, p.under_reliance) == (1, 1)
    assert p.over_reliance_rate == 1 / 2  # 1 over-reliance / 2 AI-wrong cases (4, 5)
    assert p.under_reliance_rate == 1 / 4  # 1 under-reliance / 4 AI-right cases
    assert p.appropriate_rate == 4 / 6
    assert p.team_accuracy == 4 / 6  # finals right: 1, 3, 4, 6
    assert p.ai_accuracy == 4 / 6  # AI right: 1, 2, 3, 6
    assert p.doctor_accuracy == 3 / 6  # own reads right: 4, 5, 6
    assert p.switch_fraction == 3 / 6  # 1, 3, 5 changed their read
    assert p.agreement_fraction == 4 / 6  # agreed: 1, 3, 5, 6
    assert p.team_gain_over_ai == 0.0


def test_undefined_ratios_are_none() -> None:
    p = profile([rec(None, True, True, True)])
    assert p.rair is None and p.rsr is None and p.switch_fraction is None
    assert p.doctor_accuracy is None and p.over_reliance_rate is None
    assert profile([]).team_accuracy is None


def test_omission_error_is_a_shared_silent_miss() -> None:
    assert is_omission_error(rec(None, False, False, True, ai_error="false_negative"))
    assert not is_omission_error(rec(None, False, True, False, ai_error="false_negative"))
    assert not is_omission_error(rec(None, False, False, True, ai_error="false_positive"))
    assert profile([rec(None, False, False, True, ai_error="false_negative")]).omission_errors == 1


def test_weight_of_advice_known_values() -> None:
    # initial 100, advice 140, final 130: (130 − 100) / (140 − 100) = 30 / 40 = 0.75
    assert weight_of_advice(100, 140, 130) == 0.75
    # final 150 goes beyond the advice: 50 / 40 = 1.25, clipped to 1
    assert weight_of_advice(100, 140, 150) == 1.0
    assert weight_of_advice(100, 140, 150, clip=False) == 1.25
    # moving away: (90 − 100) / 40 = −0.25 → 0 when clipped
    assert weight_of_advice(100, 140, 90) == 0.0
    assert weight_of_advice(100, 100, 120) is None  # advice equals initial: undefined
    # mean of 0.75 and 0.5 ((110 − 100) / (120 − 100)); the undefined one is skipped
    assert mean_weight_of_advice([(100, 140, 130), (100, 120, 110), (5, 5, 6)]) == 0.625


def test_groupings_by_kind_and_domain() -> None:
    records = [*SIX, rec(None, True, True, True, ai_kind="image", domains=("a", "b"))]
    assert set(by_ai_kind(records)) == {"ecg", "image"}
    domains = by_domain(records)
    assert domains["a"].cases == 1 and domains["clinical_encounters"].cases == 6


def test_record_from_case_score() -> None:
    stemi = next(c for p in builtin_packs() for c in p.cases if c.id == "ecg-stemi-002")
    score = score_case(stemi, Answers("normal", "accept", "reassure_no_followup", 0.8, (), "stemi"))
    record = RelianceRecord.from_score(stemi, score)
    assert record.followed_ai and not record.ai_correct and not record.final_correct
    assert record.own_read_correct is True and record.switched is True
    assert is_omission_error(record)  # the AI's silent miss was followed
    assert profile([record]).rsr == 0.0


records_st = st.lists(
    st.builds(
        rec,
        st.one_of(st.none(), st.booleans()),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    max_size=30,
)


@given(records_st, st.randoms(use_true_random=False))
def test_profile_is_bounded_and_order_free(records, rnd) -> None:  # type: ignore[no-untyped-def]
    p = profile(records)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert profile(shuffled) == p
    rates = [p.rair, p.rsr, p.switch_fraction, p.agreement_fraction, p.team_accuracy]
    rates += [p.over_reliance_rate, p.under_reliance_rate, p.appropriate_rate]
    assert all(r is None or 0.0 <= r <= 1.0 for r in rates)
    assert p.appropriate_acceptance + p.appropriate_override + p.over_reliance + (
        p.under_reliance
    ) == len(records)


@given(records_st, st.data())
def test_more_right_finals_never_lower_team_accuracy_rair_rsr(records, data) -> None:  # type: ignore[no-untyped-def]
    wrong = [i for i, r in enumerate(records) if not r.final_correct]
    if not wrong:
        return
    i = data.draw(st.sampled_from(wrong))
    better = list(records)
    r = records[i]
    better[i] = rec(r.own_read_correct, r.ai_correct, True, r.followed_ai)
    before, after = profile(records), profile(better)
    assert after.team_accuracy is not None and before.team_accuracy is not None
    assert after.team_accuracy > before.team_accuracy
    for old, new in ((before.rair, after.rair), (before.rsr, after.rsr)):
        assert old is None or (new is not None and new >= old)
