"""Assessment figures: item analysis at county scale and one mastery update.

Item analysis runs over simulated attempts (a Rasch model: ability ~ N(0, 1), item
difficulty ~ N(0, 1), four options per item) with option choices for distractor
counts. The mastery figure is one doctor's update after one case, with a realistic
history of earlier evidence. Targets from issue 6: under 5 s and under 10 ms.

    python benchmarks/assessments.py [--attempts 100000] [--items 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

# This script shares its name with the package it measures: put the repository first on
# the import path instead of this script's folder.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from assessments.framework import builtin_framework  # noqa: E402
from assessments.items import analyse_items  # noqa: E402
from assessments.mastery import Evidence, estimate, update  # noqa: E402


def simulate(attempts: int, items: int, seed: int = 1) -> tuple[Any, Any, list[list[str]]]:
    """0/1 scores (uint8) and chosen option indices (int8; 0 is the key)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(attempts, 1)).astype(np.float32)
    difficulty = rng.normal(size=(1, items)).astype(np.float32)
    p = 1.0 / (1.0 + np.exp(difficulty - ability))
    scores = (rng.random((attempts, items), dtype=np.float32) < p).astype(np.uint8)
    wrong_choice = rng.integers(1, 4, size=(attempts, items), dtype=np.int8)
    choices = np.where(scores == 1, np.int8(0), wrong_choice)
    options = [["key", "d1", "d2", "d3"] for _ in range(items)]
    return scores, choices, options


def bench_items(attempts: int, items: int, runs: int) -> None:
    scores, choices, options = simulate(attempts, items)
    ids = [f"item-{j:04d}" for j in range(items)]
    keys = ["key"] * items
    times = []
    tracemalloc.start()
    for _ in range(runs):
        tracemalloc.reset_peak()
        start = time.perf_counter()
        report = analyse_items(scores, ids, choices=choices, option_ids=options, keys=keys)
        times.append(time.perf_counter() - start)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    flagged = sum(bool(i.flags) for i in report.items)
    print(f"item analysis: {attempts:,} attempts × {items} items, {runs} runs")
    print(
        f"  input: scores {scores.nbytes / 2**20:.0f} MiB, choices {choices.nbytes / 2**20:.0f} MiB"
    )
    print(f"  median {statistics.median(times):.3f} s, best {min(times):.3f} s (target < 5 s)")
    print(f"  peak traced allocation during analysis: {peak / 2**20:.0f} MiB")
    print(f"  KR-20 {report.kr20:.4f}, alpha {report.alpha:.4f}, items flagged {flagged}")


def bench_mastery(history: int, repeats: int) -> None:
    framework = builtin_framework()
    domain = "clinical_encounters"
    rng = np.random.default_rng(2)
    earlier = [
        Evidence(domain, f"case-{i}", float(rng.random()), "exam" if i % 3 else "practice")
        for i in range(history)
    ]
    mastery = estimate(earlier, framework)[domain]
    new = Evidence(domain, "case-new", 0.85, "exam")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        update(mastery, new, framework)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    estimate([*earlier, new], framework)
    full = time.perf_counter() - start
    print(f"mastery update: one case after {history} earlier evidence items, {repeats} repeats")
    print(f"  median {statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms")
    print(f"  (target < 10 ms); full re-estimate of all six domains {full * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench_items(args.attempts, args.items, args.runs)
    bench_mastery(history=200, repeats=200)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
