"""Seeded synthetic colour fundus photographs (numpy and Pillow only).

Each picture is built in layers, in the order light meets them in a real eye: an
orange-red choroidal background with the darker macula and fovea, the optic disc with its
cup, lesions deep in the retina (microaneurysms, dot-blot haemorrhages, hard exudates,
drusen, laser scars), the vessel tree (veins wider and darker than arteries, arteries with
a light reflex), then superficial lesions (flame haemorrhages, cotton-wool spots, new
vessels, preretinal blood). Illumination (vignetting) and faults of the photograph
(cataract haze, blur, a small pupil, eyelashes, dust on the lens) come last, then the
black surround of the circular field and a "SIMULATED / 模拟图像" mark drawn from bitmaps
kept in this file, so no font is needed and the bytes do not depend on the machine's fonts.

Coordinates are image pixels (x right, y down) of a 768 × 768 picture. A right eye has
its disc on the right of the picture and the macula on the left; a left eye is drawn as a
right eye and mirrored. Everything is deterministic for a given seed::

    python -m case_bank.generators.fundus              # rewrite the built-in assets
    python -m case_bank.generators.fundus --features   # print lesion positions for case YAML
"""

from __future__ import annotations

import argparse
import base64
import io
import math
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

FloatArray = npt.NDArray[np.float64]

ROOT = Path(__file__).resolve().parents[2]
PACK_ASSETS = ROOT / "case_bank" / "packs" / "fundus-screening" / "assets"
LESSONS = ROOT / "courses" / "modules" / "fundus-ai" / "lessons"

SIZE = 768
DD = 92.0  # one disc diameter, in pixels
CENTRE = SIZE / 2.0
FIELD_RADIUS = 0.47 * SIZE
# Right eye, drawn unmirrored: disc to the right of centre, fovea to the left and a little lower.
DISC = (CENTRE + 1.35 * DD, CENTRE - 0.12 * DD)
FOVEA = (CENTRE - 1.15 * DD, CENTRE + 0.18 * DD)
# The quadrants (superotemporal, inferotemporal, superonasal, inferonasal) meet here.
QUADRANT_ORIGIN = ((DISC[0] + FOVEA[0]) / 2.0, (DISC[1] + FOVEA[1]) / 2.0)
QUADRANTS = ("st", "it", "sn", "in")

# Flat (unlit) colours, RGB 0-255.
BACKGROUND = (214.0, 98.0, 46.0)
DISC_RIM = (236.0, 150.0, 98.0)
DISC_CUP = (248.0, 222.0, 180.0)
VEIN = (112.0, 20.0, 26.0)
VEIN_CORE = (88.0, 10.0, 18.0)
ARTERY = (166.0, 36.0, 30.0)
ARTERY_REFLEX = (226.0, 140.0, 112.0)
HAEM_DEEP = (112.0, 12.0, 16.0)
HAEM_FLAME = (138.0, 18.0, 18.0)
PRERETINAL = (120.0, 8.0, 10.0)
EXUDATE = (255.0, 236.0, 110.0)
COTTON_WOOL = (240.0, 226.0, 206.0)
DRUSEN = (232.0, 196.0, 128.0)
PIGMENT = (62.0, 30.0, 18.0)
SCAR = (222.0, 196.0, 150.0)
NEW_VESSEL = (168.0, 26.0, 28.0)
OEDEMA = (236.0, 170.0, 140.0)
ATROPHY = (214.0, 182.0, 140.0)


# --- parameters -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lesions:
    """``count`` lesions of one ``kind`` scattered over ``region``.

    Kinds: ``ma`` (microaneurysm), ``dot_blot``, ``flame``, ``exudate``, ``cws``
    (cotton-wool spot), ``drusen``, ``pigment``, ``dust`` (a spot on the camera lens).
    Regions: ``posterior`` (weighted to the macula and arcades), ``macula`` (within one
    disc diameter of the fovea), ``perifovea``, ``arcade`` (1.6-2.8 disc diameters from
    the fovea), ``field`` (anywhere), ``four`` (shared evenly between the four
    quadrants), a quadrant (``st``, ``it``, ``sn``, ``in``), ``peripapillary``.
    """

    kind: str
    count: int
    region: str = "posterior"


@dataclass(frozen=True)
class FundusParams:
    """What one photograph shows. Distances in disc diameters (DD) where not pixels."""

    seed: int = 0
    eye: str = "R"
    cdr: float = 0.35  # vertical cup-to-disc ratio
    rim_notch: bool = False  # glaucoma: inferior rim thinned, temporal peripapillary atrophy
    lesions: tuple[Lesions, ...] = ()
    # A ring of hard exudates centred (dx temporal, dy down) disc diameters from the fovea.
    circinate: tuple[float, float] | None = None
    beading: tuple[str, ...] = ()  # quadrants whose veins are beaded
    nvd: bool = False  # new vessels on the disc
    nve: str | None = None  # quadrant with new vessels elsewhere (on its arcade vein)
    preretinal: str | None = None  # quadrant with a boat-shaped preretinal haemorrhage
    prp: bool = False  # scars of panretinal laser photocoagulation
    rvo: str | None = None  # quadrant of a branch retinal vein occlusion
    papilloedema: bool = False
    foveal_reflex: bool = True
    haze: float = 0.0  # cataract, 0-1
    blur: float = 0.0  # defocus, gaussian sigma in pixels
    dark: float = 0.0  # small pupil / underexposure, 0-1
    eyelash: bool = False
    grain: float = 1.6  # sensor noise, standard deviation in grey levels
    watermark: bool = True


@dataclass(frozen=True)
class Feature:
    """Where a drawn finding lies in the final picture (pixels), for boxes and tests."""

    kind: str
    x: float
    y: float
    r: float


@dataclass
class Fundus:
    pixels: npt.NDArray[np.uint8]  # [row, col, 3]
    features: list[Feature]

    def of(self, kind: str) -> list[Feature]:
        return [f for f in self.features if f.kind == kind]


@dataclass
class _Vessel:
    kind: str  # "artery" or "vein"
    points: FloatArray  # [n, 2]
    widths: FloatArray  # [n]


@dataclass
class _Canvas:
    """The flat picture being built, with what has been drawn so far."""

    params: FundusParams
    rng: np.random.Generator
    img: FloatArray
    vessels: list[_Vessel] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # each vessel's quadrant
    features: list[Feature] = field(default_factory=list)
    vessel_mask: FloatArray | None = None


# --- geometry helpers -----------------------------------------------------------------


def _grid() -> tuple[FloatArray, FloatArray]:
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    return xx, yy


def _dist(x: float, y: float, point: tuple[float, float]) -> float:
    return math.hypot(x - point[0], y - point[1])


def quadrant_of(x: float, y: float) -> str:
    """The quadrant of an unmirrored (right-eye) point: temporal is to the left."""
    upper = y < QUADRANT_ORIGIN[1]
    temporal = x < QUADRANT_ORIGIN[0]
    return ("s" if upper else "i") + ("t" if temporal else "n")


def _inside_field(x: float, y: float, margin: float = 0.0) -> bool:
    return math.hypot(x - CENTRE, y - CENTRE) < FIELD_RADIUS - margin


def _local(x: float, y: float, reach: float) -> tuple[tuple[slice, slice], FloatArray, FloatArray]:
    """Slices of a square around (x, y) and the offsets of its pixels from (x, y)."""
    x0, x1 = max(int(x - reach), 0), min(int(x + reach) + 2, SIZE)
    y0, y1 = max(int(y - reach), 0), min(int(y + reach) + 2, SIZE)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    return (slice(y0, y1), slice(x0, x1)), xx - x, yy - y


def _stamp_ellipse(
    layer: FloatArray,
    x: float,
    y: float,
    a: float,
    b: float,
    angle: float = 0.0,
    edge: float = 0.8,
    amp: float = 1.0,
) -> None:
    """Add a filled ellipse (semi-axes a, b; soft edge in pixels) to ``layer`` (max-blend)."""
    where, dx, dy = _local(x, y, max(a, b) + 3 * edge + 2)
    c, s = math.cos(angle), math.sin(angle)
    u, v = dx * c + dy * s, -dx * s + dy * c
    d = np.sqrt((u / a) ** 2 + (v / b) ** 2)
    m = np.clip((1.0 - d) * min(a, b) / edge + 0.5, 0.0, 1.0) * amp
    layer[where] = np.maximum(layer[where], m)


def _stamp_gauss(layer: FloatArray, x: float, y: float, sigma: float, amp: float = 1.0) -> None:
    where, dx, dy = _local(x, y, 3.5 * sigma + 1)
    m = amp * np.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))
    layer[where] = np.maximum(layer[where], m)


