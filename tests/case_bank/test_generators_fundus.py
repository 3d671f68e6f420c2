"""The synthetic fundus generator: determinism, drawn findings, the simulated mark, and
the committed pictures of the fundus-screening pack and the fundus-ai module."""

from __future__ import annotations

import dataclasses
import io
import math
import re
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageFilter

from case_bank.generators import fundus
from case_bank.generators.fundus import (
    BUILTIN,
    DD,
    DISC,
    FOVEA,
    SIZE,
    Feature,
    Fundus,
    FundusParams,
    Lesions,
    generate,
    jpeg_bytes,
    quadrant_of,
)
from case_bank.models import ImageOutput
from case_bank.pack import load_pack

PACK = fundus.PACK_ASSETS.parent
CASE_FILES = {fundus.PACK_ASSETS / name: name for name in BUILTIN}
MODULE = fundus.LESSONS.parent
LESIONS_DRAWN = (
    "ma",
    "dot_blot",
    "exudate",
    "cws",
    "dust",
    "laser_scar",
    "circinate",
    "nvd",
    "preretinal",
)


@cache
def _built(name: str) -> Fundus:
    return fundus.builtin_fundus(name)


@cache
def _asset_bytes(path: Path) -> bytes:
    """The bytes the generator makes for one committed file (each built once per run)."""
    if path in CASE_FILES:
        return jpeg_bytes(_built(CASE_FILES[path]).pixels)
    return fundus.builtin_assets()[path]()


def _unmirrored(feature: Feature, eye: str) -> tuple[float, float]:
    """A feature's position as drawn before a left eye is mirrored."""
    return (SIZE - 1 - feature.x if eye == "L" else feature.x), feature.y


