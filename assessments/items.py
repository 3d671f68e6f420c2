"""Item analysis for trainers: facility, discrimination, distractors, reliability, flags.

Classical test theory, vectorised with numpy over a score matrix (attempts × items, NaN
where an item was not presented), processed in row chunks so memory stays bounded.

- Facility p: mean item score over attempts that saw the item.
- Corrected point-biserial: Pearson correlation of the item score with the rest score
  (the attempt's mean over its *other* items; with complete data this equals the
  item-rest-total correlation, since the mean is the total divided by k − 1).
- Upper–lower discrimination D = p(upper 27%) − p(lower 27%) by the attempts' mean score
  (Kelley TL. J Educ Psychol 1939;30(1):17-24).
- KR-20 (Kuder GF, Richardson MW. Psychometrika 1937;2:151-160) for 0/1 items and
  Cronbach's alpha (Psychometrika 1951;16:297-334), both on complete attempts with
  population variances (ddof = 0), so alpha equals KR-20 for 0/1 data.
- Review flags after common practice (Haladyna TM, Developing and Validating
  Multiple-Choice Test Items, 3rd ed., 2004): p < 0.2 or p > 0.95, r_pb < 0.15, and a
  distractor that the upper group chose more often than the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from case_bank.models import Case
from xiangyi.i18n import N_

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

TOO_HARD = "too_hard"
TOO_EASY = "too_easy"
LOW_DISCRIMINATION = "low_discrimination"
DISTRACTOR_BEATS_KEY = "distractor_beats_key"
FLAG_LABELS = {
    TOO_HARD: N_("Very hard (facility below 0.2)"),
    TOO_EASY: N_("Very easy (facility above 0.95)"),
    LOW_DISCRIMINATION: N_("Low discrimination (point-biserial below 0.15)"),
    DISTRACTOR_BEATS_KEY: N_("A distractor attracts the strongest doctors more than the key"),
}
P_LOW, P_HIGH, R_MIN, GROUP_FRACTION = 0.2, 0.95, 0.15, 0.27
CHUNK_ROWS = 8192


@dataclass(frozen=True)
class ItemStats:
    item_id: str
    n: int
    facility: float | None
    point_biserial: float | None
    discrimination: float | None  # upper − lower 27 % groups
    p_upper: float | None
    p_lower: float | None
    option_counts: dict[str, int]
    upper_option_counts: dict[str, int]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ItemReport:
    attempts: int
    complete_attempts: int
    items: tuple[ItemStats, ...]
    kr20: float | None  # None unless every score is 0 or 1
    alpha: float | None
    mean_score: float | None  # mean share of the maximum, over attempts


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


def _pearson(n: Any, sx: Any, sy: Any, sxx: Any, syy: Any, sxy: Any) -> NDArray[np.float64]:
    """Per-column Pearson correlation from sums; NaN where a variance is 0."""
    import numpy as np

    cov = n * sxy - sx * sy
    var = (n * sxx - sx * sx) * (n * syy - sy * sy)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: NDArray[np.float64] = np.where(var > 1e-12, cov / np.sqrt(np.abs(var)), np.nan)
    return result


def _row_totals(scores: NDArray[Any]) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """First pass: per attempt the score sum and item count; whether all scores are 0/1."""
    import numpy as np

    sums = np.empty(scores.shape[0])
    counts = np.empty(scores.shape[0])
    binary = True
    for start in range(0, scores.shape[0], CHUNK_ROWS):
        x = np.asarray(scores[start : start + CHUNK_ROWS], dtype=np.float64)
        seen = ~np.isnan(x)
        x0 = np.where(seen, x, 0.0)
        sums[start : start + len(x)] = x0.sum(axis=1)
        counts[start : start + len(x)] = seen.sum(axis=1)
        binary = binary and bool(np.all((x0 == 0.0) | (x0 == 1.0)))
    return sums, counts, binary


def _groups(sums: Any, counts: Any) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Upper and lower 27 % of attempts by mean score (stable order breaks ties)."""
    import numpy as np

    valid = np.flatnonzero(counts > 0)
    upper = np.zeros(len(sums), dtype=bool)
    lower = np.zeros(len(sums), dtype=bool)
    if len(valid) >= 2:
        order = valid[np.argsort(sums[valid] / counts[valid], kind="stable")]
        size = max(1, round(GROUP_FRACTION * len(valid)))
        lower[order[:size]] = True
        upper[order[-size:]] = True
    return upper, lower