def _paint(
    img: FloatArray, mask: FloatArray, colour: Iterable[float], opacity: float = 1.0
) -> None:
    """Cover ``img`` with ``colour`` where ``mask`` (0-1) says, in place."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return
    where = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    m = np.clip(mask[where] * opacity, 0.0, 1.0)[..., None]
    img[where] *= 1.0 - m
    img[where] += m * np.asarray(tuple(colour), dtype=np.float64)


def _smooth_noise(rng: np.random.Generator, cells: int, blur: float = 0.0) -> FloatArray:
    """Low-frequency noise in about [-1, 1] over the picture."""
    coarse = rng.standard_normal((cells, cells))
    lo, hi = coarse.min(), coarse.max()
    image = Image.fromarray(((coarse - lo) / (hi - lo) * 255).astype(np.uint8), "L")
    image = image.resize((SIZE, SIZE), Image.Resampling.BICUBIC)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(image, dtype=np.float64) / 127.5 - 1.0


def _blur_rgb(img: FloatArray, sigma: float) -> FloatArray:
    image = Image.fromarray(np.clip(img, 0, 255).round().astype(np.uint8), "RGB")
    return np.asarray(image.filter(ImageFilter.GaussianBlur(sigma)), dtype=np.float64)


# --- curves ---------------------------------------------------------------------------


def _catmull_rom(points: list[tuple[float, float]], step: float = 2.0) -> FloatArray:
    """A smooth curve through ``points``, sampled about every ``step`` pixels."""
    pts = np.asarray(points, dtype=np.float64)
    padded = np.vstack([2 * pts[0] - pts[1], pts, 2 * pts[-1] - pts[-2]])
    out = [pts[0]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        n = max(2, int(np.linalg.norm(p2 - p1) / step))
        for t in np.linspace(0, 1, n + 1)[1:]:
            t2, t3 = t * t, t * t * t
            out.append(
                0.5
                * (
                    2 * p1
                    + (-p0 + p2) * t
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                    + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
                )
            )
    return np.asarray(out)


def _wobble(curve: FloatArray, rng: np.random.Generator, amplitude: float) -> FloatArray:
    """Displace a curve sideways by a smooth random amount (pixels), fixed at its start."""
    if len(curve) < 3 or amplitude <= 0:
        return curve
    d = np.gradient(curve, axis=0)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-9
    s = np.arange(len(curve), dtype=np.float64)
    offset = np.zeros(len(curve))
    for period in (60.0, 27.0, 13.0):
        phase = rng.uniform(0, 2 * math.pi)
        offset += rng.uniform(0.4, 1.0) * np.sin(2 * math.pi * s / period + phase) * period / 60
    offset *= amplitude * np.clip(s / 25.0, 0, 1)
    return curve + normal * offset[:, None]


def _dd(
    offsets: list[tuple[float, float]], origin: tuple[float, float]
) -> list[tuple[float, float]]:
    return [(origin[0] + dx * DD, origin[1] + dy * DD) for dx, dy in offsets]


# --- the vessel tree ------------------------------------------------------------------

# Trunks leaving the disc: (tag, kind, control points in DD from the fovea, start and end
# width in pixels). Superior trunks; the inferior ones are these mirrored about the
# disc-fovea line, with tags "it" and "in".
_TRUNKS: tuple[tuple[str, str, tuple[tuple[float, float], ...], float, float], ...] = (
    (
        "st",
        "vein",
        (
            (2.47, -0.36),
            (2.3, -1.2),
            (1.75, -1.9),
            (0.9, -2.3),
            (-0.2, -2.45),
            (-1.4, -2.5),
            (-2.6, -2.65),
            (-3.7, -2.95),
        ),
        8.6,
        3.4,
    ),
    (
        "st",
        "artery",
        (
            (2.52, -0.38),
            (2.47, -1.25),
            (1.98, -1.98),
            (1.1, -2.5),
            (0.0, -2.62),
            (-1.2, -2.38),
            (-2.4, -2.5),
            (-3.7, -2.65),
        ),
        6.0,
        2.4,
    ),
    (
        "sn",
        "vein",
        ((2.53, -0.36), (2.85, -1.1), (3.35, -1.9), (3.9, -2.8), (4.5, -3.8)),
        6.4,
        2.8,
    ),
    (
        "sn",
        "artery",
        ((2.55, -0.38), (3.05, -1.05), (3.65, -1.8), (4.3, -2.6), (5.0, -3.3)),
        4.6,
        2.0,
    ),
    (
        "sn",
        "vein",
        ((2.58, -0.3), (3.4, -0.2), (4.2, -0.05), (5.2, 0.1)),
        4.0,
        2.0,
    ),
    (
        "sn",
        "artery",
        ((2.58, -0.34), (3.5, -0.5), (4.4, -0.62), (5.3, -0.7)),
        3.2,
        1.6,
    ),
    (
        "st",
        "vein",
        ((2.42, -0.3), (1.75, -0.42), (1.15, -0.5)),
        3.0,
        1.6,
    ),
    (
        "st",
        "artery",
        ((2.42, -0.34), (1.65, -0.65), (1.05, -0.78)),
        2.6,
        1.4,
    ),
)


def _mirror(x: float, y: float) -> tuple[float, float]:
    """Reflect a point (DD from the fovea) across the line from the fovea to the disc."""
    ux, uy = (DISC[0] - FOVEA[0]) / DD, (DISC[1] - FOVEA[1]) / DD
    norm = math.hypot(ux, uy)
    ux, uy = ux / norm, uy / norm
    along = x * ux + y * uy
    return 2 * along * ux - x, 2 * along * uy - y


def _trunk_specs(
    rng: np.random.Generator,
) -> list[tuple[str, str, list[tuple[float, float]], float, float]]:
    specs = []
    for tag, kind, points, w0, w1 in _TRUNKS:
        for inferior in (False, True):
            jitter = [(0.0, 0.0)] + [
                (float(rng.normal(0, 0.08)), float(rng.normal(0, 0.1))) for _ in points[1:]
            ]
            pts = [
                (mx + jx, my + jy)
                for (mx, my), (jx, jy) in zip(
                    (_mirror(x, y) if inferior else (x, y) for x, y in points), jitter, strict=True
                )
            ]
            name = ("i" if inferior else "s") + tag[1]
            specs.append((name, kind, pts, w0, w1))
    return specs


def _angle_wrap(a: float) -> float:
    return (a + math.pi) % (2 * math.pi) - math.pi


def _walk(
    rng: np.random.Generator,
    start: FloatArray,
    heading: float,
    width: float,
    length: float,
    toward_fovea: bool,
    step: float = 2.0,
) -> tuple[FloatArray, FloatArray]:
    """A branch: a random walk steered outwards (or to the fovea), avoiding the fovea."""
    pts = [start.copy()]
    n = max(2, int(length / step))
    turn = 0.0
    h = heading
    for _ in range(n):
        p = pts[-1]
        to_fovea = math.atan2(FOVEA[1] - p[1], FOVEA[0] - p[0])
        if toward_fovea:
            desired = to_fovea
        else:
            desired = math.atan2(p[1] - QUADRANT_ORIGIN[1], p[0] - QUADRANT_ORIGIN[0])
        d_fovea = _dist(p[0], p[1], FOVEA)
        if d_fovea < 0.55 * DD:
            break
        if not toward_fovea and d_fovea < 1.3 * DD:
            desired = to_fovea + math.pi
        turn = 0.85 * turn + float(rng.normal(0, 0.03))
        h += 0.05 * _angle_wrap(desired - h) + turn
        q = p + step * np.array([math.cos(h), math.sin(h)])
        if not _inside_field(q[0], q[1], -12):
            break
        pts.append(q)
    points = np.asarray(pts)
    widths = width * (1.0 - 0.45 * np.arange(len(points)) / n)
    return points, widths


def _grow(
    canvas: _Canvas,
    kind: str,
    tag: str,
    points: FloatArray,
    widths: FloatArray,
    depth: int,
    tags: list[str],
    toward_fovea: bool = False,
) -> None:
    """Add a vessel and, along it, its branches (each parent narrows after a branch)."""
    rng = canvas.rng
    widths = widths.copy()
    step = 2.0
    spacing = (0.4, 0.8)
    first = rng.uniform(0.7, 1.1) if depth == 0 else rng.uniform(*spacing)
    i = int(first * DD / step)
    side = 1.0 if rng.random() < 0.5 else -1.0
    children = []
    while i < len(points) - 8 and depth < 3:
        w = widths[i]
        if w < 2.0:
            break
        d = points[min(i + 2, len(points) - 1)] - points[max(i - 2, 0)]
        heading = math.atan2(d[1], d[0])
        # Temporal arcades send small branches inwards to the macula now and then.
        to_fovea = math.atan2(FOVEA[1] - points[i][1], FOVEA[0] - points[i][0])
        inner_side = 1.0 if _angle_wrap(to_fovea - heading) > 0 else -1.0
        temporal = tag in ("st", "it") and points[i][0] < DISC[0] - 0.6 * DD
        inward = toward_fovea or (temporal and depth == 0 and rng.random() < 0.6)
        side = inner_side if inward else (-side if rng.random() < 0.7 else side)
        if temporal and depth == 0 and not inward:
            side = -inner_side
        child_w = max(w * rng.uniform(0.5, 0.72), 1.5)
        child_heading = heading + side * math.radians(rng.uniform(28, 55))
        child_len = (child_w / 2.0) * rng.uniform(0.9, 1.4) * DD
        if inward:
            reach = _dist(points[i][0], points[i][1], FOVEA) - rng.uniform(0.55, 0.9) * DD
            child_len = max(reach, 0.3 * DD)
        children.append((points[i].copy(), child_heading, child_w, child_len, inward))
        widths[i:] *= 0.94 if depth == 0 else 0.9
        i += int(rng.uniform(*spacing) * DD / step)
    canvas.vessels.append(_Vessel(kind, points, widths))
    tags.append(tag)
    for start, heading, w, length, inward in children:
        pts, ws = _walk(rng, start, heading, w, length, inward)
        if len(pts) > 4:
            _grow(canvas, kind, tag, pts, ws, depth + 1, tags, inward)


def _build_vessels(canvas: _Canvas) -> list[str]:
    """Every vessel of the tree; returns each vessel's quadrant tag."""
    tags: list[str] = []
    for tag, kind, pts, w0, w1 in _trunk_specs(canvas.rng):
        curve = _catmull_rom(_dd(pts, FOVEA))
        curve = _wobble(curve, canvas.rng, 2.2 if kind == "vein" else 1.4)
        keep = [i for i, (x, y) in enumerate(curve) if _inside_field(x, y, -12)]
        curve = curve[: keep[-1] + 1] if keep else curve[:2]
        widths = np.linspace(w0, w1, len(curve))
        _grow(canvas, kind, tag, curve, widths, 0, tags)
    return tags


