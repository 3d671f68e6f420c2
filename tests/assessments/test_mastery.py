"""Mastery per domain: Beta quantiles, weighting, levels and incremental updates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.framework import builtin_framework
from assessments.mastery import (
    DomainMastery,
    Evidence,
    beta_quantile,
    estimate,
    evidence_from_score,
    regularized_beta,
    update,
)
from assessments.scoring import Answers, score_case
from case_bank.pack import builtin_packs

FW = builtin_framework()
D = "clinical_encounters"


def test_beta_quantile_known_values() -> None:
    assert beta_quantile(0.3, 1, 1) == pytest.approx(0.3)  # uniform
    assert beta_quantile(0.25, 2, 1) == pytest.approx(0.5)  # CDF x², √0.25 = 0.5
    assert beta_quantile(0.75, 1, 2) == pytest.approx(0.5)  # CDF 1 − (1 − x)²
    assert regularized_beta(0.5, 3, 3) == pytest.approx(0.5)  # symmetric
    # Beta(2, 2): CDF 3x² − 2x³; at 0.2: 0.12 − 0.016 = 0.104
    assert regularized_beta(0.2, 2, 2) == pytest.approx(0.104)


def test_practice_counts_half_and_partial_credit_is_fractional() -> None:
    m = estimate([Evidence(D, "a", 1.0, "practice"), Evidence(D, "b", 0.3, "exam")], FW)[D]
    # α = 1 + 0.5·1 + 1·0.3 = 1.8; β = 1 + 0.5·0 + 1·0.7 = 1.7
    assert (m.alpha, m.beta) == pytest.approx((1.8, 1.7))
    assert m.mean == pytest.approx(1.8 / 3.5)
    assert m.lower < m.mean < m.upper
    assert m.evidence_count == 2 and m.exam_count == 1


def test_levels_follow_the_evidence_rules() -> None:
    assert estimate([], FW)[D].level == "not_yet_competent"
    practice = [Evidence(D, f"p{i}", 0.8, "practice") for i in range(4)]
    assert estimate(practice, FW)[D].level == "developing"
    exams = [Evidence(D, f"e{i}", 0.9, "exam") for i in range(6)]
    assert estimate(practice + exams, FW)[D].level == "competent"
    # a critical error in the last 5 exam cases holds the level back
    unsafe = [*exams[:-1], Evidence(D, "e5", 0.9, "exam", critical_error=True)]
    assert estimate(practice + unsafe, FW)[D].level == "developing"


def test_incremental_update_equals_batch_estimate() -> None:
    items = [Evidence(D, f"c{i}", (i % 4) / 3, "exam" if i % 2 else "practice") for i in range(9)]
    m = DomainMastery(D)
    for item in items:
        m = update(m, item, FW)
    assert m == estimate(items, FW)[D]


def test_evidence_from_a_scored_case() -> None:
    af = next(c for p in builtin_packs() for c in p.cases if c.id == "ecg-af-001")
    score = score_case(af, Answers("af", "accept", "refer_routine", 0.9, ("none_noticed",)))
    items = evidence_from_score(af, score, "exam", "2025-01-01T09:00:00Z")
    assert {e.domain for e in items} == {"clinical_encounters", "basic_knowledge"}
    assert all(e.credit == score.total for e in items)


@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["exam", "practice"])), max_size=20))
def test_mean_and_interval_are_bounded(raw) -> None:  # type: ignore[no-untyped-def]
    m = estimate([Evidence(D, str(i), c, s) for i, (c, s) in enumerate(raw)], FW)[D]
    assert 0.0 <= m.lower <= m.mean <= m.upper <= 1.0


@given(st.lists(st.floats(0, 1), min_size=1, max_size=10), st.floats(0, 1))
def test_more_credit_never_lowers_the_mean(credits, extra) -> None:  # type: ignore[no-untyped-def]
    base = [Evidence(D, str(i), c, "exam") for i, c in enumerate(credits)]
    better = [*base[:-1], Evidence(D, "last", min(1.0, base[-1].credit + extra), "exam")]
    assert estimate(better, FW)[D].mean >= estimate(base, FW)[D].mean - 1e-12