def _chunk_sums(x: Any, s: Any, c: Any, u: Any, lo: Any, k: int) -> dict[str, Any]:
    """Column sums for one chunk of rows, as a few matrix products (one pass over memory).

    With the rest mean r = a − b·x per cell (a = S/(C−1), b = 1/(C−1)), every sum the
    correlation needs is a product of the item columns with a per-attempt weight.
    """
    import numpy as np

    seen = ~np.isnan(x)
    complete_chunk = bool(seen.all())
    x = x if complete_chunk else np.where(seen, x, 0.0)
    rest = (c >= 2).astype(np.float64)  # a rest score needs at least one other item
    safe = np.where(c >= 2, c - 1, 1)
    a, b = rest * s / safe, rest / safe
    full = (c == k).astype(np.float64)
    ones = np.ones(len(s))
    # weights for x: 0 n·x, 1 rest, 2 b, 3 a, 4 a·b, 5 upper, 6 lower, 7 complete, 8 b²
    wx = np.column_stack([ones, rest, b, a, a * b, u, lo, full, b * b])
    wm = np.column_stack([ones, rest, a, a * a, u, lo])
    xs = x.T @ wx
    if complete_chunk:
        ms = np.broadcast_to(wm.sum(axis=0), (k, wm.shape[1]))
    else:
        ms = seen.astype(np.float64).T @ wm
    if bool(np.all((x == 0.0) | (x == 1.0))):
        x2s = xs[:, [0, 1, 2, 8, 7]]  # x² = x for 0/1 scores
    else:
        x2s = (x * x).T @ np.column_stack([ones, rest, b, b * b, full])
    return {
        "n": ms[:, 0],
        "rn": ms[:, 1],
        "un": ms[:, 4],
        "ln": ms[:, 5],
        "sx": xs[:, 0],
        "rx": xs[:, 1],
        "ux": xs[:, 5],
        "lx": xs[:, 6],
        "cx": xs[:, 7],
        "sxx": x2s[:, 0],
        "rxx": x2s[:, 1],
        "cxx": x2s[:, 4],
        "sr": ms[:, 2] - xs[:, 2],
        "srr": ms[:, 3] - 2.0 * xs[:, 4] + x2s[:, 3],
        "sxr": xs[:, 3] - x2s[:, 2],
    }


def _accumulate(scores: NDArray[Any], sums: Any, counts: Any, upper: Any, lower: Any) -> Any:
    """Second pass: the column sums every statistic needs, as a dict of arrays."""
    import numpy as np

    k = scores.shape[1]
    acc: dict[str, Any] = {}
    acc.update(cn=0.0, cs=0.0, css=0.0)
    for start in range(0, scores.shape[0], CHUNK_ROWS):
        stop = start + CHUNK_ROWS
        x = np.asarray(scores[start:stop], dtype=np.float64)
        s, c = sums[start:stop], counts[start:stop]
        part = _chunk_sums(x, s, c, upper[start:stop], lower[start:stop], k)
        for name, value in part.items():
            acc[name] = acc[name] + value if name in acc else np.array(value)
        full = c == k
        acc["cn"] += float(full.sum())
        acc["cs"] += float(s[full].sum())
        acc["css"] += float((s[full] ** 2).sum())
    if "n" not in acc:
        zero = np.zeros(k)
        for name in ("n", "rn", "un", "ln", "sx", "rx", "ux", "lx", "cx", "sxx", "rxx", "cxx"):
            acc[name] = zero
        acc.update(sr=zero, srr=zero, sxr=zero)
    return acc


def _reliability(acc: Any, k: int, binary: bool) -> tuple[float | None, float | None]:
    """(KR-20, alpha) from the complete-attempt sums; population variances."""
    n = acc["cn"]
    if k < 2 or n < 2:
        return None, None
    total_var = acc["css"] / n - (acc["cs"] / n) ** 2
    if total_var <= 1e-12:
        return None, None
    means = acc["cx"] / n
    item_var = float((acc["cxx"] / n - means**2).sum())
    alpha = k / (k - 1) * (1.0 - item_var / total_var)
    if not binary:
        return None, float(alpha)
    kr20 = k / (k - 1) * (1.0 - float((means * (1.0 - means)).sum()) / total_var)
    return float(kr20), float(alpha)


def _option_counts(choices: Any, n_options: int, rows: Any | None = None) -> NDArray[np.int64]:
    """Counts per item and option (items × options); -1 means no choice."""
    import numpy as np

    counts = np.zeros((choices.shape[1], n_options), dtype=np.int64)
    for start in range(0, choices.shape[0], CHUNK_ROWS):
        c = np.asarray(choices[start : start + CHUNK_ROWS])
        if rows is not None:
            c = c[rows[start : start + CHUNK_ROWS]]
        for option in range(n_options):  # few options: one fast comparison pass each
            counts[:, option] += np.count_nonzero(c == option, axis=0)
    return counts