def _modify_veins(canvas: _Canvas, tags: list[str]) -> None:
    """Venous beading, a branch vein occlusion, or the full veins of papilloedema."""
    p = canvas.params
    for vessel, tag in zip(canvas.vessels, tags, strict=True):
        if vessel.kind != "vein":
            continue
        pts, ws = vessel.points, vessel.widths
        d_disc = np.hypot(pts[:, 0] - DISC[0], pts[:, 1] - DISC[1])
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        s = np.concatenate([[0.0], np.cumsum(seg)])
        if p.papilloedema:
            ws *= 1.25
        if tag in p.beading:
            phase = 2 * math.pi * s / 15.0 + 0.8 * np.sin(s / 23.0)
            beads = (0.5 + 0.5 * np.sin(phase)) ** 3
            grow = np.where((d_disc > 1.2 * DD) & (ws > 2.0), 0.95 * beads, 0.0)
            ws *= 1.0 + grow
        if p.rvo == tag:
            distal = np.clip((d_disc - 1.35 * DD) / (0.3 * DD), 0.0, 1.0)
            ws *= 1.0 + 0.5 * distal
            d = np.gradient(pts, axis=0)
            normal = np.stack([-d[:, 1], d[:, 0]], axis=1)
            normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-9
            bend = np.clip(ws / 5.0, 0.2, 1.0) * 3.0 * distal
            pts += normal * (bend * np.sin(2 * math.pi * s / 26.0))[:, None]
        vessel.widths = ws


def _render_vessels(canvas: _Canvas) -> dict[str, FloatArray]:
    """Anti-aliased masks (0-1) of veins, vein cores, arteries and artery reflexes."""
    scale = 3
    big = SIZE * scale
    layers = {name: Image.new("L", (big, big), 0) for name in ("vein", "core", "artery", "reflex")}
    draws = {name: ImageDraw.Draw(layer) for name, layer in layers.items()}

    def stroke(draw: ImageDraw.ImageDraw, pts: FloatArray, ws: FloatArray) -> None:
        for i in range(len(pts)):
            x, y = pts[i] * scale
            r = max(ws[i] * scale / 2.0, 0.6)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
            if i:
                x0, y0 = pts[i - 1] * scale
                draw.line((x0, y0, x, y), fill=255, width=max(1, round(2 * r)))

    for vessel in canvas.vessels:
        if vessel.kind == "vein":
            stroke(draws["vein"], vessel.points, vessel.widths)
            stroke(draws["core"], vessel.points, vessel.widths * 0.45)
        else:
            stroke(draws["artery"], vessel.points, vessel.widths)
            wide = vessel.widths > 3.0
            if wide.sum() > 2:
                stroke(draws["reflex"], vessel.points[wide], vessel.widths[wide] * 0.18)
    masks = {}
    for name, layer in layers.items():
        small = layer.resize((SIZE, SIZE), Image.Resampling.BOX)
        small = small.filter(ImageFilter.GaussianBlur(0.7))
        masks[name] = np.asarray(small, dtype=np.float64) / 255.0
    return masks


# --- background, macula and disc ------------------------------------------------------


def _background(canvas: _Canvas) -> None:
    rng = canvas.rng
    texture = 0.05 * _smooth_noise(rng, 10) + 0.025 * _smooth_noise(rng, 64, 1.0)
    canvas.img = np.empty((SIZE, SIZE, 3))
    for channel, value in enumerate(BACKGROUND):
        canvas.img[..., channel] = value * (1.0 + texture * (1.0 + 0.4 * channel))
    xx, yy = _grid()
    # The nerve fibre layer shines faintly in streaks above and below the disc.
    theta = np.arctan2(yy - DISC[1], xx - DISC[0])
    d_disc = np.hypot(xx - DISC[0], yy - DISC[1]) / DD
    streaks = 0.5 + 0.5 * np.sin(theta * 70.0 + 2.0 * _smooth_noise(rng, 12))
    sheen = streaks * np.exp(-((d_disc - 1.0) ** 2) / (2 * 0.7**2)) * np.abs(np.sin(theta)) ** 2
    canvas.img *= (1.0 + 0.025 * sheen)[..., None]
    d2 = ((xx - FOVEA[0]) ** 2 + (yy - FOVEA[1]) ** 2) / DD**2
    macula = np.exp(-d2 / (2 * 0.8**2))
    pit = np.exp(-d2 / (2 * 0.13**2))
    for channel, depth in enumerate((0.24, 0.36, 0.42)):
        canvas.img[..., channel] *= 1.0 - depth * macula - 0.12 * pit
    if canvas.params.foveal_reflex:
        layer = np.zeros((SIZE, SIZE))
        _stamp_gauss(layer, FOVEA[0] + 0.5, FOVEA[1] - 0.5, 1.4, 0.75)
        _paint(canvas.img, layer, (246.0, 222.0, 180.0))


def _disc(canvas: _Canvas, stage: str) -> None:
    """The disc before the vessels ("under") or the swelling over them ("over")."""
    p = canvas.params
    x, y = DISC
    rx, ry = 0.46 * DD, 0.52 * DD
    if p.papilloedema:
        if stage == "under":
            layer = np.zeros((SIZE, SIZE))
            _stamp_ellipse(layer, x, y, rx * 1.25, ry * 1.25, edge=9.0)
            _paint(canvas.img, layer, (234.0, 132.0, 98.0))
            centre = np.zeros((SIZE, SIZE))
            _stamp_ellipse(centre, x, y, rx * 0.5, ry * 0.5, edge=8.0, amp=0.5)
            _paint(canvas.img, centre, (244.0, 170.0, 130.0))
            return
        # Swollen nerve fibres blur the margin and cover the vessels crossing it.
        where, dx, dy = _local(x, y, 1.2 * DD)
        d = np.sqrt((dx / rx) ** 2 + (dy / ry) ** 2)
        theta = np.arctan2(dy, dx)
        striae = 0.75 + 0.25 * np.sin(theta * 38.0)
        halo = np.exp(-((d - 1.15) ** 2) / (2 * 0.28**2)) * striae * 0.62
        layer = np.zeros((SIZE, SIZE))
        layer[where] = halo
        _paint(canvas.img, layer, OEDEMA)
        canvas.features.append(Feature("papilloedema", x, y, 0.9 * DD))
        return
    if stage == "over":
        return
    layer = np.zeros((SIZE, SIZE))
    _stamp_ellipse(layer, x, y, rx, ry, edge=1.6)
    _paint(canvas.img, layer, DISC_RIM)
    # The temporal rim is normally a little paler than the nasal rim.
    pale = np.zeros((SIZE, SIZE))
    _stamp_gauss(pale, x - 0.2 * DD, y, 0.28 * DD, 0.35)
    _paint(canvas.img, pale * layer, (246.0, 192.0, 140.0))
    if p.rim_notch:
        atrophy = np.zeros((SIZE, SIZE))
        where, dx, dy = _local(x, y, 0.9 * DD)
        d = np.sqrt((dx / rx) ** 2 + (dy / ry) ** 2)
        temporal = np.clip(-dx / (0.5 * DD), 0, 1)
        atrophy[where] = np.clip((1.45 - d) / 0.08, 0, 1) * np.clip((d - 0.95) / 0.05, 0, 1)
        atrophy[where] *= temporal
        _paint(canvas.img, atrophy, ATROPHY, 0.9)
    cup = np.zeros((SIZE, SIZE))
    cx = x - 0.05 * DD
    if p.cdr > 0:
        sharp = 1.2 if p.rim_notch else 4.0
        _stamp_ellipse(cup, cx, y, p.cdr * rx * 0.92, p.cdr * ry, edge=sharp)
        if p.rim_notch:
            # The rim is thinnest below and to the temporal side: the cup reaches the edge.
            _stamp_ellipse(cup, cx - 0.08 * DD, y + 0.2 * DD, 0.22 * DD, 0.3 * DD, 0.3, sharp)
    _paint(canvas.img, cup, DISC_CUP, 0.95)
    canvas.features.append(Feature("disc", x, y, ry))
    canvas.features.append(Feature("cup", cx, y, p.cdr * ry))


# --- lesions --------------------------------------------------------------------------


def _sample(rng: np.random.Generator, region: str) -> tuple[float, float]:
    """A random point of ``region`` (see :class:`Lesions`)."""
    post = (FOVEA[0] + 0.35 * (DISC[0] - FOVEA[0]), FOVEA[1] + 0.35 * (DISC[1] - FOVEA[1]))
    for _ in range(5000):
        x = CENTRE + rng.uniform(-FIELD_RADIUS, FIELD_RADIUS)
        y = CENTRE + rng.uniform(-FIELD_RADIUS, FIELD_RADIUS)
        if not _inside_field(x, y, 14):
            continue
        d_disc = _dist(x, y, DISC) / DD
        d_fovea = _dist(x, y, FOVEA) / DD
        if region == "peripapillary":
            if 0.6 < d_disc < 1.3:
                return x, y
            continue
        if d_disc < 0.8:
            continue
        if region == "posterior":
            weight = math.exp(-((_dist(x, y, post) / DD) ** 2) / (2 * 1.7**2))
            if d_fovea > 0.3 and rng.random() < weight:
                return x, y
        elif region == "macula":
            if 0.25 < d_fovea < 1.0:
                return x, y
        elif region == "perifovea":
            if 0.35 < d_fovea < 1.6:
                return x, y
        elif region == "arcade":
            if 1.6 < d_fovea < 2.8:
                return x, y
        elif region == "field":
            return x, y
        elif region in QUADRANTS:
            from_origin = _dist(x, y, QUADRANT_ORIGIN) / DD
            if quadrant_of(x, y) == region and 0.5 < from_origin < 3.2:
                return x, y
        else:
            raise ValueError(f"unknown region {region!r}")
    raise RuntimeError(f"no point found in region {region!r}")


def _nerve_fibre_angle(x: float, y: float) -> float:
    """Direction of the nerve fibre layer: out from the disc, arching round the macula."""
    radial = math.atan2(y - DISC[1], x - DISC[0])
    if x < DISC[0] - 0.5 * DD:
        bend = 0.35 * math.copysign(1.0, y - FOVEA[1]) * min(1.0, (DISC[0] - x) / (3 * DD))
        return radial - bend
    return radial


