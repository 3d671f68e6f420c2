"""The synthetic chest X-ray generator: determinism, committed bytes, the simulated label,
and that each film shows its finding where the case says it is."""

from __future__ import annotations

import dataclasses
import io
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from case_bank.generators import chest
from case_bank.generators.chest import BUILTIN, SIZE, ChestParams, findings, render
from case_bank.models import ImageOutput
from case_bank.pack import load_pack

PACK = chest.PACK_ASSETS.parent
Pixels = npt.NDArray[np.float64]


@cache
def _film(name: str) -> Pixels:
    """A committed film as floats (its bytes are checked against the generator below)."""
    with Image.open(chest.PACK_ASSETS / name) as image:
        return np.asarray(image, dtype=np.float64)


def _box(name: str, key: str) -> tuple[int, int, int, int]:
    box = findings(BUILTIN[name])[key]
    assert isinstance(box, tuple)
    return box


def _mean(pixels: Pixels, box: tuple[int, int, int, int]) -> float:
    x, y, w, h = box
    return float(pixels[y : y + h, x : x + w].mean())


def _mirror(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The same box on the other side of the midline."""
    x, y, w, h = box
    return (SIZE - x - w, y, w, h)


def _disc_contrast(pixels: Pixels, x: float, y: float, r: float) -> float:
    """Mean inside a disc minus the mean of a ring of lung around it."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    d = np.hypot(xx - x, yy - y)
    return float(pixels[d <= 0.6 * r].mean() - pixels[(d >= 1.8 * r) & (d <= 2.8 * r)].mean())


# --- determinism and the committed files ----------------------------------------------


def test_same_params_give_identical_bytes() -> None:
    params = BUILTIN["cxr-tb-003.png"]
    assert chest.film_png(params) == chest.film_png(params)


def test_different_seeds_differ() -> None:
    a = render(dataclasses.replace(ChestParams(seed=1), label=False))
    b = render(dataclasses.replace(ChestParams(seed=2), label=False))
    assert a.shape == b.shape == (SIZE, SIZE)
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", sorted(chest.builtin_assets()), ids=lambda p: p.name if isinstance(p, Path) else p
)
def test_committed_asset_equals_regenerated_bytes(path: Path) -> None:
    assert path.is_file(), f"{path} is missing: run python -m case_bank.generators chest"
    assert path.read_bytes() == chest.builtin_assets()[path](), f"{path} is stale"


def test_assets_are_small_greyscale_pngs_without_metadata() -> None:
    for path in chest.builtin_assets():
        assert path.stat().st_size <= 330_000, path
        with Image.open(path) as image:
            assert image.format == "PNG" and image.mode == "L", path
            assert image.info == {}, path  # no text chunks, dates or resolution
        if path.parent == chest.PACK_ASSETS:
            assert Image.open(path).size == (SIZE, SIZE)


def test_every_pack_asset_is_made_here_and_used_by_a_case() -> None:
    pack = load_pack(PACK)
    assert pack.valid, [str(p) for p in pack.problems]
    used = {Path(case.ai_output.image).name for case in pack.cases}  # type: ignore[union-attr]
    assert used == set(BUILTIN) == {p.name for p in (PACK / "assets").glob("*")}


# --- visibly simulated ---------------------------------------------------------------


def test_every_image_carries_the_simulated_label() -> None:
    label = chest.text_bitmap("SIMULATED 模拟")
    h, w = label.shape
    for path in chest.builtin_assets():
        with Image.open(path) as image:
            pixels = np.asarray(image)
        found = False
        # The label sits near the bottom-right corner, white on a black box.
        for dy in range(0, 40):
            for dx in range(0, 40):
                y0, x0 = pixels.shape[0] - h - dy, pixels.shape[1] - w - dx
                region = pixels[y0 : y0 + h, x0 : x0 + w]
                if (region[label] == 255).all() and (region[~label] == 0).all():
                    found = True
                    break
            if found:
                break
        assert found, f"{path.name} has no SIMULATED label"


def test_films_carry_a_side_marker() -> None:
    r = chest.text_bitmap("R", scale=2)
    pixels = _film("cxr-nodule-001.png")
    region = pixels[22 : 22 + r.shape[0], 22 : 22 + r.shape[1]]
    assert (region[r] == 255).all()