def _named(names: Sequence[str], counts: Any | None, row: int) -> dict[str, int]:
    if counts is None:
        return {}
    return {name: int(counts[row, i]) for i, name in enumerate(names)}


def _flags(p: float | None, r: float | None, upper: Mapping[str, int], key: str | None) -> Any:
    if p is None:  # never presented: nothing to judge
        return ()
    flags = []
    if p < P_LOW:
        flags.append(TOO_HARD)
    if p > P_HIGH:
        flags.append(TOO_EASY)
    if r is None or r < R_MIN:
        flags.append(LOW_DISCRIMINATION)
    if key is not None and any(n > upper.get(key, 0) for o, n in upper.items() if o != key):
        flags.append(DISTRACTOR_BEATS_KEY)
    return tuple(flags)


def analyse_items(
    scores: Any,
    item_ids: Sequence[str],
    *,
    choices: Any | None = None,
    option_ids: Sequence[Sequence[str]] | None = None,
    keys: Sequence[str] | None = None,
) -> ItemReport:
    """Analyse a score matrix (attempts × items, credit in [0, 1], NaN = not presented).

    ``choices`` (optional, same shape) holds each attempt's chosen option index per item
    (-1 for none); ``option_ids`` names the options per item and ``keys`` the keyed one.
    """
    import numpy as np

    scores = np.asarray(scores)
    if scores.ndim != 2 or scores.shape[1] != len(item_ids):
        raise ValueError("scores must be attempts × items, one column per item id")
    sums, counts, binary = _row_totals(scores)
    upper, lower = _groups(sums, counts)
    acc = _accumulate(scores, sums, counts, upper, lower)
    r_pb = _pearson(acc["rn"], acc["rx"], acc["sr"], acc["rxx"], acc["srr"], acc["sxr"])
    kr20, alpha = _reliability(acc, len(item_ids), binary)
    all_counts = upper_counts = None
    if choices is not None and option_ids is not None:
        width = max((len(o) for o in option_ids), default=1)
        all_counts = _option_counts(choices, width)
        upper_counts = _option_counts(choices, width, upper)
    items = []
    for j, item_id in enumerate(item_ids):
        names = list(option_ids[j]) if option_ids is not None else []
        opts = _named(names, all_counts, j)
        up = _named(names, upper_counts, j)
        p = _ratio(acc["sx"][j], acc["n"][j])
        p_up, p_low = _ratio(acc["ux"][j], acc["un"][j]), _ratio(acc["lx"][j], acc["ln"][j])
        r = None if np.isnan(r_pb[j]) else float(r_pb[j])
        key = keys[j] if keys is not None and up else None
        items.append(
            ItemStats(
                item_id=item_id,
                n=int(acc["n"][j]),
                facility=p,
                point_biserial=r,
                discrimination=p_up - p_low if p_up is not None and p_low is not None else None,
                p_upper=p_up,
                p_lower=p_low,
                option_counts=opts,
                upper_option_counts=up,
                flags=_flags(p, r, up, key),
            )
        )
    valid = counts > 0
    mean = float((sums[valid] / counts[valid]).mean()) if valid.any() else None
    return ItemReport(len(sums), int(acc["cn"]), tuple(items), kr20, alpha, mean)


def analyse_case_attempts(
    attempts: Sequence[Mapping[str, tuple[float, str]]], cases: Sequence[Case]
) -> ItemReport:
    """Item analysis of exam attempts: each maps case id → (score, chosen interpretation).

    The key of a case is its fully-credited interpretation; the options are its
    interpretations. Cases an attempt did not contain are missing (NaN).
    """
    import numpy as np

    item_ids = [c.id for c in cases]
    option_ids = [[o.id for o in c.decision.interpretations] for c in cases]
    keys = [next(o for o, v in c.key.interpretation.items() if v == 1.0) for c in cases]
    scores = np.full((len(attempts), len(cases)), np.nan)
    choices = np.full((len(attempts), len(cases)), -1, dtype=np.int16)
    for i, attempt in enumerate(attempts):
        for j, case in enumerate(cases):
            if case.id in attempt:
                score, chosen = attempt[case.id]
                scores[i, j] = score
                if chosen in option_ids[j]:
                    choices[i, j] = option_ids[j].index(chosen)
    return analyse_items(scores, item_ids, choices=choices, option_ids=option_ids, keys=keys)