def _draw_lesion(
    canvas: _Canvas, layers: dict[str, FloatArray], kind: str, x: float, y: float
) -> Feature:
    rng = canvas.rng
    if kind == "ma":
        r = rng.uniform(1.5, 2.3)
        _stamp_ellipse(layers["deep"], x, y, r, r, edge=0.6, amp=rng.uniform(0.8, 0.95))
    elif kind == "dot_blot":
        r = rng.uniform(3.0, 6.5)
        for _ in range(int(rng.integers(2, 6))):
            ox, oy = rng.normal(0, 0.22 * r, 2)
            rr = r * rng.uniform(0.6, 1.0)
            _stamp_ellipse(
                layers["deep"],
                x + ox,
                y + oy,
                rr,
                rr * rng.uniform(0.75, 1.0),
                rng.uniform(0, math.pi),
                0.9,
                rng.uniform(0.85, 0.97),
            )
    elif kind == "flame":
        length, width = rng.uniform(12, 22), rng.uniform(7.0, 10.0)
        angle = _nerve_fibre_angle(x, y) + rng.normal(0, 0.15)
        where, dx, dy = _local(x, y, length + 4)
        c, s = math.cos(angle), math.sin(angle)
        u, v = dx * c + dy * s, -dx * s + dy * c
        # Blunt towards the disc, frayed like a flame at the far end.
        taper = np.clip(1.0 - np.abs(u) / length, 0, 1) ** np.where(u > 0, 0.9, 0.35)
        ragged = 1.0 + 0.1 * np.sin(u * 0.5 + rng.uniform(0, 6))
        body = np.clip((width / 2 * taper * ragged - np.abs(v)) / 2.0 + 0.5, 0, 1)
        m = body * rng.uniform(0.75, 0.9)
        layers["flame"][where] = np.maximum(layers["flame"][where], m)
        r = length
    elif kind == "exudate":
        r = rng.uniform(1.5, 3.6)
        _stamp_ellipse(
            layers["exudate"],
            x,
            y,
            r,
            r * rng.uniform(0.7, 1.0),
            rng.uniform(0, math.pi),
            0.6,
            rng.uniform(0.92, 1.0),
        )
    elif kind == "cws":
        r = rng.uniform(8.0, 12.0)
        angle = _nerve_fibre_angle(x, y) + math.pi / 2
        where, dx, dy = _local(x, y, 2 * r)
        c, s = math.cos(angle), math.sin(angle)
        u, v = dx * c + dy * s, -dx * s + dy * c
        d = np.sqrt((u / (1.3 * r)) ** 2 + (v / (0.85 * r)) ** 2)
        fluff = 0.12 * np.sin(u * 0.9 + rng.uniform(0, 6)) * np.sin(v * 1.1 + rng.uniform(0, 6))
        m = np.clip((1.0 - d) * 2.2 + fluff, 0, 1) ** 1.3 * rng.uniform(0.72, 0.85)
        layers["cws"][where] = np.maximum(layers["cws"][where], m)
    elif kind == "drusen":
        r = rng.uniform(2.5, 6.5)
        _stamp_ellipse(
            layers["drusen"],
            x,
            y,
            r,
            r * rng.uniform(0.8, 1.0),
            0.0,
            max(1.5, 0.8 * r),
            rng.uniform(0.4, 0.65),
        )
    elif kind == "pigment":
        r = rng.uniform(1.5, 3.0)
        _stamp_ellipse(
            layers["pigment"], x, y, r, r * 0.8, rng.uniform(0, math.pi), 0.8, rng.uniform(0.5, 0.8)
        )
    else:
        raise ValueError(f"unknown lesion kind {kind!r}")
    return Feature(kind, x, y, r)


def _lesions(canvas: _Canvas, layers: dict[str, FloatArray]) -> None:
    rng = canvas.rng
    for group in canvas.params.lesions:
        if group.kind == "dust":
            continue
        regions = [group.region] * group.count
        if group.region == "four":
            regions = [QUADRANTS[i % 4] for i in range(group.count)]
        if group.kind == "exudate":
            # Hard exudates come in clusters of a few.
            placed = 0
            while placed < group.count:
                cx, cy = _sample(rng, regions[placed])
                for _ in range(min(int(rng.integers(4, 9)), group.count - placed)):
                    x, y = cx + rng.normal(0, 0.16 * DD), cy + rng.normal(0, 0.13 * DD)
                    if _inside_field(x, y, 10):
                        canvas.features.append(_draw_lesion(canvas, layers, "exudate", x, y))
                    placed += 1
            continue
        for region in regions:
            x, y = _sample(rng, region)
            canvas.features.append(_draw_lesion(canvas, layers, group.kind, x, y))
    if canvas.params.circinate is not None:
        dx, dy = canvas.params.circinate
        cx, cy = FOVEA[0] - dx * DD, FOVEA[1] + dy * DD  # dx > 0 is temporal (left)
        ring = 0.42 * DD
        for angle in np.linspace(0.4, 2 * math.pi - 0.3, 34):
            rr = ring + rng.normal(0, 0.05 * DD)
            x, y = cx + rr * math.cos(angle), cy + rr * math.sin(angle)
            _draw_lesion(canvas, layers, "exudate", x, y)
            if rng.random() < 0.5:
                _draw_lesion(canvas, layers, "exudate", x + rng.normal(0, 3), y + rng.normal(0, 3))
        for _ in range(6):
            _draw_lesion(
                canvas, layers, "ma", cx + rng.normal(0, 0.15 * DD), cy + rng.normal(0, 0.15 * DD)
            )
        canvas.features.append(Feature("circinate", cx, cy, ring + 0.1 * DD))


def _laser_scars(canvas: _Canvas, layers: dict[str, FloatArray]) -> None:
    rng = canvas.rng
    assert canvas.vessel_mask is not None
    spacing = 25.0
    for row, y in enumerate(
        np.arange(CENTRE - FIELD_RADIUS, CENTRE + FIELD_RADIUS, spacing * 0.87)
    ):
        offset = spacing / 2 if row % 2 else 0.0
        for x in np.arange(CENTRE - FIELD_RADIUS + offset, CENTRE + FIELD_RADIUS, spacing):
            x, y2 = x + rng.normal(0, 2.5), y + rng.normal(0, 2.5)
            if not _inside_field(x, y2, 9) or rng.random() < 0.15:
                continue
            if _dist(x, y2, FOVEA) < 2.6 * DD or _dist(x, y2, DISC) < 1.1 * DD:
                continue
            if canvas.vessel_mask[int(y2), int(x)] > 0.3:
                continue
            # Old burns: a pale atrophic centre, a pigmented rim; some are pigment only.
            r = rng.uniform(5.0, 7.5)
            pigmented = rng.random() < 0.3
            if not pigmented:
                _stamp_ellipse(
                    layers["scar"],
                    x,
                    y2,
                    r * 0.7,
                    r * 0.62,
                    rng.uniform(0, 3),
                    1.5,
                    rng.uniform(0.35, 0.75),
                )
            where, dx, dy = _local(x, y2, r + 3)
            d = np.hypot(dx, dy)
            ring = np.exp(-((d - 0.8 * r) ** 2) / (2 * 1.4**2))
            if pigmented:
                ring = np.maximum(ring, np.clip((0.8 * r - d) / 1.5, 0, 1) * 0.8)
            angle = np.arctan2(dy, dx)
            patchy = (
                0.8
                + 0.12 * np.sin(angle + rng.uniform(0, 6))
                + 0.08 * np.sin(2 * angle + rng.uniform(0, 6))
            )
            ring_mask = ring * patchy * rng.uniform(0.45, 0.85)
            layers["pigment"][where] = np.maximum(layers["pigment"][where], ring_mask)
            canvas.features.append(Feature("laser_scar", x, y2, r))


def _draw_loops(
    draw: ImageDraw.ImageDraw,
    rng: np.random.Generator,
    cx: float,
    cy: float,
    spread: float,
    loops: int,
    direction: float | None,
    scale: int,
) -> None:
    """A tangle of fine new vessels: small wobbly loops and spokes round (cx, cy)."""
    for _ in range(loops):
        if direction is None:
            ang, dist = rng.uniform(0, 2 * math.pi), rng.uniform(0.0, 0.8) * spread
        else:
            ang, dist = direction + rng.normal(0, 0.6), rng.uniform(0.2, 1.0) * spread
        lx, ly = cx + dist * math.cos(ang), cy + dist * math.sin(ang)
        a, b = rng.uniform(0.25, 0.55) * spread, rng.uniform(0.15, 0.35) * spread
        tilt = rng.uniform(0, math.pi)
        t = np.linspace(0, 2 * math.pi, 40)
        wob = 1.0 + 0.18 * np.sin(3 * t + rng.uniform(0, 6))
        px = lx + wob * (a * np.cos(t) * math.cos(tilt) - b * np.sin(t) * math.sin(tilt))
        py = ly + wob * (a * np.cos(t) * math.sin(tilt) + b * np.sin(t) * math.cos(tilt))
        pts = [(float(u) * scale, float(v) * scale) for u, v in zip(px, py, strict=True)]
        draw.line(pts, fill=255, width=max(1, round(1.3 * scale)), joint="curve")
        spoke = [(cx * scale, cy * scale)]
        for k in range(1, 6):
            f = k / 5
            spoke.append(
                (
                    (cx + f * (lx - cx) + rng.normal(0, 1.5)) * scale,
                    (cy + f * (ly - cy) + rng.normal(0, 1.5)) * scale,
                )
            )
        draw.line(spoke, fill=255, width=max(1, round(1.1 * scale)), joint="curve")