# --- the findings are where the cases say --------------------------------------------


def test_nodule_is_a_bright_round_opacity() -> None:
    x, y, w, _h = _box("cxr-nodule-001.png", "nodule0")
    assert _disc_contrast(_film("cxr-nodule-001.png"), x + w / 2, y + w / 2, w / 2) > 25


def test_calcified_nodule_is_small_and_denser_than_anything_near_it() -> None:
    pixels = _film("cxr-nodule-012.png")
    x, y, w, _h = _box("cxr-nodule-012.png", "nodule0")
    cx, cy = round(x + w / 2), round(y + w / 2)
    window = pixels[cy - 60 : cy + 60, cx - 60 : cx + 60]
    assert pixels[cy, cx] >= np.percentile(window, 99.5)
    assert _disc_contrast(pixels, cx, cy, w / 2) > 40


def test_nipple_shadows_are_symmetric_and_both_visible() -> None:
    pixels = _film("cxr-nodule-002.png")
    contrasts = [
        _disc_contrast(pixels, x + d / 2, y + d / 2, d / 2)
        for x, y, d, _d in (
            _box("cxr-nodule-002.png", "nipple_right"),
            _box("cxr-nodule-002.png", "nipple_left"),
        )
    ]
    assert min(contrasts) > 6
    assert abs(contrasts[0] - contrasts[1]) < 0.5 * max(contrasts)


def test_tb_lesion_in_the_upper_zone_with_a_cavity() -> None:
    name = "cxr-tb-003.png"
    pixels = _film(name)
    lesion = _box(name, "tb")
    assert _mean(pixels, lesion) > _mean(pixels, _mirror(lesion)) + 8
    x, y, w, _h = _box(name, "cavity")
    cx, cy, r = x + w / 2, y + w / 2, w / 2
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    d = np.hypot(xx - cx, yy - cy)
    lumen = pixels[d <= 0.35 * r].mean()
    wall = pixels[(d >= 0.7 * r) & (d <= 0.95 * r)].mean()
    assert wall > lumen + 15


def test_subtle_apical_tb_is_there_but_small() -> None:
    name = "cxr-tb-004.png"
    pixels = _film(name)
    lesion = _box(name, "tb")
    difference = _mean(pixels, lesion) - _mean(pixels, _mirror(lesion))
    assert 8 < difference < 45
    obvious = _box("cxr-tb-003.png", "tb")
    assert lesion[2] * lesion[3] < 0.5 * obvious[2] * obvious[3]
    assert lesion[1] < 200  # at the apex, up by the clavicle and first rib


def test_normal_screening_film_is_symmetric() -> None:
    pixels = _film("cxr-tb-005.png")
    for box in ((180, 200, 200, 150), (170, 420, 200, 200)):
        assert abs(_mean(pixels, box) - _mean(pixels, _mirror(box))) < 10


def test_right_upper_lobe_consolidation_stops_at_the_fissure() -> None:
    name = "cxr-pneumonia-006.png"
    pixels = _film(name)
    x, y, w, h = _box(name, "consolidation")
    inside = (x + 40, y + h - 120, w - 120, 90)
    below = (x + 40, y + h + 25, w - 120, 60)
    assert _mean(pixels, inside) > _mean(pixels, _mirror(inside)) + 40
    assert _mean(pixels, inside) > _mean(pixels, below) + 40


