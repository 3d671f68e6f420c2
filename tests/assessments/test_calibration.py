"""Calibration: Brier score, table, over-confidence and certainty-based marking."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.calibration import (
    brier_score,
    calibration_table,
    cbm_mark,
    cbm_score,
    certainty_from_confidence,
    expected_calibration_error,
    overconfidence_index,
)


def test_brier_known_value() -> None:
    # (0.9 − 1)² + (0.6 − 0)² + (0.8 − 0)² = 0.01 + 0.36 + 0.64 = 1.01; / 3 = 0.336666…
    assert math.isclose(brier_score([0.9, 0.6, 0.8], [True, False, False]) or 0, 1.01 / 3)
    assert brier_score([], []) is None
    assert brier_score([1.0, 0.0], [True, False]) == 0.0


def test_overconfidence_known_value() -> None:
    # mean confidence (0.9 + 0.6 + 0.8) / 3 = 0.7667; accuracy 1/3; index = 0.4333
    value = overconfidence_index([0.9, 0.6, 0.8], [True, False, False])
    assert math.isclose(value or 0, 2.3 / 3 - 1 / 3)


def test_calibration_table_bins() -> None:
    table = calibration_table([0.1, 0.15, 0.9, 1.0], [False, True, True, True], bins=5)
    assert [b.count for b in table] == [2, 0, 0, 0, 2]  # 1.0 falls in the last bin
    assert table[0].mean_confidence == pytest.approx(0.125) and table[0].accuracy == 0.5
    assert table[1].accuracy is None
    # ECE = (2·|0.5 − 0.125| + 2·|1 − 0.95|) / 4 = (0.75 + 0.1) / 4 = 0.2125
    assert expected_calibration_error(table) == pytest.approx(0.2125)


def test_cbm_marks_and_score() -> None:
    assert [cbm_mark(c, True) for c in (1, 2, 3)] == [1, 2, 3]
    assert [cbm_mark(c, False) for c in (1, 2, 3)] == [0, -2, -6]
    # marks 3 + 2 + 0 = 5 of a maximum 3·3 = 9
    assert cbm_score([3, 2, 1], [True, True, False]) == pytest.approx(5 / 9)
    assert cbm_score([3], [False]) == 0.0  # −6 floored at 0
    assert [certainty_from_confidence(p) for p in (0.5, 0.7, 0.81)] == [1, 2, 3]
    with pytest.raises(ValueError):
        cbm_mark(4, True)


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=50))
def test_brier_bounded_and_order_free(pairs) -> None:  # type: ignore[no-untyped-def]
    conf, out = [p[0] for p in pairs], [p[1] for p in pairs]
    score = brier_score(conf, out)
    assert score is not None and 0.0 <= score <= 1.0
    assert math.isclose(score, brier_score(conf[::-1], out[::-1]) or 0, abs_tol=1e-12)
    assert sum(b.count for b in calibration_table(conf, out)) == len(pairs)


@given(st.lists(st.tuples(st.floats(0.5, 1), st.booleans()), min_size=1, max_size=30))
def test_being_right_never_raises_the_brier_score(pairs) -> None:  # type: ignore[no-untyped-def]
    conf, out = [p[0] for p in pairs], [p[1] for p in pairs]
    right = [True] * len(out)
    assert (brier_score(conf, right) or 0) <= (brier_score(conf, out) or 0) + 1e-12