def _arcade_point(canvas: _Canvas, tags: list[str], quadrant: str, from_disc: float) -> FloatArray:
    """A point on the main vein of ``quadrant``, ``from_disc`` DD along it."""
    for vessel, tag in zip(canvas.vessels, tags, strict=True):
        if vessel.kind == "vein" and tag == quadrant:
            seg = np.linalg.norm(np.diff(vessel.points, axis=0), axis=1)
            s = np.concatenate([[0.0], np.cumsum(seg)])
            i = int(np.searchsorted(s, from_disc * DD))
            return vessel.points[min(i, len(vessel.points) - 1)].copy()
    raise ValueError(f"no vein tagged {quadrant!r}")


def _new_vessels(canvas: _Canvas, tags: list[str]) -> FloatArray:
    p, rng = canvas.params, canvas.rng
    scale = 2
    layer = Image.new("L", (SIZE * scale, SIZE * scale), 0)
    draw = ImageDraw.Draw(layer)
    if p.nvd:
        _draw_loops(draw, rng, DISC[0], DISC[1], 0.55 * DD, 14, None, scale)
        canvas.features.append(Feature("nvd", DISC[0], DISC[1], 0.75 * DD))
    if p.nve is not None:
        base = _arcade_point(canvas, tags, p.nve, 3.0)
        outward = math.atan2(base[1] - FOVEA[1], base[0] - FOVEA[0])
        _draw_loops(draw, rng, float(base[0]), float(base[1]), 0.42 * DD, 11, outward, scale)
        centre = base + 0.3 * DD * np.array([math.cos(outward), math.sin(outward)])
        canvas.features.append(Feature("nve", float(centre[0]), float(centre[1]), 0.55 * DD))
    small = layer.resize((SIZE, SIZE), Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(0.5))
    return np.asarray(small, dtype=np.float64) / 255.0 * 0.9


def _preretinal(canvas: _Canvas, layer: FloatArray, quadrant: str) -> None:
    """A boat-shaped haemorrhage in front of the retina: flat top where the red cells settle."""
    rng = canvas.rng
    vein = _arcade_point(canvas, canvas.tags, quadrant, 2.2)
    side = 1.0 if quadrant[0] == "i" else -1.0
    bx, by = float(vein[0]), float(vein[1]) - side * 0.25 * DD
    a, b = 0.4 * DD, 0.26 * DD
    where, dx, dy = _local(bx, by, a + 6)
    wobble = 1.0 + 0.06 * np.sin(np.arctan2(dy, dx) * 5 + rng.uniform(0, 6))
    d = np.sqrt((dx / a) ** 2 + (dy / b) ** 2) / wobble
    level = np.clip((dy + 0.15 * b) / 1.5 + 0.5, 0, 1)
    body = np.clip((1.0 - d) * b / 2.0 + 0.5, 0, 1) * level
    shade = 0.82 + 0.13 * np.clip(dy / b, 0, 1)
    layer[where] = np.maximum(layer[where], body * shade)
    canvas.features.append(Feature("preretinal", bx, by + 0.4 * b, a))


def _rvo_haemorrhages(canvas: _Canvas, layers: dict[str, FloatArray], tags: list[str]) -> None:
    """Blood in the sector drained by the blocked vein, which stops at the horizontal raphe."""
    rng = canvas.rng
    quadrant = canvas.params.rvo
    points = [
        pt
        for vessel, tag in zip(canvas.vessels, tags, strict=True)
        if vessel.kind == "vein" and tag == quadrant
        for pt in vessel.points[::3]
        if _dist(pt[0], pt[1], DISC) > 1.5 * DD and pt[0] < DISC[0] - 0.5 * DD
    ]
    inferior = quadrant is not None and quadrant[0] == "i"
    placed = 0
    for _ in range(4000):
        if placed >= 70:
            break
        base = points[int(rng.integers(len(points)))]
        x, y = base + rng.normal(0, 0.35 * DD, 2)
        if not _inside_field(x, y, 12) or _dist(x, y, DISC) < 0.9 * DD:
            continue
        if (y < FOVEA[1] - 4) == inferior or _dist(x, y, FOVEA) < 0.3 * DD:
            continue
        kind = "flame" if placed % 3 else "dot_blot"
        _draw_lesion(canvas, layers, kind, x, y)
        placed += 1
    for _ in range(3):
        base = points[int(rng.integers(len(points)))]
        x, y = base + rng.normal(0, 0.3 * DD, 2)
        if _inside_field(x, y, 14) and (y < FOVEA[1]) != inferior:
            _draw_lesion(canvas, layers, "cws", x, y)
    occlusion = _arcade_point(canvas, tags, quadrant or "st", 1.5)
    canvas.features.append(Feature("occlusion", float(occlusion[0]), float(occlusion[1]), 8.0))
    xs = [pt[0] for pt in points]
    ys = [pt[1] for pt in points]
    canvas.features.append(
        Feature("rvo", float(np.mean(xs)), float(np.mean(ys)), float(np.std(xs) + np.std(ys)))
    )


def _papilloedema_blood(canvas: _Canvas, layers: dict[str, FloatArray]) -> None:
    for _ in range(8):
        x, y = _sample(canvas.rng, "peripapillary")
        _draw_lesion(canvas, layers, "flame", x, y)
    for _ in range(2):
        x, y = _sample(canvas.rng, "peripapillary")
        _draw_lesion(canvas, layers, "cws", x, y)


# --- faults of the photograph ---------------------------------------------------------


def _illumination(dark: float) -> FloatArray:
    xx, yy = _grid()
    r = np.hypot(xx - CENTRE, yy - CENTRE) / FIELD_RADIUS
    light = 1.0 - 0.42 * r**2.4 + 0.03 * (1 - r)
    if dark > 0:
        # A small pupil: a dim picture that fades to black towards the edge, worst above.
        light *= (1.0 - 0.5 * dark) * np.clip(1.0 - dark * 1.05 * r**1.6, 0.03, 1.0)
        upper = 1.0 / (1.0 + np.exp(-((CENTRE - 0.2 * FIELD_RADIUS) - yy) / 28.0))
        light *= 1.0 - 0.75 * dark * upper
    return light


def _haze(canvas: _Canvas, img: FloatArray) -> FloatArray:
    """A cataract: light scattered in the lens blurs the picture and lays a veil over it."""
    h = canvas.params.haze
    img = _blur_rgb(img, 2.0 + 6.0 * h)
    veil = 0.9 + 0.1 * _smooth_noise(canvas.rng, 6)
    xx, yy = _grid()
    glow = np.exp(-((xx - CENTRE - 40) ** 2 + (yy - CENTRE + 30) ** 2) / (2 * 190.0**2))
    veil = veil * (0.75 + 0.35 * glow)
    tone = np.asarray((198.0, 156.0, 112.0))
    img = img * (1.0 - 0.62 * h) + veil[..., None] * tone * 0.62 * h
    return img * (1.0 - 0.1 * h)


def _eyelash(img: FloatArray) -> FloatArray:
    """Eyelashes in the light path: bright hazy bands along the lower edge of the field."""
    layer = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(layer)
    for dx, radius, width, value in ((-60, 520, 34, 255), (90, 560, 22, 200), (10, 600, 16, 170)):
        cx, cy = CENTRE + dx, CENTRE + FIELD_RADIUS + radius - 95
        draw.arc(
            (cx - radius, cy - radius, cx + radius, cy + radius), 235, 305, fill=value, width=width
        )
    mask = np.asarray(layer.filter(ImageFilter.GaussianBlur(11)), dtype=np.float64) / 255.0
    _paint(img, mask, (232.0, 222.0, 212.0), 0.85)
    return img


def _dust(canvas: _Canvas, img: FloatArray, count: int) -> None:
    """Dust on the lens: soft grey-brown discs, the same hue as the retina under them."""
    rng = canvas.rng
    for _ in range(count):
        for _ in range(200):
            x, y = _sample(rng, "posterior")
            far = all(
                _dist(x, y, (f.x, f.y)) > 3 * DD / 2 for f in canvas.features if f.kind == "dust"
            )
            if far:
                break
        r = rng.uniform(8.0, 11.0)
        where, dx, dy = _local(x, y, 2 * r)
        d = np.hypot(dx, dy)
        core = np.clip((r - d) / (0.6 * r) + 0.5, 0, 1)
        halo = 0.08 * np.exp(-((d - 1.2 * r) ** 2) / (2 * (0.18 * r) ** 2))
        img[where] *= (1.0 - 0.4 * core + halo)[..., None]
        # Out of focus, a speck scatters a little grey light into its own shadow.
        img[where] += (core * 14.0)[..., None]
        canvas.features.append(Feature("dust", x, y, r))


def _field_mask() -> FloatArray:
    xx, yy = _grid()
    d = np.hypot(xx - CENTRE, yy - CENTRE)
    return np.clip((FIELD_RADIUS - d) / 1.6 + 0.5, 0.0, 1.0)


# --- the mark that says "simulated" ---------------------------------------------------


def _glyph(token: str) -> FloatArray:
    """A pre-rendered word as 0-1 coverage (16 grey levels), from ``_GLYPHS``."""
    width, height, data = _GLYPHS[token]
    raw = np.frombuffer(zlib.decompress(base64.b64decode(data)), dtype=np.uint8)
    return raw.reshape(height, width).astype(np.float64) / 15.0


def stamp_text(
    pixels: npt.NDArray[np.uint8],
    token: str,
    x: int,
    y: int,
    colour: tuple[int, int, int] = (200, 200, 200),
    scale: float = 1.0,
) -> None:
    """Write one of the built-in words into ``pixels`` (RGB uint8) with its top-left at (x, y)."""
    coverage = _glyph(token)
    if scale != 1.0:
        h, w = coverage.shape
        image = Image.fromarray((coverage * 255).astype(np.uint8), "L")
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        coverage = np.asarray(image.resize(size, Image.Resampling.LANCZOS), dtype=np.float64) / 255
    h, w = coverage.shape
    region = pixels[y : y + h, x : x + w].astype(np.float64)
    m = coverage[: region.shape[0], : region.shape[1], None]
    region = region * (1 - m) + np.asarray(colour, dtype=np.float64) * m
    pixels[y : y + h, x : x + w] = np.clip(region.round(), 0, 255).astype(np.uint8)