def test_effusion_is_dense_with_a_meniscus() -> None:
    name = "cxr-effusion-007.png"
    pixels = _film(name)
    x, y, w, h = _box(name, "effusion_right")
    base = (x + 20, y + h // 2 - 20, w - 70, 50)
    assert _mean(pixels, base) > _mean(pixels, _mirror(base)) + 40
    # The fluid climbs the chest wall: its top is higher laterally than medially.
    lateral = pixels[y - 20 :, x + 60]
    medial = pixels[y - 20 :, x + w - 40]
    lateral_top = int(np.argmax(lateral > 170))
    medial_top = int(np.argmax(medial > 170))
    assert lateral_top < medial_top - 25


def test_enlarged_heart_and_blunted_angles() -> None:
    assert findings(BUILTIN["cxr-cardio-008.png"])["ctr"] > 0.58  # type: ignore[operator]
    for name in ("cxr-nodule-001.png", "cxr-tb-005.png", "cxr-ptx-009.png"):
        assert findings(BUILTIN[name])["ctr"] < 0.5  # type: ignore[operator]
    assert _box("cxr-cardio-008.png", "effusion_right")[3] > 30


def test_pneumothorax_shows_a_pleural_line_and_a_dark_rim() -> None:
    name = "cxr-ptx-009.png"
    pixels = _film(name)
    # Between the chest wall and the lung edge the upper zone is darker than the other side.
    strip = (800, 250, 40, 120)
    assert _mean(pixels, strip) < _mean(pixels, _mirror(strip)) - 5
    for y in (300, 340, 380, 420):
        row = pixels[y - 1 : y + 2, 650:890].mean(axis=0)
        ridge = row[1:-1] - 0.5 * (row[:-2] + row[2:])
        found = 650 + 1 + int(np.argmax(ridge))
        expected = chest.pleural_line_x(BUILTIN[name], y)
        assert abs(found - expected) <= 3, (y, found, expected)
        i = found - 650
        assert row[i] > 0.5 * (row[i - 6] + row[i + 6]) + 30


def test_poor_film_is_too_white_and_loses_the_bases() -> None:
    good, poor = _film("cxr-tb-005.png"), _film("cxr-quality-010.png")
    lung = (180, 420, 180, 200)
    assert _mean(poor, lung) > _mean(good, lung) + 30
    p = BUILTIN["cxr-quality-010.png"]
    g = chest.geometry(p)
    assert g.dome["right"][2] + p.quality.shift_down > SIZE  # the angle is off the film
    assert g.spine_x - g.clav_x > 20  # rotated


def test_child_film_shows_right_lower_consolidation() -> None:
    name = "cxr-child-011.png"
    pixels = _film(name)
    x, y, w, h = _box(name, "consolidation")
    zone = (x + 30, y + h // 2, w - 90, h // 3)
    assert _mean(pixels, zone) > _mean(pixels, _mirror(zone)) + 25
    assert BUILTIN[name].child


def test_rib_fracture_breaks_the_rib_at_the_marked_place() -> None:
    params = BUILTIN["cxr-fracture-013.png"]
    intact = dataclasses.replace(params, fractures=())
    a = render(params).astype(int)
    b = render(intact).astype(int)
    changed = np.abs(a - b) > 8
    x, y, w, h = _box("cxr-fracture-013.png", "fracture_left_7")
    assert changed[y : y + h, x : x + w].sum() > 50
    # The medial half of the same rib is untouched.
    mx, my = chest.rib_point(params, "left", 7, 0.4)
    assert not changed[round(my) - 15 : round(my) + 15, round(mx) - 15 : round(mx) + 15].any()


# --- the cases and the films agree ------------------------------------------------------


def _inside(outer: tuple[float, float, float, float], point: tuple[float, float]) -> bool:
    x, y, w, h = outer
    return x <= point[0] <= x + w and y <= point[1] <= y + h


@pytest.mark.parametrize(
    ("case_id", "key"),
    [
        ("cxr-nodule-001", "nodule0"),
        ("cxr-nodule-002", "nipple_left"),
        ("cxr-tb-003", "cavity"),
        ("cxr-pneumonia-006", "consolidation"),
        ("cxr-effusion-007", "effusion_right"),
        ("cxr-nodule-012", "nodule0"),
        ("cxr-fracture-013", "fracture_left_7"),
    ],
)
def test_the_case_box_marks_the_drawn_finding(case_id: str, key: str) -> None:
    case = next(c for c in load_pack(PACK).cases if c.id == case_id)
    output = case.ai_output
    assert isinstance(output, ImageOutput)
    x, y, w, h = _box(f"{case_id}.png", key)
    centre = (x + w / 2, y + h / 2)
    assert any(_inside((b.x, b.y, b.w, b.h), centre) for b in output.boxes)


def test_png_bytes_are_plain_greyscale() -> None:
    pixels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    data = chest.png_bytes(pixels)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "L"
        assert (np.asarray(image) == pixels).all()
    assert data == chest.png_bytes(pixels)
