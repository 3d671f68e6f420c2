"""The lesson-figure generator: determinism, committed files, and what each figure shows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from case_bank.generators import figures
from courses.loader import load_module

MODULE = figures.FIGURES_DIR.parent
NAMES = sorted(figures.BUILTIN)


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGB"
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def _nearest(pixel: np.ndarray, palette: dict[str, tuple[int, int, int]]) -> str:
    return min(palette, key=lambda k: int(np.abs(pixel - np.array(palette[k])).sum()))


@pytest.mark.parametrize("name", NAMES)
def test_same_call_gives_identical_bytes(name: str) -> None:
    make = figures.BUILTIN[name]
    assert make() == make()


@pytest.mark.parametrize("name", NAMES)
def test_committed_figure_equals_regenerated_bytes(name: str) -> None:
    path = figures.FIGURES_DIR / name
    assert path.is_file(), f"run python -m case_bank.generators.figures to write {name}"
    assert path.read_bytes() == figures.BUILTIN[name]()


@pytest.mark.parametrize("name", NAMES)
def test_figures_are_small_and_fit_the_lesson_pane(name: str) -> None:
    data = figures.BUILTIN[name]()
    assert len(data) <= 300_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert 400 <= image.width <= 640
        assert set(image.info) <= {"dpi", "gamma"}  # no text chunks, no timestamps


def test_builtin_assets_are_the_module_figures() -> None:
    assets = figures.builtin_assets()
    assert set(assets) == {figures.FIGURES_DIR / n for n in NAMES}
    assert all(p.is_absolute() for p in assets)


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_carries_the_simulated_mark(name: str) -> None:
    # The mark sits in the bottom right corner: grey ink there, white in the bottom left.
    pixels = _pixels(figures.BUILTIN[name]())
    height, width, _ = pixels.shape
    corner = pixels[height - 34 : height - 4, width - 260 : width - 8]
    grey = (np.abs(corner - np.array(figures.MUTED)).sum(axis=2) < 60).sum()
    assert grey > 150
    assert (pixels[height - 30 :, :40] == 255).all()


def test_icon_array_shows_the_two_by_two_table() -> None:
    counts = figures.icon_counts()
    assert counts == {
        "true_positive": 18,
        "false_negative": 2,
        "false_positive": 98,
        "true_negative": 882,
    }
    pixels = _pixels(figures.icon_array())
    seen: dict[str, int] = dict.fromkeys(counts, 0)
    for x, y, kind in figures.icon_cells():
        found = _nearest(pixels[round(y), round(x)], figures.ICON_FILLS)
        assert found == kind, (x, y)
        seen[found] += 1
    assert seen == counts


def test_threshold_panels_trade_misses_for_false_alarms() -> None:
    low_sens, low_spec = figures.threshold_performance(figures.THRESHOLDS["A"])
    high_sens, high_spec = figures.threshold_performance(figures.THRESHOLDS["B"])
    assert low_sens > high_sens and low_spec < high_spec
    # The figures quoted in the lesson captions.
    assert (round(100 * low_sens), round(100 * low_spec)) == (99, 77)
    assert (round(100 * high_sens), round(100 * high_spec)) == (80, 99)
    pixels = _pixels(figures.threshold_trade_off())

    def shaded(panel: str, colour: tuple[int, int, int]) -> int:
        top, bottom = figures.THRESHOLD_PANELS[panel]
        area = pixels[round(top) : round(bottom), 64:470]
        return int((np.abs(area - np.array(colour)).sum(axis=2) < 12).sum())

    assert shaded("A", figures.LIGHT_ORANGE) > 5 * shaded("B", figures.LIGHT_ORANGE)
    assert shaded("B", figures.LIGHT_RED) > 5 * shaded("A", figures.LIGHT_RED)


def test_training_examples_are_seeded_and_stay_inside_their_ages() -> None:
    first = figures.training_examples()
    again = figures.training_examples()
    other = figures.training_examples(seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])
    age, _sbp, event = first
    lo, hi = figures.TRAINING_AGES
    assert lo <= age.min() and age.max() <= hi
    assert 0.1 < event.mean() < 0.6  # both kinds of example are present
    outside = figures.NEW_PATIENTS["B"][0]
    assert outside > hi + 10  # patient B is far from every example


def test_village_patients_are_older_than_the_training_cohort() -> None:
    training = figures.age_shares(figures.TRAINING_AGE_MIX)
    village = figures.age_shares(figures.VILLAGE_AGE_MIX)
    assert sum(training) == pytest.approx(100.0)
    assert sum(village) == pytest.approx(100.0)
    oldest = figures.TRAINING_AGE_MIX[3]
    beyond = [v for edge, v in zip(figures.AGE_BINS, village, strict=True) if edge >= oldest]
    assert sum(beyond) > 20.0  # about a quarter of the village is older than anyone in training
    pixels = _pixels(figures.training_vs_village_ages())
    orange = (np.abs(pixels - np.array(figures.ORANGE)).sum(axis=2) < 12).sum()
    assert orange > 2000


def test_every_figure_is_shown_in_both_languages_of_a_lesson() -> None:
    loaded = load_module(MODULE)
    assert loaded.module is not None and not loaded.problems, loaded.problems
    used: dict[str, set[str]] = {"zh_CN": set(), "en": set()}
    for lesson in loaded.module.lessons:
        for language in used:
            text = loaded.lesson_text(lesson.id, language)
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
                used[language].add(Path(target).name)
    assert used["zh_CN"] == used["en"] == set(NAMES)


def test_main_writes_the_figures(tmp_path: Path) -> None:
    assert figures.main(["--out", str(tmp_path)]) == 0
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (figures.FIGURES_DIR / name).read_bytes()