def _watermark(pixels: npt.NDArray[np.uint8], eye: str) -> None:
    stamp_text(pixels, "SIMULATED", 14, 14)
    stamp_text(pixels, "模拟图像", 14, 38)
    stamp_text(pixels, "R" if eye == "R" else "L", SIZE - 34, 14, (235, 235, 235))
    width = _GLYPHS["SIMULATED"][0]
    stamp_text(pixels, "SIMULATED", SIZE - 14 - width, SIZE - 32)


# --- the whole photograph -------------------------------------------------------------


def generate(params: FundusParams) -> Fundus:
    """Draw the photograph ``params`` describe; the same params always give the same pixels."""
    if params.eye not in ("R", "L"):
        raise ValueError("eye must be 'R' or 'L'")
    rng = np.random.default_rng(params.seed)
    canvas = _Canvas(params, rng, np.zeros((SIZE, SIZE, 3)))
    _background(canvas)
    _disc(canvas, "under")
    tags = _build_vessels(canvas)
    canvas.tags = tags
    _modify_veins(canvas, tags)
    masks = _render_vessels(canvas)
    canvas.vessel_mask = np.maximum(masks["vein"], masks["artery"])

    names = ("deep", "flame", "exudate", "cws", "drusen", "pigment", "scar", "preretinal")
    layers = {name: np.zeros((SIZE, SIZE)) for name in names}
    _lesions(canvas, layers)
    if params.prp:
        _laser_scars(canvas, layers)
    if params.rvo:
        _rvo_haemorrhages(canvas, layers, tags)
    if params.papilloedema:
        _papilloedema_blood(canvas, layers)
    if params.preretinal:
        _preretinal(canvas, layers["preretinal"], params.preretinal)

    img = canvas.img
    # Deep in the retina: under the vessels.
    _paint(img, layers["drusen"], DRUSEN)
    _paint(img, layers["scar"], SCAR)
    _paint(img, layers["pigment"], PIGMENT)
    _paint(img, layers["deep"], HAEM_DEEP)
    _paint(img, layers["exudate"], EXUDATE)
    # The vessels; arteries cross in front of veins.
    _paint(img, masks["vein"], VEIN, 0.92)
    _paint(img, masks["core"], VEIN_CORE, 0.45)
    _paint(img, masks["artery"], ARTERY, 0.9)
    _paint(img, masks["reflex"], ARTERY_REFLEX, 0.35)
    _disc(canvas, "over")
    # In the nerve fibre layer and in front of the retina: over the vessels.
    _paint(img, layers["flame"], HAEM_FLAME)
    _paint(img, layers["cws"], COTTON_WOOL)
    if params.nvd or params.nve:
        _paint(img, _new_vessels(canvas, tags), NEW_VESSEL)
    _paint(img, layers["preretinal"], PRERETINAL)

    img = img * _illumination(params.dark)[..., None]
    if params.haze:
        img = _haze(canvas, img)
    dust = sum(group.count for group in params.lesions if group.kind == "dust")
    if dust:
        _dust(canvas, img, dust)
    if params.eyelash:
        img = _eyelash(img)
    if params.blur:
        img = _blur_rgb(img, params.blur)
    img += rng.normal(0.0, params.grain, img.shape)
    img *= _field_mask()[..., None]
    pixels = np.clip(img.round(), 0, 255).astype(np.uint8)
    features = canvas.features
    if params.eye == "L":
        pixels = np.ascontiguousarray(pixels[:, ::-1])
        features = [Feature(f.kind, SIZE - 1 - f.x, f.y, f.r) for f in features]
    if params.watermark:
        _watermark(pixels, params.eye)
    return Fundus(pixels, features)


def jpeg_bytes(pixels: npt.NDArray[np.uint8], quality: int = 92) -> bytes:
    """Encode without metadata, so the bytes depend on the pixels only."""
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(
        buffer, "JPEG", quality=quality, subsampling=0, optimize=False, progressive=False
    )
    return buffer.getvalue()


# Words drawn into the pictures: 16-level coverage bitmaps (DejaVu Sans Bold for Latin
# letters, Noto Sans CJK SC for Chinese), zlib-compressed and base64-encoded, so that the
# mark looks the same on every machine whatever fonts it has.
_GLYPHS: dict[str, tuple[int, int, str]] = {
    "SIMULATED": (
        152,
        18,
        "eNqdllmWxCAIRZ01jvvfbUdQo8buE5qvpArkok8IY0xdKZecgjOc3RZLKaE/lCIYmIIXvzgwWX9T"
        "62/Dric8ldVUWxvNjFyVwoolfnjsXA69PJkrP+GfucACkNnyN1eGJLxQuTRGJDpXybKV5SXn0uUj"
        "V9ETPYHLD4ZmUJptL7t/e+c6AJiApXP70+oTV5gq/s4FFLXmi8J1m8M8qu/126U+RJSuao/fuUzF"
        "MlPRX7lwOwQsffHfuGwC6d6HEi8SVz0Pz4cOCFwaNYcnFC8jjlyuVlyXNCQugUShx5y4usq3eIHX"
        "WA2HqA9c1Uvfqs+cxFXvSeZwmoXTuFgTsnpusXtz1ZJjqvIlcTUxitF9iFxwW5QL2AShO29cbT8l"
        "iUvOfSnQ9CWmbn6zhddSyIUCjOzhCmMNhcTvPK6fn31GGVH3y9xwBy7b/AaXH61Fj6xbnrXB23/0"
        "CeHFxGUPXAIl/HA9e+BHf1rzqHXspH/01TtrMHUM+X4mO1fNfrGJCwSQFBduKHTLc23zUNLnkJjj"
        "IztxTcn8U1K/TXy/X7fTNH94l8ev9xEWfc3tmSvyb1wTWJKHPHrsUQvLJC78zuHaBfgu9PrU749c"
        "TLoIIYad8vh55qreS75w1a9T1PsPLHlPyw==",
    ),
    "模拟图像": (
        96,
        24,
        "eNqVltm25SoIRRUbbOH//7YANd05VeNeH5KxEzPFxQK3c85ldDZQ76GA2wOT+5/DPoXweTpo3edU"
        "KF9Ubjq7xP2zTa+3+svYMzx1uXYOP/mhlEIkl86tlHTzI+MKyw1eT38ZG5Rlrks8s4z05qfX/Pbi"
        "I9sCc22T+4oV7u/5AnnZw2bAf9NH+LDWs9cXv94qHH7kqurEsxMbpTXi1uKX31rj2arp0ywYGg9+"
        "3Ms8+UOmNQPDnmsPbWRICTGllDEnuGQm4wfbwCbaDegh5eYn7r6/ZC5rCSL3TkB+66MEEfZkRfiR"
        "uGgSM6lKiy/Cl8rTXgySC25+YJ2ULt3TT36WR2FPFz4yzSmb9M2mLn7TeGO2tEzb4/4AWUNKXNIa"
        "5Sffy4yzLHdRF7yEGOZ6ZPzCpDxJrBKqKr35qln6tz6uJgkjnvhBCk2lpnDlF5jS4n/19zKvzd/1"
        "Adx8MyQ8/SNyEI/sT/wtHQElKfCo3sREQXb1gw8agr/4p0rEJalOpgouy61jML7fCQKxNVvDgGbL"
        "9CFfdvzo44sat+crfs/kN78wD4ymTazEcftT+aGyzEcl4NIZGIUPDjS1bSUZLPhx6w9Z83Py6zOo"
        "Xail1TMf/E7SfmHylEU7bFnPzt0u1OWqcOc30lT7vfqDAxw7wQ++lz0idQlme0udp3wsOsRiNt79"
        "U6yXPM26DGT8YOBQ3Icv2ZtW8EJd4Yxo/Pkq7HrzJf0stYSMYUWuV039aBjcl49TTKflPY9N4HaG"
        "aFC43s4yviSza9eV7A5Tz1bxEZuERD1/+C3oJ72xtkv/dl7msfvfzQerSl1Z35eH/rJIqnZgvfRR"
        "gYpk1cv07h98X1UHP7j6Fz/byqTtxjL8aMxm+zc/DfGOmJ4sqOEPX408dPtS91TCSn3bR7YUfXTn"
        "ZP3r+Sh86aESjz+nQ2snfumhI59TdIpOqvsl1djWz0Xi4fk93emOP6V1pNDziNf/J+nZMqIWWKv5"
        "Fvrx8n58lcryhMf9TyMiXrQ/2fIvWQ==",
    ),
    "R": (
        16,
        18,
        "eNpdjlEOwCAIQ9E5nRnC/W/rgAQm/fJV24psIpwXfEIOjcTcjF+AOoWnM8CygzMmlvsn5evRT+3Y"
        "WzX9Rw3Lly4GxgwMMXraWz/WxB1cSBucraEF24MNRwYKsA==",
    ),
    "L": (13, 18, "eNrj4efn52aAAp4hy4EBLtwcAF7qBi4="),
    "A": (
        19,
        18,
        "eNpVkFkOACEIQ93XUe5/25GiRPth5NWaUGNYlVjOXJpA5SIRhMaFmiAKSiyPnK2KEhMcivqaGp7G"
        "TZwMMDbKHLGIkxX0iY3HCcSfK1sdqJxA1qUG3cqLhIdgqfoi8lLCXsRO1BG3o7VNlKCl4N/wAw7R"
        "CgY=",
    ),
    "B": (
        15,
        18,
        "eNp1jUkSgDAIBAcxqSjb/3+riVYMB+dEF9Cj8cT12AFofDkzRh0oAJUYw4uA3INl1HzckkpoRee/"
        "InBXBU3zNtYT4V2dty3/lmQ2WtF49rpJJeACEgwLcA==",
    ),
    "C": (
        16,
        18,
        "eNp90EsOwCAIBUAIfiJVuP9tKyy0YtK3G4MKAMyk1kVlcEETdV2ZB1n0a3I2QqQq04+xgAcbkpFh"
        "pZppm82bfn38ONbH9+J/sZ+rX8h6zHPNe+7jBTsxB24=",
    ),
    "D": (
        17,
        18,
        "eNp90FkOgDAIBFDEVFFquf9tLRAjpcb5fAlrFUu7eEfQVHnDmEDa6sAAS2ETfKCHVM4AXo0BisIW"
        "ABUoAFiTDMdfydQ0jx0XG1efjvs6vz+I/EE3qMQLCQ==",
    ),
    "E": (13, 18, "eNrj4UcANh68HG4GKCCBAwV8BDjkGI3NHn4u3BwAGJ4Iyw=="),
    "F": (13, 18, "eNrj4UcANh68HG4GKCCBAwV8BDjkGE0qBwD/vQdm"),
    "G": (
        17,
        18,
        "eNpl0FESgCAIBUBQLDWE+982wSlpen+sCowAM7nyUBXuB1qZLt0hABL9QPa6EwJSkwl+/4AVrJT9"
        "HHZOgxygG4TaWwx/vqbID94nD8SmxSCOdYiLLdirp+rgviP2GxxgtaPGoiLcCsINsIwJ8Q==",
    ),
    "H": (16, 18, "eNrj4efn52YAA04gk5eHDnwkQBSf3u5D5gMAD7EKqw=="),
    "1": (14, 18, "eNpjYGbn4uMHAkYGIGDhhwJsPB4OVhY4DwSYByWPmR8JMOLjAQD8oAag"),
    "2": (
        14,
        18,
        "eNp9zkkWgDAIA1DSgU4K97+tYlsfbszub5JQ4HaIytkzEUHfDHhpvyUtASzGiA6ysIlpJZjKR3mr"
        "mLAQraV6jIUkc/xJVgeeP1zbLqh+1r/W9qcLkyMHmw==",
    ),
    "3": (
        14,
        18,
        "eNpVj1kSgDAIQ6GryHb/21psHdt88SYQALCSqJtyRwC4/ZOVndwAiEpCLBo4zKkSVA/Ks8YanXeU"
        "bWVcsJG0ndxpZaQqRybaF/MqTD48btxzGvveud7+o11xI0njwIvV3ITigQfGbwfF",
    ),
    "4": (
        15,
        18,
        "eNp9z0EOgCAMRNHaBhUF5v63tUQy0IX+3UtnU5GeoacyqoEnVr5TsgD35A5UI7UBSUnfXUImoCm5"
        "+fQQMgNFJv1okUv5n+MJDQ9+8QE60Ahf",
    ),
    "5": (
        15,
        18,
        "eNqFjksOgDAIRAf6sVag97+tkphiF6aze5nJAxxjRgDskTGzR7FhVyUsKk2r2Z6+9pKIsji3qSD1"
        "eShPr//wHbO0zKHiuDOUvij+a6rdf9ReXHEDYv0IIA==",
    ),
    "6": (
        15,
        18,
        "eNpVj9EWwyAIQ4NCrZXC///twLrO5UG5wgkRAKiN2007I8XmS8nivmHJnjJRkSuwBw28ymZ9qQYZ"
        "X+aWozh+Rt6BtqG3B02oat408VwmzjPEkaazKHnKFwX3PlznprAqaaXxrH9fAI0FJk9QGZFRT4ry"
        "A7khCS8=",
    ),
    "7": (
        14,
        18,
        "eNp1zUEKwCAMRNEE21Rbtfe/rQYyMKE0u8fAj7103f71SFxxGdQ2pgbUp4rpcmGSsdGA06cC9U/+"
        "4PwQzhvnZ8rXlFfO3ykfnxe4oQZF",
    ),
    "8": (
        15,
        18,
        "eNpVT1cWwCAMwhhnHfe/bYNdlg95GMgAEGofc7TiYXBtPigm6/wQ4EiHOB1kCCVT2bgBu6xA2cxq"
        "nb9ekZOWzTCUQvpbtSioqjhPzgi00aWsI13jcO3j068q632y9t+2E/JvUFlrxPt8rnECNGcJ2g==",
    ),
    "9": (
        15,
        18,
        "eNpVj1ESAyEIQ4O7uqIC979tgbaOmw/gMZkMALhYVIUvpNh+el5k1twZvRPFVgndm4RL0j68jsDp"
        "w8q60TJpm43qEWVWsOxQQZEDCaBnqUmv/5Cv4gDeVNTx9i3fHtCC5usFoRNnEKiN+H7UjPgAAK0J"
        "Kg==",
    ),
}


