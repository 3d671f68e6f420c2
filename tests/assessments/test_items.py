"""Item analysis: hand-worked KR-20, alpha, point-biserial, groups, distractors, flags."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.items import (
    DISTRACTOR_BEATS_KEY,
    LOW_DISCRIMINATION,
    TOO_EASY,
    analyse_case_attempts,
    analyse_items,
)
from case_bank.pack import builtin_packs

# Five attempts, three 0/1 items; totals 3, 2, 1, 0, 2.
X = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 0, 1]], dtype=float)


def test_kr20_known_value() -> None:
    # p = 0.8, 0.4, 0.4 → Σpq = 0.16 + 0.24 + 0.24 = 0.64
    # totals mean 1.6, variance (1.96 + 0.16 + 0.36 + 2.56 + 0.16) / 5 = 1.04
    # KR-20 = 3/2 · (1 − 0.64 / 1.04) = 0.576923…
    report = analyse_items(X, ["a", "b", "c"])
    assert report.kr20 == pytest.approx(1.5 * (1 - 0.64 / 1.04))
    assert report.alpha == pytest.approx(report.kr20)  # equal for 0/1 items
    assert [i.facility for i in report.items] == pytest.approx([0.8, 0.4, 0.4])


def test_point_biserial_known_value() -> None:
    # item a: x = 1 1 1 0 1, rest total = 2 1 0 0 1; both means 0.8
    # cov = (0.24 + 0.04 − 0.16 + 0.64 + 0.04) / 5 = 0.16; var x = 0.16; var rest = 0.56
    # r = 0.16 / √(0.16 · 0.56) = 0.534522…
    report = analyse_items(X, ["a", "b", "c"])
    assert report.items[0].point_biserial == pytest.approx(0.16 / (0.16 * 0.56) ** 0.5)


def test_upper_lower_groups() -> None:
    # 27 % of 5 rounds to 1 attempt each: upper = total 3 (row 0), lower = total 0 (row 3)
    report = analyse_items(X, ["a", "b", "c"])
    assert [i.discrimination for i in report.items] == [1.0, 1.0, 1.0]


def test_cronbach_alpha_known_value_with_partial_credit() -> None:
    # item 1: 1, 0.5, 0 → variance 1/6; item 2: 0.5, 0.5, 0 → variance 1/18
    # totals 1.5, 1, 0 → variance 42/108 = 7/18
    # alpha = 2 · (1 − (1/6 + 1/18) / (7/18)) = 2 · (1 − 4/7) = 6/7
    report = analyse_items([[1, 0.5], [0.5, 0.5], [0, 0]], ["i1", "i2"])
    assert report.alpha == pytest.approx(6 / 7)
    assert report.kr20 is None


def test_distractor_counts_and_flags() -> None:
    # Ten attempts; item 0 keyed "k"; the three best attempts all pick "d".
    rows = 10
    others = np.array([[1, 1, 1, 1]] * 3 + [[1, 0, 1, 0]] * 4 + [[0, 0, 0, 0]] * 3, float)
    item0 = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 0], float)
    scores = np.column_stack([item0, others])
    choice0 = np.where(item0 == 1, 0, 1)  # 0 = "k", 1 = "d"
    choices = np.column_stack([choice0, np.zeros((rows, 4), int)])
    options = [["k", "d"]] + [["x"]] * 4
    report = analyse_items(
        scores,
        ["q", "r", "s", "t", "u"],
        choices=choices,
        option_ids=options,
        keys=["k", "x", "x", "x", "x"],
    )
    q = report.items[0]
    assert q.option_counts == {"k": 6, "d": 4}
    assert q.upper_option_counts == {"k": 0, "d": 3}
    assert DISTRACTOR_BEATS_KEY in q.flags and LOW_DISCRIMINATION in q.flags


def test_missing_items_and_constant_items() -> None:
    scores = np.array([[1, np.nan, 1], [1, 1, 0], [1, 0, np.nan], [1, 1, 1]])
    report = analyse_items(scores, ["a", "b", "c"])
    a = report.items[0]
    assert a.facility == 1.0 and a.point_biserial is None
    assert TOO_EASY in a.flags
    assert report.items[1].n == 3 and report.complete_attempts == 2


def test_case_attempts_wrapper_uses_interpretation_keys() -> None:
    cases = [c for p in builtin_packs() for c in p.cases]
    attempts = [
        {"ecg-af-001": (1.0, "af"), "ecg-stemi-002": (0.2, "normal")},
        {"ecg-af-001": (0.4, "sinus_normal"), "ecg-stemi-002": (1.0, "stemi")},
    ]
    report = analyse_case_attempts(attempts, cases)
    stemi = next(i for i in report.items if i.item_id == "ecg-stemi-002")
    assert stemi.option_counts["normal"] == 1 and stemi.option_counts["stemi"] == 1
    assert next(i for i in report.items if i.item_id == "ecg-peds-003").n == 0


matrix = st.integers(3, 12).flatmap(
    lambda n: st.lists(
        st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=4, max_size=4), min_size=n, max_size=n
    )
)


@settings(max_examples=60, deadline=None)
@given(matrix, st.randoms(use_true_random=False))
def test_statistics_bounded_and_attempt_order_free(rows, rnd) -> None:  # type: ignore[no-untyped-def]
    report = analyse_items(rows, list("abcd"))
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    again = analyse_items(shuffled, list("abcd"))
    for one, two in zip(report.items, again.items, strict=True):
        assert one.facility == pytest.approx(two.facility)
        assert (one.point_biserial is None) == (two.point_biserial is None)
        if one.point_biserial is not None:
            assert -1 - 1e-9 <= one.point_biserial <= 1 + 1e-9
            assert one.point_biserial == pytest.approx(two.point_biserial)
        assert one.facility is not None and 0 <= one.facility <= 1
    if report.alpha is not None:
        assert report.alpha <= 1 + 1e-9
        assert again.alpha == pytest.approx(report.alpha)