def _core_and_ring(pixels: npt.NDArray[np.uint8], feature: Feature) -> tuple[np.ndarray, ...]:
    """Mean colour over a lesion's core and median colour of a ring of retina around it."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    d = np.hypot(xx - feature.x, yy - feature.y)
    core = pixels[d <= max(1.0, 0.6 * feature.r)].astype(np.float64)
    ring = pixels[(d >= 2.5 * feature.r + 3) & (d <= 3.5 * feature.r + 6)].astype(np.float64)
    return core.mean(axis=0), np.median(ring, axis=0)


def _field_mean(pixels: npt.NDArray[np.uint8]) -> float:
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    inside = np.hypot(xx - SIZE / 2, yy - SIZE / 2) < 0.4 * SIZE
    return float(pixels[inside].mean())


def _detail(pixels: npt.NDArray[np.uint8]) -> float:
    """How much fine detail the picture has: spread of the image minus a blurred copy."""
    image = Image.fromarray(pixels).convert("L")
    sharp = np.asarray(image, dtype=np.float64)
    smooth = np.asarray(image.filter(ImageFilter.GaussianBlur(3)), dtype=np.float64)
    centre = slice(SIZE // 4, 3 * SIZE // 4)
    return float((sharp - smooth)[centre, centre].std())


# --- determinism ----------------------------------------------------------------------

BUSY = FundusParams(
    seed=7,
    eye="L",
    lesions=(
        Lesions("ma", 3),
        Lesions("dot_blot", 3),
        Lesions("exudate", 5),
        Lesions("cws", 1),
        Lesions("dust", 1),
    ),
    beading=("st",),
    nve="it",
    haze=0.2,
)


def test_same_params_give_identical_bytes() -> None:
    assert jpeg_bytes(generate(BUSY).pixels) == jpeg_bytes(generate(BUSY).pixels)


def test_different_seeds_differ() -> None:
    a = generate(FundusParams(seed=1, watermark=False)).pixels
    b = generate(FundusParams(seed=2, watermark=False)).pixels
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0


def test_builtin_assets_are_the_pack_pictures_and_the_lesson_figures() -> None:
    assets = set(fundus.builtin_assets())
    assert set(CASE_FILES) <= assets
    assert {p.resolve() for p in (PACK / "assets").iterdir()} == {p.resolve() for p in CASE_FILES}
    linked = set()
    for lesson in (MODULE / "lessons").iterdir():
        for md in lesson.glob("*.md"):
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", md.read_text(encoding="utf-8")):
                linked.add((lesson / target).resolve())
    figures = {p.resolve() for p in assets if MODULE in p.parents}
    assert linked == figures and len(figures) == 5


@pytest.mark.parametrize("path", sorted(fundus.builtin_assets()), ids=lambda p: p.name)
def test_committed_file_equals_regenerated(path: Path) -> None:
    assert path.is_file(), f"run python -m case_bank.generators.fundus to write {path.name}"
    expected = _asset_bytes(path)
    assert path.read_bytes() == expected
    assert len(expected) < 300_000


# --- what every picture shows ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_every_case_picture_is_a_marked_circular_field(name: str) -> None:
    pixels = _built(name).pixels
    assert pixels.shape == (SIZE, SIZE, 3)
    # The "SIMULATED" and "模拟图像" words top left and "SIMULATED" bottom right …
    for corner in (pixels[14:32, 14:166], pixels[38:62, 14:110], pixels[-32:-14, -166:-14]):
        assert (corner.max(axis=2) > 150).sum() > 150
    # … on the black surround, which is otherwise empty.
    assert pixels[-60:-5, 5:60].max() == 0
    assert _field_mean(pixels) > 20


@pytest.mark.parametrize("path", sorted(p for p in fundus.builtin_assets() if MODULE in p.parents))
def test_every_figure_carries_the_simulated_banner(path: Path) -> None:
    with Image.open(io.BytesIO(_asset_bytes(path))) as image:
        pixels = np.asarray(image.convert("RGB"))
    banner = pixels[-fundus.BANNER :, :260]
    assert (banner.max(axis=2) > 170).sum() > 300
    assert pixels.shape[1] <= 760


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_the_disc_is_on_the_side_of_the_eye(name: str) -> None:
    disc = _built(name).of("disc")[0]
    assert (disc.x > SIZE / 2) == (BUILTIN[name].eye == "R")


def test_lesions_differ_from_the_retina_around_them() -> None:
    """Haemorrhages are darker and redder, exudates and cotton-wool spots brighter, and
    dust on the lens darker without turning red (the clue that it is not blood)."""
    checked = 0
    for name, params in BUILTIN.items():
        if params.haze or params.dark:
            continue
        pixels = _built(name).pixels
        for feature in _built(name).features:
            if feature.kind not in ("ma", "dot_blot", "exudate", "cws", "dust"):
                continue
            core, ring = _core_and_ring(pixels, feature)
            green_to_red = (core[1] / max(core[0], 1.0)) / (ring[1] / ring[0])
            if feature.kind in ("ma", "dot_blot"):
                assert ring[0] - core[0] > 20, (name, feature)
                assert green_to_red < 0.75, (name, feature)
            elif feature.kind == "dust":
                assert ring.mean() - core.mean() > 12, (name, feature)
                assert green_to_red > 0.9, (name, feature)
            else:
                assert core[1] - ring[1] > 40, (name, feature)
            checked += 1
    assert checked > 200


# --- what each case says is there -----------------------------------------------------


def test_no_dr_and_glaucoma_differ_in_the_cup_only() -> None:
    for name in ("fun-nodr-001.jpg", "fun-glaucoma-009.jpg"):
        kinds = {f.kind for f in _built(name).features}
        assert kinds == {"disc", "cup"}, name
    ratio = {n: _built(n).of("cup")[0].r / _built(n).of("disc")[0].r for n in BUILTIN}
    assert ratio["fun-glaucoma-009.jpg"] >= 0.75
    assert max(r for n, r in ratio.items() if n != "fun-glaucoma-009.jpg") <= 0.4


def test_mild_cases_have_microaneurysms_only() -> None:
    for name in ("fun-mild-002.jpg", "fun-nve-010.jpg", "fun-vision-011.jpg"):
        lesions = {f.kind for f in _built(name).features} - {"disc", "cup", "nve"}
        assert lesions == {"ma"}, name
    # The over-confident case: every microaneurysm within one disc diameter of the fovea.
    for feature in _built("fun-vision-011.jpg").of("ma"):
        assert math.dist((feature.x, feature.y), FOVEA) < DD


def test_ungradable_pictures_lose_light_or_detail() -> None:
    normal = _built("fun-nodr-001.jpg").pixels
    assert _field_mean(_built("fun-ungradable-006.jpg").pixels) < 0.5 * _field_mean(normal)
    assert _detail(_built("fun-cataract-008.jpg").pixels) < 0.5 * _detail(normal)
    # The cataract hides moderate NPDR: the haemorrhages are drawn, then veiled.
    assert len(_built("fun-cataract-008.jpg").of("dot_blot")) >= 8


def test_severe_case_meets_the_4_2_1_rule() -> None:
    params = BUILTIN["fun-severe-013.jpg"]
    counts = dict.fromkeys(fundus.QUADRANTS, 0)
    for feature in _built("fun-severe-013.jpg").of("dot_blot"):
        counts[quadrant_of(*_unmirrored(feature, params.eye))] += 1
    assert min(counts.values()) > 20, counts
    assert len(params.beading) >= 2
    assert not params.nvd and params.nve is None


def test_maculopathy_ring_lies_within_one_disc_diameter_of_the_fovea() -> None:
    ring = _built("fun-dme-005.jpg").of("circinate")[0]
    assert math.dist((ring.x, ring.y), FOVEA) - ring.r < 0.5 * DD
    exudates = _built("fun-moderate-003.jpg").of("exudate")
    assert exudates and all(math.dist((f.x, f.y), FOVEA) > DD for f in exudates)


def test_proliferative_cases_have_new_vessels_where_the_features_say() -> None:
    assert _built("fun-pdr-004.jpg").of("nvd") and _built("fun-pdr-004.jpg").of("preretinal")
    # Drawing the same eye with and without the new vessels (no sensor noise, so nothing
    # else differs) changes the pixels inside their circle and nowhere far from it.
    quiet = dataclasses.replace(BUILTIN["fun-nve-010.jpg"], grain=0.0)
    with_nve = generate(quiet)
    without = generate(dataclasses.replace(quiet, nve=None))
    nve = with_nve.of("nve")[0]
    diff = np.abs(with_nve.pixels.astype(int) - without.pixels.astype(int)).sum(axis=2)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    d = np.hypot(xx - nve.x, yy - nve.y)
    assert diff[d < nve.r].mean() > 10
    assert diff[d > 1.5 * nve.r].max() == 0


def test_laser_scars_spare_the_posterior_pole() -> None:
    scars = _built("fun-laser-007.jpg").of("laser_scar")
    assert len(scars) > 150
    assert min(math.dist((s.x, s.y), FOVEA) for s in scars) > 2.5 * DD
    assert min(math.dist((s.x, s.y), DISC) for s in scars) > DD


def test_artefact_case_has_dust_and_no_retinopathy() -> None:
    kinds = [f.kind for f in _built("fun-artefact-012.jpg").features]
    assert sorted(set(kinds)) == ["cup", "disc", "dust"] and kinds.count("dust") == 4


def test_pack_boxes_lie_on_drawn_findings() -> None:
    """Every AI box covers something the generator drew; the silent miss stays unboxed."""
    pack = load_pack(PACK)
    assert pack.valid, [str(p) for p in pack.errors]
    assert len(pack.cases) == 13
    for case in pack.cases:
        output = case.ai_output
        assert isinstance(output, ImageOutput)
        name = Path(output.image).name
        drawn = [f for f in _built(name).features if f.kind in LESIONS_DRAWN]
        for box in output.boxes:
            inside = [
                f
                for f in drawn
                if box.x - 2 <= f.x <= box.x + box.w + 2 and box.y - 2 <= f.y <= box.y + box.h + 2
            ]
            assert inside, (case.id, box)
            if case.id == "fun-artefact-012":
                assert {f.kind for f in inside} == {"dust"}
    nve = _built("fun-nve-010.jpg").of("nve")[0]
    missed = next(c.ai_output for c in pack.cases if c.id == "fun-nve-010")
    assert isinstance(missed, ImageOutput)
    for box in missed.boxes:
        assert not (box.x <= nve.x <= box.x + box.w and box.y <= nve.y <= box.y + box.h)