# --- the built-in pictures ------------------------------------------------------------

L = Lesions

# One photograph per case of the fundus-screening pack (see the case files for the stories).
BUILTIN: dict[str, FundusParams] = {
    # Healthy retina, right eye.
    "fun-nodr-001.jpg": FundusParams(seed=101, eye="R", cdr=0.3),
    # Mild NPDR: a few microaneurysms only.
    "fun-mild-002.jpg": FundusParams(seed=102, eye="L", lesions=(L("ma", 6),)),
    # Moderate NPDR: microaneurysms, dot-blot haemorrhages, exudates away from the macula, a CWS.
    "fun-moderate-003.jpg": FundusParams(
        seed=103,
        eye="R",
        lesions=(L("ma", 10), L("dot_blot", 9), L("exudate", 8, "arcade"), L("cws", 1, "arcade")),
    ),
    # PDR: new vessels on the disc, a preretinal haemorrhage, beading, blots in four quadrants.
    "fun-pdr-004.jpg": FundusParams(
        seed=104,
        eye="L",
        nvd=True,
        preretinal="it",
        beading=("it",),
        lesions=(L("ma", 12), L("dot_blot", 14, "four"), L("cws", 3)),
    ),
    # Maculopathy: a circinate ring of hard exudates next to the fovea.
    "fun-dme-005.jpg": FundusParams(
        seed=105,
        eye="R",
        circinate=(0.45, -0.35),
        lesions=(L("ma", 8), L("dot_blot", 4)),
    ),
    # A small pupil: too dark to grade (a few microaneurysms hide in the dark).
    "fun-ungradable-006.jpg": FundusParams(
        seed=106, eye="L", dark=1.0, blur=1.5, lesions=(L("ma", 4),)
    ),
    # Old panretinal laser scars; a few residual haemorrhages.
    "fun-laser-007.jpg": FundusParams(
        seed=107, eye="R", prp=True, lesions=(L("dot_blot", 4), L("ma", 5))
    ),
    # A dense cataract veils moderate NPDR.
    "fun-cataract-008.jpg": FundusParams(
        seed=108,
        eye="L",
        haze=0.8,
        lesions=(L("dot_blot", 10), L("exudate", 8), L("ma", 10)),
    ),
    # Glaucomatous cupping (CDR 0.8, inferior rim notch, peripapillary atrophy); no DR.
    "fun-glaucoma-009.jpg": FundusParams(seed=109, eye="R", cdr=0.8, rim_notch=True),
    # New vessels elsewhere on the superotemporal arcade; only microaneurysms besides.
    "fun-nve-010.jpg": FundusParams(seed=110, eye="L", nve="st", lesions=(L("ma", 6),)),
    # Microaneurysms round the fovea, no foveal reflex: the photo cannot show the oedema.
    "fun-vision-011.jpg": FundusParams(
        seed=111, eye="R", foveal_reflex=False, lesions=(L("ma", 8, "macula"),)
    ),
    # A healthy retina photographed through a dusty lens.
    "fun-artefact-012.jpg": FundusParams(seed=112, eye="R", lesions=(L("dust", 4),)),
    # Severe NPDR: 4-2-1 rule (blots in four quadrants, beading in two).
    "fun-severe-013.jpg": FundusParams(
        seed=113,
        eye="L",
        beading=("st", "it"),
        lesions=(L("dot_blot", 88, "four"), L("ma", 20), L("cws", 4)),
    ),
}


def builtin_fundus(name: str) -> Fundus:
    return generate(BUILTIN[name])


# --- lesson figures -------------------------------------------------------------------

PANEL_GAP = 10
BANNER = 30


