"""Where each lead goes on the page: a single strip, or the standard 12-lead layout
(3 rows × 4 columns of 2.5 s, plus a lead II rhythm strip), as pure numpy arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

STANDARD_ROWS = (("I", "aVR", "V1", "V4"), ("II", "aVL", "V2", "V5"), ("III", "aVF", "V3", "V6"))
ROW_SPACING_MV = 3.0  # 30 mm between baselines
COLUMN_S = 2.5


@dataclass(frozen=True)
class Placed:
    """One trace segment placed on the page: times (s), values (mV, offset), its label."""

    x: Any
    y: Any
    label: str
    label_at: tuple[float, float]


def is_twelve_lead(leads: list[str]) -> bool:
    return {lead for row in STANDARD_ROWS for lead in row} <= set(leads)


def place(samples: Any, leads: list[str], fs: float) -> list[Placed]:
    """Segments to draw. 12 standard leads: the 3×4 grid and a lead II rhythm strip
    (row 4); otherwise the first lead as one strip at baseline 0."""
    times = np.arange(samples.shape[1]) / fs
    if not is_twelve_lead(leads):
        return [Placed(times, samples[0], leads[0], (0.05, 1.6))]
    placed = []
    per_column = round(COLUMN_S * fs)
    for row, names in enumerate(STANDARD_ROWS):
        baseline = -row * ROW_SPACING_MV
        for column, name in enumerate(names):
            start, stop = column * per_column, min((column + 1) * per_column, samples.shape[1])
            if start >= stop:
                continue
            values = samples[leads.index(name), start:stop] + baseline
            placed.append(
                Placed(times[start:stop], values, name, (times[start] + 0.05, baseline + 1.4))
            )
    rhythm = -len(STANDARD_ROWS) * ROW_SPACING_MV
    placed.append(Placed(times, samples[leads.index("II")] + rhythm, "II", (0.05, rhythm + 1.4)))
    return placed


def joined(placed: list[Placed]) -> tuple[Any, Any]:
    """All segments as one polyline with NaN breaks (one plot item draws them fast)."""
    xs, ys = [], []
    for segment in placed:
        xs.extend([segment.x, [np.nan]])
        ys.extend([segment.y, [np.nan]])
    return np.concatenate(xs), np.concatenate(ys)
