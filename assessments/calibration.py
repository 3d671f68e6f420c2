"""Calibration of confidence against correctness, and certainty-based marking.

Sources:
- Brier GW. Verification of forecasts expressed in terms of probability.
  Mon Weather Rev 1950;78(1):1-3 (Brier score).
- Murphy AH, Winkler RL. Reliability of subjective probability forecasts of
  precipitation and temperature. J R Stat Soc C 1977;26(1):41-47 (calibration table).
- Gardner-Medwin AR. Confidence-based marking: towards deeper learning and better
  exams. In: Bryan C, Clegg K (eds). Innovative Assessment in Higher Education.
  Routledge, 2006: 141-149 (certainty-based marking, marks 1/2/3 and 0/-2/-6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Gardner-Medwin's CBM marks: certainty level → (mark if right, mark if wrong).
CBM_MARKS: dict[int, tuple[int, int]] = {1: (1, 0), 2: (2, -2), 3: (3, -6)}
# Subjective probabilities above which a higher certainty level pays on average:
# C2 beats C1 when p > 2/3, C3 beats C2 when p > 0.8 (Gardner-Medwin 2006).
CBM_THRESHOLDS = (2 / 3, 0.8)


def _pairs(confidences: Sequence[float], outcomes: Sequence[bool]) -> list[tuple[float, bool]]:
    if len(confidences) != len(outcomes):
        raise ValueError("confidences and outcomes differ in length")
    for c in confidences:
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} is outside [0, 1]")
    return list(zip(confidences, outcomes, strict=True))


def brier_score(confidences: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mean squared difference between confidence and outcome (Brier 1950).

    BS = (1/N) Σ (c_i − o_i)², o_i ∈ {0, 1}. 0 is perfect; 0.25 is always saying 0.5.
    None for no decisions.
    """
    pairs = _pairs(confidences, outcomes)
    if not pairs:
        return None
    return sum((c - float(o)) ** 2 for c, o in pairs) / len(pairs)


def overconfidence_index(confidences: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mean confidence minus accuracy: positive is over-confident, negative under-confident."""
    pairs = _pairs(confidences, outcomes)
    if not pairs:
        return None
    return sum(c for c, _ in pairs) / len(pairs) - sum(o for _, o in pairs) / len(pairs)


@dataclass(frozen=True)
class CalibrationBin:
    """Decisions whose confidence falls in [lower, upper) (the last bin includes 1.0)."""

    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    accuracy: float | None


def calibration_table(
    confidences: Sequence[float], outcomes: Sequence[bool], bins: int = 5
) -> list[CalibrationBin]:
    """Equal-width confidence bins with count, mean confidence and accuracy.

    The reliability-diagram table of Murphy & Winkler (1977); empty bins are kept
    (count 0) so tables from different doctors line up.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, o in _pairs(confidences, outcomes):
        members[min(int(c * bins), bins - 1)].append((c, o))
    table = []
    for i, group in enumerate(members):
        n = len(group)
        table.append(
            CalibrationBin(
                lower=i / bins,
                upper=(i + 1) / bins,
                count=n,
                mean_confidence=sum(c for c, _ in group) / n if n else None,
                accuracy=sum(o for _, o in group) / n if n else None,
            )
        )
    return table


def expected_calibration_error(table: Iterable[CalibrationBin]) -> float | None:
    """Count-weighted mean |accuracy − mean confidence| over the bins of a table."""
    rows = [b for b in table if b.count]
    total = sum(b.count for b in rows)
    if not total:
        return None
    gaps = (b.count * abs((b.accuracy or 0.0) - (b.mean_confidence or 0.0)) for b in rows)
    return sum(gaps) / total


def certainty_from_confidence(confidence: float) -> int:
    """The CBM certainty level (1-3) that pays best for a subjective probability."""
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"confidence {confidence} is outside [0, 1]")
    low, high = CBM_THRESHOLDS
    if confidence > high:
        return 3
    return 2 if confidence > low else 1


def cbm_mark(certainty: int, correct: bool) -> int:
    """Gardner-Medwin's mark: +1/+2/+3 if right, 0/−2/−6 if wrong at certainty 1/2/3."""
    if certainty not in CBM_MARKS:
        raise ValueError(f"certainty must be 1, 2 or 3, not {certainty}")
    right, wrong = CBM_MARKS[certainty]
    return right if correct else wrong


def cbm_score(certainties: Sequence[int], outcomes: Sequence[bool]) -> float | None:
    """CBM total as a share of the maximum (3 per item), floored at 0.

    The raw total ranges from −6n to 3n; reporting it as a share of 3n keeps it on the
    same 0-1 scale as the other scores, with a negative total (worse than guessing
    with low certainty) shown as 0. None for no items.
    """
    if len(certainties) != len(outcomes):
        raise ValueError("certainties and outcomes differ in length")
    if not certainties:
        return None
    total = sum(cbm_mark(c, o) for c, o in zip(certainties, outcomes, strict=True))
    return max(0.0, total / (3 * len(certainties)))