def _thumbnail(
    params: FundusParams,
    size: int,
    crop: tuple[float, float, float] | None = None,
) -> Image.Image:
    """A picture without its own mark, scaled to ``size``; ``crop`` = (x, y, half-width)."""
    fundus = generate(params)
    image = Image.fromarray(fundus.pixels, "RGB")
    if crop is not None:
        x, y, half = crop
        image = image.crop((round(x - half), round(y - half), round(x + half), round(y + half)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _figure(panels: list[Image.Image], columns: int, letters: bool = True) -> bytes:
    """Panels in a grid, lettered A, B, … in reading order, with a "simulated" banner."""
    size = panels[0].width
    rows = math.ceil(len(panels) / columns)
    width = columns * size + (columns - 1) * PANEL_GAP
    height = rows * size + (rows - 1) * PANEL_GAP + BANNER
    sheet = np.zeros((height, width, 3), dtype=np.uint8)
    sheet[:, :] = (255, 255, 255)
    for index, panel in enumerate(panels):
        x = (index % columns) * (size + PANEL_GAP)
        y = (index // columns) * (size + PANEL_GAP)
        sheet[y : y + size, x : x + size] = np.asarray(panel)
        if letters:
            stamp_text(sheet, "ABCDEFGH"[index], x + 8, y + 8, (255, 255, 255))
    sheet[height - BANNER :, :] = (40, 40, 40)
    stamp_text(sheet, "SIMULATED", 10, height - BANNER + 6, (230, 230, 230), 0.8)
    stamp_text(sheet, "模拟图像", 10 + 132, height - BANNER + 5, (230, 230, 230), 0.8)
    return jpeg_bytes(sheet, 90)


def _marker(
    sheet: npt.NDArray[np.uint8], digit: str, at: tuple[float, float], target: tuple[float, float]
) -> None:
    """A numbered callout: a dark disc with a white digit at ``at``, a line to ``target``."""
    image = Image.fromarray(sheet, "RGB")
    ImageDraw.Draw(image).line((*at, *target), fill=(245, 245, 245), width=2)
    sheet[:] = np.asarray(image)
    x, y = at
    layer = np.zeros(sheet.shape[:2])
    for yy in range(max(0, int(y) - 14), min(sheet.shape[0], int(y) + 15)):
        for xx in range(max(0, int(x) - 14), min(sheet.shape[1], int(x) + 15)):
            d = math.hypot(xx - x, yy - y)
            layer[yy, xx] = min(1.0, max(0.0, 13.0 - d))
    img = sheet.astype(np.float64)
    _paint(img, layer, (20.0, 20.0, 20.0), 0.85)
    sheet[:] = np.clip(img.round(), 0, 255).astype(np.uint8)
    w, h = _GLYPHS[digit][0], _GLYPHS[digit][1]
    scale = 0.75
    stamp_text(
        sheet, digit, round(x - w * scale / 2), round(y - h * scale / 2), (255, 255, 255), scale
    )


def _anatomy_figure() -> bytes:
    """A healthy right eye with callouts: 1 disc, 2 cup, 3 artery, 4 vein, 5 fovea."""
    params = FundusParams(seed=201, eye="R", watermark=False, grain=0.0)
    fundus = generate(params)
    size = 560
    scale = size / SIZE
    image = Image.fromarray(fundus.pixels, "RGB").resize((size, size), Image.Resampling.LANCZOS)
    sheet = np.zeros((size + BANNER, size, 3), dtype=np.uint8)
    sheet[:size] = np.asarray(image)
    # The same first steps as generate(), so the same random draws give the same vessel tree.
    canvas = _Canvas(params, np.random.default_rng(params.seed), np.zeros((SIZE, SIZE, 3)))
    _background(canvas)
    _disc(canvas, "under")
    _build_vessels(canvas)
    artery = next(v for v in canvas.vessels if v.kind == "artery")
    vein = next(v for v in canvas.vessels if v.kind == "vein")
    a = artery.points[len(artery.points) // 3]
    v = vein.points[len(vein.points) // 4]
    calls = [
        ("1", (DISC[0] + 1.1 * DD, DISC[1] + 1.0 * DD), (DISC[0] + 0.35 * DD, DISC[1] + 0.3 * DD)),
        ("2", (DISC[0] + 0.9 * DD, DISC[1] - 1.2 * DD), (DISC[0] - 0.02 * DD, DISC[1] - 0.05 * DD)),
        ("3", (a[0] - 0.55 * DD, a[1] - 0.45 * DD), (a[0], a[1])),
        ("4", (v[0] + 0.6 * DD, v[1] + 0.35 * DD), (v[0], v[1])),
        ("5", (FOVEA[0] - 0.3 * DD, FOVEA[1] + 1.0 * DD), FOVEA),
    ]
    for digit, (mx, my), (tx, ty) in calls:
        _marker(sheet, digit, (mx * scale, my * scale), (tx * scale, ty * scale))
    sheet[size:] = (40, 40, 40)
    stamp_text(sheet, "SIMULATED", 10, size + 6, (230, 230, 230), 0.8)
    stamp_text(sheet, "模拟图像", 10 + 132, size + 5, (230, 230, 230), 0.8)
    return jpeg_bytes(sheet, 90)


def _lesion_figure() -> bytes:
    """Close-ups of DR lesions: A microaneurysms and blots, B flame haemorrhages, C hard
    exudates, D cotton-wool spots, E venous beading, F new vessels on the disc."""
    size = 240
    half = 70.0

    def close_up(params: FundusParams, kind: str) -> Image.Image:
        fundus = generate(params)
        spot = fundus.of(kind)[0]
        image = Image.fromarray(fundus.pixels, "RGB")
        box = (
            round(spot.x - half),
            round(spot.y - half),
            round(spot.x + half),
            round(spot.y + half),
        )
        return image.crop(box).resize((size, size), Image.Resampling.LANCZOS)

    ma = FundusParams(
        seed=302,
        eye="R",
        watermark=False,
        grain=0.0,
        lesions=(L("dot_blot", 1, "macula"), L("ma", 10, "macula")),
    )
    flame = FundusParams(seed=303, eye="R", watermark=False, grain=0.0, rvo="st")
    exudate = FundusParams(seed=304, eye="R", watermark=False, grain=0.0, circinate=(0.6, -0.1))
    cws = FundusParams(
        seed=305, eye="R", watermark=False, grain=0.0, lesions=(L("cws", 1, "posterior"),)
    )
    beading = FundusParams(
        seed=306, eye="R", watermark=False, grain=0.0, beading=("st", "it", "sn", "in")
    )
    nvd = FundusParams(seed=307, eye="R", watermark=False, grain=0.0, nvd=True)
    panels = [
        close_up(ma, "dot_blot"),
        close_up(flame, "occlusion"),
        close_up(exudate, "circinate"),
        close_up(cws, "cws"),
        _thumbnail(beading, size, (DISC[0] - 0.2 * DD, DISC[1] + 1.9 * DD, half)),
        close_up(nvd, "nvd"),
    ]
    return _figure(panels, 3)


def _grades_figure() -> bytes:
    """The severity scale: A no DR, B mild, C moderate, D severe NPDR, E PDR, F DME."""
    size = 240
    grades = [
        FundusParams(seed=401, watermark=False, grain=0.0),
        FundusParams(seed=402, watermark=False, grain=0.0, lesions=(L("ma", 7),)),
        FundusParams(
            seed=403,
            watermark=False,
            grain=0.0,
            lesions=(L("ma", 10), L("dot_blot", 10), L("exudate", 6, "sn"), L("cws", 1)),
        ),
        FundusParams(
            seed=404,
            watermark=False,
            grain=0.0,
            beading=("st", "it"),
            lesions=(L("dot_blot", 88, "four"), L("ma", 16), L("cws", 3)),
        ),
        FundusParams(
            seed=405,
            watermark=False,
            grain=0.0,
            nvd=True,
            preretinal="it",
            lesions=(L("dot_blot", 16, "four"), L("ma", 10), L("cws", 2)),
        ),
        FundusParams(
            seed=406,
            watermark=False,
            grain=0.0,
            circinate=(0.5, 0.3),
            lesions=(L("ma", 8), L("dot_blot", 5)),
        ),
    ]
    return _figure([_thumbnail(p, size) for p in grades], 3)


def _quality_figure() -> bytes:
    """A a gradable photograph; B cataract haze; C blur; D small pupil; E eyelashes; F dust."""
    size = 240
    photos = [
        FundusParams(seed=501, watermark=False, grain=0.0),
        FundusParams(seed=502, watermark=False, grain=0.0, haze=0.8),
        FundusParams(seed=503, watermark=False, grain=0.0, blur=5.0),
        FundusParams(seed=504, watermark=False, grain=0.0, dark=1.0, blur=1.5),
        FundusParams(seed=505, watermark=False, grain=0.0, eyelash=True),
        FundusParams(seed=506, watermark=False, grain=0.0, lesions=(L("dust", 4),)),
    ]
    return _figure([_thumbnail(p, size) for p in photos], 3)


def _other_disease_figure() -> bytes:
    """What a DR tool was not made for: A glaucomatous cupping, B branch retinal vein
    occlusion, C drusen of age-related macular degeneration, D papilloedema."""
    size = 365
    photos = [
        FundusParams(seed=601, watermark=False, grain=0.0, cdr=0.85, rim_notch=True),
        FundusParams(seed=602, watermark=False, grain=0.0, rvo="it"),
        FundusParams(
            seed=603,
            watermark=False,
            grain=0.0,
            foveal_reflex=False,
            lesions=(
                L("drusen", 45, "macula"),
                L("drusen", 15, "perifovea"),
                L("pigment", 6, "macula"),
            ),
        ),
        FundusParams(seed=604, watermark=False, grain=0.0, papilloedema=True, cdr=0.0),
    ]
    return _figure([_thumbnail(p, size) for p in photos], 2)


FIGURES: dict[str, Callable[[], bytes]] = {
    "reading-the-photo/figures/fundus-anatomy.jpg": _anatomy_figure,
    "reading-the-photo/figures/dr-lesions.jpg": _lesion_figure,
    "reading-the-photo/figures/dr-grades.jpg": _grades_figure,
    "when-not-to-trust/figures/image-quality.jpg": _quality_figure,
    "when-not-to-trust/figures/other-diseases.jpg": _other_disease_figure,
}


def _case_bytes(name: str) -> bytes:
    return jpeg_bytes(builtin_fundus(name).pixels)


def builtin_assets() -> dict[Path, Callable[[], bytes]]:
    """Every committed file this generator makes: path -> function giving its exact bytes."""
    assets: dict[Path, Callable[[], bytes]] = {}
    for name in BUILTIN:
        assets[PACK_ASSETS / name] = partial(_case_bytes, name)
    for rel, make in FIGURES.items():
        assets[LESSONS / rel] = make
    return assets


def main(argv: list[str] | None = None) -> int:
    """Rewrite the built-in pictures (a developer tool; output is not translated)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--features", action="store_true", help="print where lesions were drawn")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if args.features:
        for name in BUILTIN:
            print(name)
            features = builtin_fundus(name).features
            for kind in dict.fromkeys(f.kind for f in features):
                found = [f for f in features if f.kind == kind]
                if len(found) > 30:
                    print(f"  {kind:<12} {len(found)} drawn")
                    continue
                for f in found:
                    print(f"  {kind:<12} x={f.x:7.1f} y={f.y:7.1f} r={f.r:6.1f}")
        return 0
    stale = 0
    for path, make in builtin_assets().items():
        data = make()
        current = path.is_file() and path.read_bytes() == data
        if args.check:
            stale += not current
            if not current:
                print(f"stale: {path}")
            continue
        if not current:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
