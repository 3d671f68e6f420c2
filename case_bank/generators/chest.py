"""Seeded synthetic PA chest radiographs for the chest-imaging pack and module.

A film is built in "attenuation" space, the way X-rays add up along each ray: the soft
tissue of the body, minus the air of the lungs, plus ribs, clavicles, spine, vessels,
breasts and whatever disease the parameters place. The sum is turned into film
brightness with an exposure curve (``1 - exp(-g·A)``), so an under-exposed film comes out
too white and an over-exposed one too dark, as on real film. Everything is numpy and
Pillow and deterministic for a given seed, so the built-in assets rebuild byte for byte::

    python -m case_bank.generators.chest          # rewrite the built-in assets
    python -m case_bank.generators.chest --boxes  # also print where the findings are

Coordinates are image pixels (x right, y down) of a 1024 × 1024 film; the patient's
right is on the left of the image. About 0.42 mm a pixel for an adult (24 px ≈ 1 cm).
Every image carries a burned-in "SIMULATED 模拟" label and an "R" side marker.
"""

from __future__ import annotations

import argparse
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

FloatArray = npt.NDArray[np.float64]
Side = Literal["right", "left"]  # the patient's side: right is on the image's left
SIDES: tuple[Side, Side] = ("right", "left")

SIZE = 1024
ROOT = Path(__file__).resolve().parents[2]
PACK_ASSETS = ROOT / "case_bank" / "packs" / "chest-imaging" / "assets"
LESSONS = ROOT / "courses" / "modules" / "chest-imaging-ai" / "lessons"


# --- what to draw -------------------------------------------------------------------------


@dataclass(frozen=True)
class Nodule:
    """A round opacity centred at (x, y), ``diameter`` in pixels."""

    x: float
    y: float
    diameter: float
    kind: Literal["solid", "part_solid", "calcified"] = "solid"
    density: float = 1.0  # relative to the usual density of its kind


@dataclass(frozen=True)
class Tuberculosis:
    """Post-primary TB in an upper zone: small nodules, fibrotic strands, patchy shadowing,
    optionally a cavity. ``extent`` scales the size of the diseased area (0–1)."""

    side: Side
    extent: float = 1.0
    cavity: bool = True
    centre: tuple[float, float] | None = None  # default: the apical/posterior segment
    strength: float = 1.0


@dataclass(frozen=True)
class Consolidation:
    """Lobar consolidation with air bronchograms: ``rul`` (sharp lower border at the
    horizontal fissure) or ``rll`` / ``lll`` (ill-defined upper border, lost diaphragm)."""

    lobe: Literal["rul", "rll", "lll"]
    strength: float = 1.0
    extent: float = 1.0  # lower lobes: how far up from the diaphragm it reaches


@dataclass(frozen=True)
class Effusion:
    """Pleural fluid rising ``height`` pixels above the costophrenic angle, with a meniscus."""

    side: Side
    height: float


@dataclass(frozen=True)
class Pneumothorax:
    """Air between lung and chest wall: the lung edge (visceral pleural line) lies ``rim``
    pixels from the wall at the apex, less at the base; no markings beyond it."""

    side: Side
    rim: float


@dataclass(frozen=True)
class RibFracture:
    """A break of posterior rib ``rib`` (1–12) at ``at`` (0 spine – 1 lateral wall)."""

    side: Side
    rib: int
    at: float = 0.8
    step: float = 5.0  # displacement of the distal fragment, pixels


@dataclass(frozen=True)
class Quality:
    """How the film was taken. ``exposure`` > 1 is under-exposed (too white), < 1 over-exposed."""

    exposure: float = 1.0
    rotation: float = 0.0  # pixels the spine moves toward the image's right
    motion: float = 0.0  # length of vertical motion blur, pixels
    shift_down: float = 0.0  # anatomy moved down: the bases fall off the film
    noise: float = 1.0


@dataclass(frozen=True)
class ChestParams:
    """One film. ``child`` draws a young child's chest (thymus, larger heart, level ribs)."""

    seed: int = 0
    sex: Literal["female", "male"] = "male"
    child: bool = False
    heart_scale: float = 1.0
    inspiration: float = 1.0  # < 1 raises the diaphragm
    breasts: float = 0.0  # 0 none; 1 average adult female
    nipples: bool = False
    nodules: tuple[Nodule, ...] = ()
    tb: Tuberculosis | None = None
    consolidation: Consolidation | None = None
    effusions: tuple[Effusion, ...] = ()
    pneumothorax: Pneumothorax | None = None
    fractures: tuple[RibFracture, ...] = ()
    quality: Quality = field(default_factory=Quality)
    label: bool = True  # the burned-in SIMULATED label and R marker


# --- geometry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """Landmarks of one chest, in anatomy pixels (image pixels before the film's shift)."""

    cx: float  # midline of the thorax
    spine_x: float
    medi_x: float  # midline of the mediastinum (moves with rotation)
    clav_x: float  # midpoint between the clavicles' medial ends
    apex_y: float
    apex_u: float  # distance of each apex from the midline
    width: float  # inner half-width of the rib cage at its widest
    wide_y: float  # where the rib cage reaches its full width
    dome: dict[str, tuple[float, float, float]]  # side -> (peak y, peak u, CP-angle y)
    heart_right: float  # how far the right atrium bulges beyond the mediastinum
    heart_left: float  # distance of the cardiac apex from the midline
    carina_y: float
    hilum: dict[str, tuple[float, float]]
    rib_drop: float  # how far the posterior ribs fall laterally
    rib_step: float
    child: bool


def geometry(p: ChestParams) -> Geometry:
    """The landmarks of the chest in ``p``; each seed varies the build a little."""
    jitter = np.random.default_rng([p.seed, 7]).uniform(-1, 1, 5)
    rot = p.quality.rotation
    cx = SIZE / 2
    medi = cx + 0.6 * rot
    if p.child:
        peak = 680.0 - (1 - p.inspiration) * 160 + 10 * jitter[0]
        hs = p.heart_scale * (1 + 0.03 * jitter[1])
        return Geometry(
            cx=cx,
            spine_x=cx + rot,
            medi_x=medi,
            clav_x=cx - 0.3 * rot,
            apex_y=150.0 + 6 * jitter[2],
            apex_u=172.0,
            width=385.0 + 8 * jitter[3],
            wide_y=560.0,
            dome={
                "right": (peak, 185.0, peak + 78),
                "left": (peak + 14 + 6 * jitter[4], 190.0, peak + 92),
            },
            heart_right=80.0 * hs,
            heart_left=236.0 * hs,
            carina_y=400.0,
            hilum={"right": (medi - 96, 478.0), "left": (medi + 100, 462.0)},
            rib_drop=22.0,
            rib_step=54.0,
            child=True,
        )
    peak = 690.0 - (1 - p.inspiration) * 160 + 14 * jitter[0]
    hs = p.heart_scale * (1 + 0.04 * jitter[1])
    return Geometry(
        cx=cx,
        spine_x=cx + rot,
        medi_x=medi,
        clav_x=cx - 0.3 * rot,
        apex_y=130.0 + 8 * jitter[2],
        apex_u=165.0,
        width=368.0 + 12 * jitter[3],
        wide_y=600.0,
        dome={
            "right": (peak, 175.0, peak + 100),
            "left": (peak + 22 + 8 * jitter[4], 185.0, peak + 118),
        },
        heart_right=72.0 * hs,
        heart_left=205.0 * hs,
        carina_y=400.0,
        hilum={"right": (medi - 92, 472.0), "left": (medi + 96, 446.0)},
        rib_drop=64.0,
        rib_step=56.0 + 1.5 * jitter[2],
        child=False,
    )


def _sign(side: Side) -> float:
    """-1 for the patient's right (image left), +1 for the left."""
    return -1.0 if side == "right" else 1.0


def lateral_wall(g: Geometry, y: FloatArray | float) -> FloatArray:
    """Distance from the midline to the inner rib margin at height ``y`` (anatomy pixels)."""
    yy = np.asarray(y, dtype=np.float64)
    below = np.clip(yy - g.apex_y, 0, None)
    round_apex = g.apex_u + np.sqrt(below / 0.0035)
    t = np.clip(below / (g.wide_y - g.apex_y), 0, 1)
    curve = g.apex_u + (g.width - g.apex_u) * (1 - (1 - t) ** 3)
    narrowing = 0.00025 * np.clip(yy - (g.wide_y + 40), 0, None) ** 2
    return np.asarray(np.minimum(round_apex, curve) - narrowing, dtype=np.float64)


def apex_top(g: Geometry, u: FloatArray) -> FloatArray:
    """Upper border of a lung at distance ``u`` from the midline (medial slope of the apex)."""
    return np.asarray(g.apex_y + 0.0065 * np.clip(g.apex_u - u, 0, None) ** 2)


def dome_y(g: Geometry, side: Side, u: FloatArray | float) -> FloatArray:
    peak, peak_u, cp = g.dome[side]
    lateral = float(lateral_wall(g, cp))
    return np.asarray(peak + (cp - peak) * ((np.asarray(u) - peak_u) / (lateral - peak_u)) ** 2)


def heart_borders(g: Geometry, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """x of the right and left borders of the mediastinum and heart at height ``y``."""
    m = g.medi_x
    c = g.carina_y
    sup = 40 + 8 * smoothstep(g.apex_y, c, y)
    asc = 8 * np.sin(np.pi * np.clip((y - (c - 40)) / 110, 0, 1))
    ra = g.heart_right * np.sin(np.pi * np.clip((y - (c + 55)) / 330, 0, 0.8)) ** 0.75
    right = m - sup - asc - ra
    knob = 38 * np.exp(-0.5 * ((y - (c - 85)) / 26) ** 2)
    trunk = 20 * np.exp(-0.5 * ((y - (c + 15)) / 22) ** 2)
    bottom = g.dome["left"][0] + 15
    t = np.clip((y - (c + 70)) / (bottom - (c + 70)), 0, 1)
    lv = 25 + (g.heart_left - 70) * (1 - (1 - t) ** 1.8) ** 0.9 * (y > c + 70)
    left = m + 40 + 5 * smoothstep(g.apex_y, c, y) + np.maximum(np.maximum(knob, trunk), lv)
    return np.asarray(right), np.asarray(left)


def cardiothoracic_ratio(p: ChestParams) -> float:
    """Widest cardiac diameter over the widest inner thoracic diameter."""
    g = geometry(p)
    ys = np.arange(g.carina_y + 60, g.dome["left"][0] + 10, 1.0)
    right, left = heart_borders(g, ys)
    heart = float(left.max() - right.min())
    thorax = 2 * float(lateral_wall(g, np.arange(g.apex_y, g.dome["right"][2])).max())
    return heart / thorax


# --- small numpy / Pillow helpers ------------------------------------------------------


def _taps(a: FloatArray, sigma: float, axis: int) -> FloatArray:
    r = math.ceil(3 * sigma)
    weights = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    weights /= weights.sum()
    widths = [(0, 0), (0, 0)]
    widths[axis] = (r, r)
    padded = np.pad(a.astype(np.float32), widths, mode="reflect")
    n = a.shape[axis]
    out = np.zeros(a.shape, dtype=np.float32)
    for i, w in enumerate(weights):
        out += np.float32(w) * (padded[i : i + n, :] if axis == 0 else padded[:, i : i + n])
    return out.astype(np.float64)


def blur(a: FloatArray, sigma: float) -> FloatArray:
    """Gaussian blur with reflecting edges; wide blurs run on a reduced copy."""
    if sigma <= 0:
        return a
    h, w = a.shape
    k = 1
    while sigma / (k * 2) >= 1.5 and h % (k * 2) == 0 and w % (k * 2) == 0 and k < 16:
        k *= 2
    small = a.reshape(h // k, k, w // k, k).mean(axis=(1, 3)) if k > 1 else a
    s = sigma / k
    small = _taps(_taps(small, s, 0), s, 1)
    if k == 1:
        return small
    image = Image.fromarray(small.astype(np.float32))
    return np.asarray(image.resize((w, h), Image.Resampling.BILINEAR), dtype=np.float64)


def smoothstep(edge0: float, edge1: float, x: FloatArray | float) -> FloatArray:
    t = np.clip((np.asarray(x) - edge0) / (edge1 - edge0), 0.0, 1.0)
    return np.asarray(t * t * (3 - 2 * t))


class Canvas:
    """Pillow drawing at twice the resolution, read back averaged (anti-aliased)."""

    def __init__(self) -> None:
        self.image = Image.new("F", (SIZE * 2, SIZE * 2), 0.0)
        self.draw = ImageDraw.Draw(self.image)

    def line(
        self,
        points: list[tuple[float, float]],
        width: float,
        value: float = 1.0,
        caps: bool = False,
    ) -> None:
        pts = [(x * 2, y * 2) for x, y in points]
        w = max(1, round(width * 2))
        self.draw.line(pts, fill=value, width=w, joint="curve")
        if caps:
            r = w / 2
            for x, y in (pts[0], pts[-1]):
                self.draw.ellipse([x - r, y - r, x + r, y + r], fill=value)

    def polygon(self, points: list[tuple[float, float]], value: float = 1.0) -> None:
        self.draw.polygon([(x * 2, y * 2) for x, y in points], fill=value)

    def ellipse(self, x: float, y: float, rx: float, ry: float, value: float = 1.0) -> None:
        self.draw.ellipse([(x - rx) * 2, (y - ry) * 2, (x + rx) * 2, (y + ry) * 2], fill=value)

    def array(self) -> FloatArray:
        return np.asarray(self.image.reduce(2), dtype=np.float64)


# --- the film -------------------------------------------------------------------------


@dataclass
class _Film:
    p: ChestParams
    g: Geometry
    rng: np.random.Generator
    xs: FloatArray  # image x of each column, shape (1, SIZE)
    ys: FloatArray  # anatomy y of each row, shape (SIZE, 1)
    oy: float  # image y = anatomy y + oy

    def pt(self, x: float, y: float) -> tuple[float, float]:
        """Anatomy point -> image point."""
        return (x, y + self.oy)


def _body_thickness(f: _Film) -> FloatArray:
    """Soft-tissue thickness (about 1 in the middle of the chest): neck, shoulders, arms."""
    g, xs, ys = f.g, f.xs, f.ys
    d = np.abs(xs - g.cx)
    torso_half = lateral_wall(g, np.maximum(ys, g.apex_y + 170)) + (55 if not g.child else 48)
    torso_half = torso_half - 0.10 * np.clip(ys - (g.dome["left"][2] + 30), 0, None)
    torso = np.clip(1 - (d / torso_half) ** 2, 0, None) ** 0.7
    torso = torso * smoothstep(g.apex_y - 70, g.apex_y + 60, ys)
    neck_half = 108.0 if not g.child else 122.0
    neck = 0.72 * np.sqrt(np.clip(1 - (d / neck_half) ** 2, 0, None))
    reach = (SIZE / 2 - neck_half) * 1.05
    top = g.apex_y - 70 + 190 * np.clip((d - neck_half + 30) / reach, 0, 1) ** 1.7
    armpit = g.apex_y + 130
    shoulder = 0.62 * smoothstep(0, 45, ys - top) * (1 - smoothstep(armpit - 40, armpit + 140, ys))
    arm = shoulder * smoothstep(0, 60, d - torso_half + 40)
    pectoral = 0.10 * np.exp(-0.5 * (((d - 300) / 110) ** 2 + ((ys - g.apex_y - 170) / 90) ** 2))
    t = np.maximum(np.maximum(torso + pectoral * torso, neck), arm)
    return blur(t, 2.5)


def _mediastinum(f: _Film) -> FloatArray:
    right, left = heart_borders(f.g, f.ys)
    return blur(((f.xs > right) & (f.xs < left)).astype(np.float64), 1.2)


def _lung_masks(f: _Film, medi: FloatArray) -> dict[str, FloatArray]:
    """Anti-aliased masks of the two lungs (before disease), outside the mediastinum."""
    g, xs, ys = f.g, f.xs, f.ys
    masks: dict[str, FloatArray] = {}
    for side in SIDES:
        sg = _sign(side)
        u = sg * (xs - g.cx)
        inside = (u > 0) & (ys > apex_top(g, u)) & (u < lateral_wall(g, ys))
        inside &= ys < dome_y(g, side, u)
        masks[side] = blur(inside.astype(np.float64), 1.2) * (1 - medi)
    return masks


def _depth(mask: FloatArray) -> FloatArray:
    """How much air a ray crosses: less at the edges of a lung, most in its middle."""
    return np.asarray(mask * (0.5 + 0.5 * np.clip(blur(mask, 24.0) * 1.3, 0, 1)))


def _branches(
    f: _Film,
    canvas: Canvas,
    start: tuple[float, float],
    angle: float,
    length: float,
    width: float,
    depth: int,
    value: float,
) -> None:
    """Draw a branching tree (vessels or bronchi) tapering toward the periphery."""
    rng = f.rng
    x, y = start
    pts = [f.pt(x, y)]
    for _ in range(4):
        angle += rng.normal(0, 0.10)
        x += math.cos(angle) * length / 4
        y += math.sin(angle) * length / 4
        pts.append(f.pt(x, y))
    canvas.line(pts, width, value * min(width, 12.0) / 12.0, caps=True)
    if depth <= 0 or width < 1.3:
        return
    spread = rng.uniform(0.30, 0.55)
    for turn, share in ((-spread, rng.uniform(0.7, 0.8)), (spread * 0.9, rng.uniform(0.62, 0.75))):
        _branches(
            f,
            canvas,
            (x, y),
            angle + turn,
            length * rng.uniform(0.72, 0.86),
            width * share,
            depth - 1,
            value,
        )


def _vessels(f: _Film) -> FloatArray:
    g = f.g
    canvas = Canvas()
    # (degrees below the horizontal, toward the patient's side), width, length
    trunks = (
        (-80, 8.0, 80),
        (-52, 8.5, 85),
        (-24, 8.5, 80),
        (6, 9.0, 85),
        (30, 11.0, 95),
        (54, 13.0, 100),
        (76, 13.0, 95),
        (96, 10.0, 85),
    )
    scale = 0.8 if g.child else 1.0
    for side in SIDES:
        sg = _sign(side)
        hx, hy = g.hilum[side]
        for deg, width, length in trunks:
            rad = math.radians(deg + f.rng.normal(0, 4))
            angle = math.atan2(math.sin(rad), sg * math.cos(rad))
            start = (hx + sg * 6 * math.cos(rad), hy + 0.45 * deg)
            _branches(f, canvas, start, angle, length * scale, width * scale, 7, 0.13)
    return blur(canvas.array(), 1.8)


def _rib_paths(
    g: Geometry, side: Side, rib: int
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Centre lines (anatomy pixels) of the posterior and anterior parts of rib ``rib``."""
    sg = _sign(side)
    k = rib - 1
    if g.child:
        y0 = g.apex_y - 16 + k * g.rib_step + 0.8 * k * k
    else:
        y0 = g.apex_y - 22 + k * g.rib_step + 1.5 * k * k
    reach = float(lateral_wall(g, y0 + 45)) + 12
    if rib >= 11:
        reach *= 0.45 + 0.1 * (12 - rib)
    post = []
    for i in range(41):
        u = i / 40
        x = g.spine_x + sg * (22 + u * (reach - 22))
        y = y0 - 20 * math.sin(math.pi * u * 0.9) + g.rib_drop * u**2.4
        post.append((x, y))
    if rib >= 11:
        return post, []
    ex, ey = post[-1]
    ant = [(ex, ey), (ex + sg * 5, ey + 10), (ex + sg * 4, ey + 22), (ex - sg * 2, ey + 32)]
    ex, ey = ant[-1]
    span = 0.52 * reach
    fall = (118.0 if rib > 1 else 70.0) if not g.child else 60.0
    for i in range(1, 25):
        v = i / 24
        x = ex - sg * (span * v + 8 * math.sin(math.pi * v))
        y = ey + fall * v - 20 * v * (1 - v)
        ant.append((x, y))
    return post, ant


def rib_point(p: ChestParams, side: Side, rib: int, at: float) -> tuple[float, float]:
    """Image position of a point ``at`` (0 spine – 1 lateral) along a posterior rib."""
    post, _ant = _rib_paths(geometry(p), side, rib)
    x, y = post[max(0, min(40, round(at * 40)))]
    return (x, y + p.quality.shift_down)


def _bones(f: _Film) -> FloatArray:
    """Ribs, clavicles, spine and humeral heads, with brighter cortices."""
    g, p = f.g, f.p
    post, inner, ant = Canvas(), Canvas(), Canvas()
    breaks = {(fr.side, fr.rib): fr for fr in p.fractures}
    scale = 0.75 if g.child else 1.0
    for side in SIDES:
        sg = _sign(side)
        for rib in range(1, 13):
            back, front = _rib_paths(g, side, rib)
            width = (19.0 + 0.6 * rib) * scale
            pieces = [back]
            fracture = breaks.get((side, rib))
            if fracture is not None:
                cut = max(2, min(38, round(fracture.at * 40)))
                near = back[:cut]
                far = [(x + sg * 1.0, y + fracture.step) for x, y in back[cut + 1 :]]
                front = [(x + sg * 1.0, y + fracture.step) for x, y in front]
                pieces = [near, far]
            for piece in pieces:
                pts = [f.pt(x, y) for x, y in piece]
                post.line(pts, width)
                inner.line(pts, width - 7 * scale)
            if front:
                ant.line([f.pt(x, y) for x, y in front], width - 5 * scale)
    ribs = 0.075 * post.array() - 0.022 * inner.array()
    # anterior ribs are fainter and fade into the costal cartilage toward the sternum
    cartilage = smoothstep(90, 190, np.abs(f.xs - g.cx))
    ribs += 0.042 * blur(ant.array(), 1.2) * cartilage
    clav, clav_in = Canvas(), Canvas()
    for side in SIDES:
        sg = _sign(side)
        lift = -34 if g.child else 0
        shape = (
            (44, 272),
            (85, 270),
            (140, 258),
            (205, 238),
            (270, 226),
            (330, 222),
            (380, 210),
            (418, 192),
        )
        pts = [f.pt(g.clav_x + sg * dx * (0.95 if g.child else 1.0), dy + lift) for dx, dy in shape]
        clav.line(pts, 32 * scale, caps=True)
        clav_in.line(pts, 22 * scale, caps=True)
    bones = blur(ribs + 0.20 * clav.array() - 0.06 * clav_in.array(), 0.9)
    return bones + _spine(f) + _humeri(f)


def _spine(f: _Film) -> FloatArray:
    g = f.g
    body, inner, rings = Canvas(), Canvas(), Canvas()
    scale = 0.8 if g.child else 1.0
    y = -f.oy - 30.0
    while y < SIZE - f.oy + 40:
        h = (30 + 0.022 * max(y, 0)) * scale
        w = (52 + 0.030 * max(y, 0)) * scale
        x0 = g.spine_x - w / 2
        body.polygon([f.pt(x0, y), f.pt(x0 + w, y), f.pt(x0 + w, y + h), f.pt(x0, y + h)])
        inner.polygon(
            [
                f.pt(x0 + 3, y + 3),
                f.pt(x0 + w - 3, y + 3),
                f.pt(x0 + w - 3, y + h - 3),
                f.pt(x0 + 3, y + h - 3),
            ]
        )
        for px in (x0 + 7 * scale, x0 + w - 7 * scale):
            cx, cy = f.pt(px, y + 0.4 * h)
            rings.ellipse(cx, cy, 5.5 * scale, 8.5 * scale, 1.0)
            rings.ellipse(cx, cy, 3.0 * scale, 5.5 * scale, 0.0)
        sx, sy = f.pt(g.spine_x, y + 0.85 * h)
        rings.ellipse(sx, sy, 5 * scale, 9 * scale, 0.6)
        y += h + 7 * scale
    return blur(0.075 * body.array() - 0.02 * inner.array() + 0.03 * rings.array(), 1.2)


def _humeri(f: _Film) -> FloatArray:
    g = f.g
    outer, inner = Canvas(), Canvas()
    r = 82.0 if not g.child else 58.0
    for sg in (-1, 1):
        x, y = f.pt(g.cx + sg * (478 if not g.child else 462), g.apex_y + 78)
        shaft = [(x + sg * 10, y + 20), (x + sg * 30, y + 160)]
        outer.ellipse(x, y, r, r)
        outer.line(shaft, r * 1.05)
        inner.ellipse(x, y, r - 7, r - 7)
        inner.line(shaft, r * 1.05 - 16)
        if g.child:  # the growth plate: a dark band across the head
            inner.line([(x - sg * 70, y + 6), (x + sg * 40, y + 34)], 5, 0.6)
    return blur(0.20 * outer.array() - 0.07 * inner.array(), 1.0)


def _disc(
    f: _Film,
    target: FloatArray,
    x: float,
    y: float,
    r: float,
    density: float,
    edge: float = 1.0,
    profile: Literal["sphere", "flat"] = "sphere",
    lobulation: float = 0.0,
) -> None:
    """Add a disc centred at image point (x, y) to ``target``, in a window around it."""
    m = int(r * 1.4 + 4 * edge + 4)
    x0, x1 = max(0, int(x) - m), min(SIZE, int(x) + m + 1)
    y0, y1 = max(0, int(y) - m), min(SIZE, int(y) + m + 1)
    if x0 >= x1 or y0 >= y1:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    dx, dy = xx - x, yy - y
    dist = np.hypot(dx, dy)
    r_eff: FloatArray | float = r
    if lobulation:
        theta = np.arctan2(dy, dx)
        ph = f.rng.uniform(0, 2 * math.pi, 2)
        r_eff = r * (1 + lobulation * (np.sin(3 * theta + ph[0]) + 0.6 * np.sin(5 * theta + ph[1])))
    inside = np.clip(1 - (dist / r_eff) ** 2, 0, None)
    flat = (inside > 0) * (0.8 + 0.2 * np.sqrt(inside))
    shape = np.sqrt(inside) if profile == "sphere" else flat
    target[y0:y1, x0:x1] += _taps(_taps(density * shape, edge, 0), edge, 1)


def _breasts(f: _Film, thick: FloatArray) -> FloatArray:
    g, p = f.g, f.p
    total = np.zeros((SIZE, SIZE))
    if p.breasts > 0:
        for side in SIDES:
            sg = _sign(side)
            bx, by = g.cx + sg * 235, g.dome[side][0] - 50
            rx, ry = 190.0, 140.0 * p.breasts**0.5
            dx, dy = (f.xs - bx) / rx, (f.ys - by) / ry
            inside = (dx * dx + dy * dy < 1).astype(np.float64)
            # thicker toward the lower margin, which is sharp; the upper edge fades away
            weight = smoothstep(-1.0, 0.75, dy)
            total += blur(inside * weight, 2.0) * 0.12 * p.breasts * np.clip(thick * 2.5, 0, 1)
    if p.nipples:
        # a nipple shadow is sharp on its outer edge and fades away on its inner edge
        for side, (x, y, d) in zip(SIDES, nipple_positions(p), strict=True):
            sharp, soft = np.zeros((SIZE, SIZE)), np.zeros((SIZE, SIZE))
            _disc(f, sharp, x, y, d / 2, 0.10, edge=0.9, profile="flat")
            _disc(f, soft, x, y, d / 2, 0.10, edge=3.5, profile="flat")
            outer = smoothstep(-0.6, 0.4, _sign(side) * (f.xs - x) / (d / 2))
            total += outer * sharp + (1 - outer) * soft
    return total


def nipple_positions(p: ChestParams) -> list[tuple[float, float, float]]:
    """(x, y, diameter) of the two nipple shadows, image pixels."""
    g = geometry(p)
    oy = p.quality.shift_down
    right = (g.cx - 258.0, g.dome["right"][0] - 62 + oy, 18.0)
    left = (g.cx + 250.0, g.dome["left"][0] - 76 + oy, 17.0)
    return [right, left]


def _nodules(f: _Film) -> FloatArray:
    total = np.zeros((SIZE, SIZE))
    for n in f.p.nodules:
        r = n.diameter / 2
        if n.kind == "solid":
            _disc(f, total, n.x, n.y, r, 0.0062 * n.diameter * n.density, 1.1, lobulation=0.05)
        elif n.kind == "part_solid":
            _disc(f, total, n.x, n.y, r, 0.05 * n.density, 2.5, lobulation=0.08)
            _disc(f, total, n.x, n.y, 0.45 * r, 0.13 * n.density, 1.1)
        else:  # calcified: small, very dense, sharp
            _disc(f, total, n.x, n.y, r, 0.34 * n.density, 0.6)
    return total


def tb_centre(p: ChestParams) -> tuple[float, float]:
    """Image position of the centre of the TB lesion."""
    assert p.tb is not None
    if p.tb.centre is not None:
        return p.tb.centre
    g = geometry(p)
    sg = _sign(p.tb.side)
    return (g.cx + sg * 205, g.apex_y + 150 + p.quality.shift_down)


def cavity_centre(p: ChestParams) -> tuple[float, float]:
    assert p.tb is not None
    cx, cy = tb_centre(p)
    return (cx + _sign(p.tb.side) * 14 * p.tb.extent, cy + 6 * p.tb.extent)


def _tuberculosis(f: _Film, lung: FloatArray) -> FloatArray:
    tb = f.p.tb
    assert tb is not None
    rng = f.rng
    cx, cy = tb_centre(f.p)
    rx, ry = 90 * tb.extent, 75 * tb.extent
    total = np.zeros((SIZE, SIZE))
    patch = blur(rng.normal(0, 1, (SIZE, SIZE)), 7.0)
    patch = smoothstep(-0.8, 1.4, patch / patch.std())
    dx, dy = (f.xs - cx) / rx, (f.ys + f.oy - cy) / ry
    total += 0.36 * np.exp(-1.2 * (dx * dx + dy * dy)) * patch
    for _ in range(int(45 * tb.extent) + 8):  # acinar nodules and tree-in-bud
        ang, rad = rng.uniform(0, 2 * math.pi), abs(rng.normal(0, 0.6))
        x, y = cx + math.cos(ang) * rad * rx, cy + math.sin(ang) * rad * ry
        _disc(f, total, x, y, rng.uniform(3.5, 8.0), rng.uniform(0.08, 0.16), 1.6)
    canvas = Canvas()  # fibrotic strands toward the hilum
    hx, hy = f.pt(*f.g.hilum[tb.side])
    for _ in range(7):
        sx, sy = cx + rng.normal(0, rx * 0.35), cy + rng.normal(0, ry * 0.35)
        t = rng.uniform(0.18, 0.32)
        mx, my = sx + (hx - sx) * t + rng.normal(0, 8), sy + (hy - sy) * t + rng.normal(0, 8)
        ex, ey = mx + (hx - sx) * 0.12 + rng.normal(0, 8), my + (hy - sy) * 0.12 + rng.normal(0, 8)
        canvas.line([(sx, sy), (mx, my), (ex, ey)], 3.0)
    total += 0.06 * blur(canvas.array(), 1.4)
    if tb.cavity:
        ox, oy = cavity_centre(f.p)
        d = np.hypot(f.xs - ox, f.ys + f.oy - oy)
        theta = np.arctan2(f.ys + f.oy - oy, f.xs - ox)
        r_out = (
            26 * tb.extent**0.5 * (1 + 0.08 * np.sin(2 * theta + 1.0) + 0.05 * np.sin(5 * theta))
        )
        wall = 6.0 * (1 + 0.35 * np.sin(3 * theta + 2.0))
        ring = np.exp(-0.5 * ((d - (r_out - wall / 2)) / (wall / 2.3)) ** 2)
        hole = blur((d < r_out - wall).astype(np.float64), 1.2)
        total = total * (1 - 0.9 * hole) + 0.22 * ring - 0.03 * hole
    return blur(total, 0.8) * tb.strength * np.clip(lung * 1.4, 0, 1)


def _consolidation(f: _Film, lungs: dict[str, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """(share of the lung's air replaced by exudate, air bronchogram lines)."""
    c = f.p.consolidation
    assert c is not None
    g = f.g
    side: Side = "left" if c.lobe == "lll" else "right"
    sg = _sign(side)
    hx, hy = g.hilum[side]
    if c.lobe == "rul":
        fissure = hy - 6 + 0.04 * np.clip(hx - f.xs, 0, None)  # the horizontal fissure
        region = 1 - smoothstep(-1.5, 1.5, f.ys - fissure)
    else:
        top = g.dome[side][0] - 250 * c.extent
        region = smoothstep(top - 40, top + 90, f.ys) * smoothstep(70, 130, sg * (f.xs - g.cx))
    mottle = blur(f.rng.normal(0, 1, (SIZE, SIZE)), 12.0)
    mottle = np.clip(0.93 + 0.07 * mottle / mottle.std(), 0, 1)
    fill = np.clip(region * mottle * c.strength, 0, 0.96)
    canvas = Canvas()
    base = -55 if c.lobe == "rul" else 65
    for deg in (base - 28, base, base + 28):
        rad = math.radians(deg)
        angle = math.atan2(math.sin(rad), sg * math.cos(rad))
        _branches(f, canvas, (hx + sg * 20, hy), angle, 65, 5.0, 3, 1.0)
    bronchi = blur(np.clip(canvas.array() * 2.0, 0, 1), 1.4) * smoothstep(0.45, 0.8, fill)
    return fill, bronchi


def _effusion(f: _Film, e: Effusion) -> FloatArray:
    """Pleural fluid (0–1) on one side, climbing the lateral wall as a meniscus."""
    g = f.g
    u = _sign(e.side) * (f.xs - g.cx)
    cp = g.dome[e.side][2]
    wall = float(lateral_wall(g, cp))
    level = cp - 0.5 * e.height
    meniscus = level - 0.5 * e.height * np.clip(u / wall, 0, 1.05) ** 4
    fluid = smoothstep(-4, 28, f.ys - meniscus) * (u > 0) * (u < wall + 8)
    fluid = fluid * (f.ys < dome_y(g, e.side, u) + 25 * np.clip(u / wall, 0, 1) ** 2)
    return blur(fluid, 1.5)


def _rim(px: Pneumothorax, g: Geometry, y: FloatArray | float) -> FloatArray:
    """Gap between chest wall and lung edge at anatomy height ``y``: widest at the apex."""
    cp = g.dome[px.side][2]
    t = np.clip((np.asarray(y) - g.apex_y) / (cp - g.apex_y), 0, 1)
    return np.asarray(px.rim * (1 - 0.7 * t**1.3))


def pleural_line_x(p: ChestParams, y: float) -> float:
    """Image x of the visceral pleural line on image row ``y`` (a film with a pneumothorax)."""
    assert p.pneumothorax is not None
    g = geometry(p)
    ya = y - p.quality.shift_down
    u = float(lateral_wall(g, ya)) - float(_rim(p.pneumothorax, g, ya))
    return g.cx + _sign(p.pneumothorax.side) * u


def _pneumothorax(f: _Film, lung: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(collapsed lung, visceral pleural line) on the side of the pneumothorax."""
    px = f.p.pneumothorax
    assert px is not None
    g = f.g
    u = _sign(px.side) * (f.xs - g.cx)
    ys = f.ys
    rim = _rim(px, g, ys)
    shrunk = (u < lateral_wall(g, ys) - rim) & (ys > apex_top(g, u) + 0.8 * px.rim)
    shrunk &= ys > g.apex_y + 0.85 * px.rim + 0.004 * (u - g.apex_u) ** 2
    collapsed = blur(shrunk.astype(np.float64), 0.9) * lung
    edge = blur(shrunk.astype(np.float64), 0.9)
    line = edge * (1 - edge) * 4 * lung * (u > 70)
    return collapsed, line


def render(p: ChestParams) -> npt.NDArray[np.uint8]:
    """The film for ``p`` as uint8 greyscale pixels (the same params, the same pixels)."""
    rng = np.random.default_rng(p.seed)
    g = geometry(p)
    oy = p.quality.shift_down
    xs = np.arange(SIZE, dtype=np.float64)[None, :]
    ys = np.arange(SIZE, dtype=np.float64)[:, None]
    f = _Film(p, g, rng, xs, ys - oy, oy)

    thick = _body_thickness(f)
    medi = _mediastinum(f)
    lungs = _lung_masks(f, medi)
    vessels = _vessels(f)
    air = {side: _depth(mask) for side, mask in lungs.items()}
    seen = {side: lungs[side].copy() for side in lungs}  # where lung markings show
    if g.child:  # the thymus: a "sail" to the right of the upper mediastinum
        c, m = g.carina_y, g.medi_x
        reach = 46 + 100 * np.clip((f.ys - (c - 150)) / 175, 0, 1) ** 0.6
        reach = reach + 5 * np.sin(f.ys / 13.0)
        sail = (f.ys > c - 150) & (f.ys < c + 25) & (xs > m - reach) & (xs < m)
        thymus = blur(sail.astype(np.float64), 2.0)
        air["right"] = air["right"] * (1 - 0.55 * thymus)
        seen["right"] = seen["right"] * (1 - 0.6 * thymus)
    extra = np.zeros((SIZE, SIZE))

    if p.consolidation is not None:
        side = "left" if p.consolidation.lobe == "lll" else "right"
        fill, bronchi = _consolidation(f, lungs)
        air[side] = air[side] * (1 - fill) + 0.22 * bronchi * air[side]
        seen[side] = seen[side] * (1 - fill)
    for e in p.effusions:
        fluid = _effusion(f, e) * np.clip(blur(lungs[e.side], 5.0) * 2.5, 0, 1)
        air[e.side] = air[e.side] * (1 - 0.95 * fluid)
        seen[e.side] = seen[e.side] * (1 - fluid)
        extra += 0.15 * fluid * np.clip(thick * 1.5, 0, 1)
    if p.pneumothorax is not None:
        side = p.pneumothorax.side
        collapsed, line = _pneumothorax(f, lungs[side])
        space = lungs[side] - collapsed
        air[side] = air[side] * collapsed * 1.05 + space * 1.15
        seen[side] = collapsed
        extra += 0.16 * line

    # The lower lobes lie behind the heart: a little air and a few vessels show through.
    behind = medi * smoothstep(g.carina_y + 100, g.carina_y + 200, f.ys)
    behind *= smoothstep(30, 60, np.abs(xs - g.medi_x)) * (f.ys < g.dome["left"][0] + 20)
    total_air = air["right"] + air["left"] + 0.25 * blur(behind, 6.0)
    markings = (seen["right"] + seen["left"] + 0.5 * behind) * vessels
    texture = blur(rng.normal(0, 1, (SIZE, SIZE)), 2.2)
    markings += 0.035 * texture * (seen["right"] + seen["left"])

    hila = np.zeros((SIZE, SIZE))
    for hx, hy in g.hilum.values():
        for dy, w in ((-22, 0.07), (18, 0.09)):
            hila += w * np.exp(-0.5 * (((xs - hx) / 18) ** 2 + ((f.ys - hy - dy) / 24) ** 2))

    a = thick * (1 - 0.74 * np.clip(total_air, 0, 1.15)) + markings + hila * (1 - medi) + extra
    lung_any = blur(np.clip(lungs["right"] + lungs["left"], 0, 1), 8.0)
    a += _bones(f) * np.clip(thick * 3, 0, 1) * (0.5 + 0.5 * lung_any)
    a += _breasts(f, thick) + _nodules(f)
    if p.tb is not None:
        a += _tuberculosis(f, lungs[p.tb.side])

    tube = Canvas()  # trachea and main bronchi
    cx_, cy_ = g.medi_x - 3, g.carina_y
    tube.line([f.pt(g.cx, -oy - 20), f.pt(g.cx - 1, cy_ - 150), f.pt(cx_, cy_)], 28)
    tube.line([f.pt(cx_, cy_), f.pt(cx_ - 38, cy_ + 48), f.pt(cx_ - 52, cy_ + 80)], 19)
    tube.line([f.pt(cx_, cy_), f.pt(cx_ + 45, cy_ + 34), f.pt(cx_ + 75, cy_ + 62)], 17)
    a -= 0.16 * blur(tube.array(), 1.8) * np.clip(thick, 0, 1)
    peak_l = g.dome["left"][0]  # gastric air with a fluid level
    bubble = ((xs - (g.cx + 150)) / 48) ** 2 + ((f.ys - (peak_l + 50)) / 30) ** 2 < 1
    bubble &= f.ys < peak_l + 58
    a -= 0.07 * blur(bubble.astype(np.float64), 2.0)

    q = p.quality
    if q.motion > 0:
        k = round(q.motion) // 2
        padded = np.pad(a, ((k, k), (0, 0)), mode="edge")
        a = np.mean([padded[i : i + SIZE] for i in range(2 * k + 1)], axis=0)
    a = np.clip(a, 0, None)

    gain = 1.9 * q.exposure
    film = 1 - np.exp(-gain * a)
    film = film + 0.5 * (film - blur(film, 24.0))  # the unsharp masking of digital films
    low, high = 1 - math.exp(-1.9 * 0.04), 1 - math.exp(-1.9 * 1.30)
    film = (film - low) / (high - low)
    grain = 0.0085 * q.noise * max(q.exposure, 1.0) ** 2
    film = film + blur(rng.normal(0, grain, (SIZE, SIZE)), 0.7)
    film = np.clip(film, 0, 1) ** 1.15
    out = np.round(film * 255).astype(np.uint8)
    if p.label:
        stamp_label(out)
    return out


# --- burned-in labels ---------------------------------------------------------------------

# 20-row bitmaps (bit per pixel, most significant bit on the left), rendered once from
# Noto Sans CJK SC Bold at 20 px so the labels do not depend on the fonts of a machine.
GLYPHS: dict[str, tuple[int, str]] = {
    "S": (11, "0 0 0 f8 1fe 3fe 384 780 3c0 3f0 1fc 7e f f 30f 7fe 3fc 1f8 0 0"),
    "I": (3, "0 0 0 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 0 0"),
    "M": (
        13,
        "0 0 0 1c07 1e0f 1e0f 1e0f 1f1f 1f1f 1b1b 1bbb 1db3 1df7 1df7 1ce7 1ce7 1c47 1c07 0 0",
    ),
    "U": (11, "0 0 0 707 707 707 707 707 707 707 707 707 707 707 78f 3fe 3fe f8 0 0"),
    "L": (9, "0 0 0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1c0 1fe 1ff 1ff 0 0"),
    "A": (13, "0 0 0 1e0 1f0 1f0 3b0 3b8 3b8 338 71c 71c 7fc ffe e0e e0e 1c0e 1c07 0 0"),
    "T": (11, "0 0 0 7ff 7ff 7fe 70 70 70 70 70 70 70 70 70 70 70 70 0 0"),
    "E": (9, "0 0 0 1ff 1ff 1fe 1c0 1c0 1c0 1fe 1fe 1fe 1c0 1c0 1c0 1ff 1ff 1ff 0 0"),
    "D": (11, "0 0 0 7f0 7fc 77e 70e 70f 707 707 707 707 707 70f 70e 77e 7fc 7f0 0 0"),
    "R": (11, "0 0 0 7f8 7fc 73e 70e 707 70e 70e 7fe 7fc 738 73c 71c 71e 70e 707 0 0"),
    "0": (10, "0 0 0 78 fc 1de 38e 387 387 387 387 387 387 387 18e 1de fc 78 0 0"),
    "1": (9, "0 0 0 78 1f8 1f8 38 38 38 38 38 38 38 38 38 78 1ff 1ff 0 0"),
    "2": (10, "0 0 0 f8 3fc 3de 10e e e e 1c 3c 38 70 e0 1ee 3ff 3ff 0 0"),
    "3": (10, "0 0 0 f8 3fc 1de e e 1e 7c 7c 1e f 7 10f 3fe 3fe f8 0 0"),
    "4": (11, "0 0 0 1e 3e 7e 7e ee 1ce 1ce 38e 39e 7ff 7ff e e e e 0 0"),
    "5": (10, "0 0 0 1fe 1fe 1fe 1c0 1c0 1f8 1fe 19e f 7 7 10e 3fe 3fc f8 0 0"),
    "6": (10, "0 0 0 7c fe 1fe 1c0 380 380 3bc 3fe 3cf 387 387 187 1ce fe 78 0 0"),
    "7": (10, "0 0 0 3ff 3ff 3fe e 1c 1c 38 38 30 70 70 70 70 70 70 0 0"),
    "8": (10, "0 0 0 78 1fc 1ce 186 186 1ce fc fc 1de 38f 387 387 3cf 1fe f8 0 0"),
    "9": (10, "0 0 0 f8 1fc 3de 38e 387 387 38f 1ff f7 7 e e 1fc 3fc f0 0 0"),
    "模": (
        19,
        "c19c c19c cfff cfff c19c 3f7fe 3c7fe e606 e7fe 1f7fe 1fffe 3d7fe 3c060 7cfff "
        "2cfff c1f8 c3dc cf8f cf07 cc02",
    ),
    "拟": (
        20,
        "18000 18c0c 18d0c 18f8c 7ed8c 7edcc 18cdc 18cfc 18cdc 1ec1c 7ec18 fec18 78cbc "
        "18ffc 18ffe 18f7e 19ce6 198e7 781c7 70080",
    ),
}
GLYPH_HEIGHT = 20


def _glyph(char: str) -> npt.NDArray[np.bool_]:
    if char == " ":
        return np.zeros((GLYPH_HEIGHT, 7), dtype=bool)
    width, rows = GLYPHS[char]
    bits = [int(r, 16) for r in rows.split()]
    return np.array([[(b >> (width - 1 - i)) & 1 for i in range(width)] for b in bits], bool)


def text_bitmap(text: str, scale: int = 1) -> npt.NDArray[np.bool_]:
    """``text`` as a boolean bitmap, 20 × ``scale`` pixels high, 2 px between glyphs."""
    parts: list[npt.NDArray[np.bool_]] = []
    for char in text:
        parts.extend([_glyph(char), np.zeros((GLYPH_HEIGHT, 2), dtype=bool)])
    bitmap = np.concatenate(parts[:-1], axis=1)
    return np.asarray(np.kron(bitmap, np.ones((scale, scale), dtype=bool)))


def stamp(
    image: npt.NDArray[np.uint8], text: str, x: int, y: int, scale: int = 1, pad: int = 5
) -> None:
    """Burn ``text`` into ``image`` at (x, y): white on a black box, like a film label."""
    bitmap = text_bitmap(text, scale)
    h, w = bitmap.shape
    image[y : y + h + 2 * pad, x : x + w + 2 * pad] = 0
    region = image[y + pad : y + pad + h, x + pad : x + pad + w]
    region[bitmap] = 255


def stamp_label(image: npt.NDArray[np.uint8]) -> None:
    """The "SIMULATED 模拟" label (bottom right) and the R side marker (top left)."""
    h, w = image.shape
    label = text_bitmap("SIMULATED 模拟")
    stamp(image, "SIMULATED 模拟", w - label.shape[1] - 10 - 12, h - GLYPH_HEIGHT - 10 - 12)
    stamp(image, "R", 16, 16, scale=2, pad=6)


# --- writing --------------------------------------------------------------------------


def png_bytes(pixels: npt.NDArray[np.uint8]) -> bytes:
    """Greyscale PNG with no metadata, written the same way every time."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=False, compress_level=9)
    return buffer.getvalue()


def film_png(p: ChestParams) -> bytes:
    return png_bytes(render(p))


# --- where the findings are (for writing the cases) -------------------------------------


def _box(mask: npt.NDArray[np.bool_]) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return (0, 0, 0, 0)
    x0, y0 = int(cols[0]), int(rows[0])
    return (x0, y0, int(cols[-1]) - x0 + 1, int(rows[-1]) - y0 + 1)


def findings(p: ChestParams) -> dict[str, tuple[int, int, int, int] | float]:
    """Bounding boxes (x, y, w, h in image pixels) of what ``p`` places, and the CTR."""
    g = geometry(p)
    oy = p.quality.shift_down
    xs = np.arange(SIZE, dtype=np.float64)[None, :]
    ys = np.arange(SIZE, dtype=np.float64)[:, None]
    f = _Film(p, g, np.random.default_rng(p.seed), xs, ys - oy, oy)
    medi = _mediastinum(f)
    lungs = _lung_masks(f, medi)
    out: dict[str, tuple[int, int, int, int] | float] = {"ctr": round(cardiothoracic_ratio(p), 3)}
    for i, n in enumerate(p.nodules):
        r = n.diameter / 2
        out[f"nodule{i}"] = (round(n.x - r), round(n.y - r), round(2 * r), round(2 * r))
    if p.nipples:
        for side, (x, y, d) in zip(("right", "left"), nipple_positions(p), strict=True):
            out[f"nipple_{side}"] = (round(x - d / 2), round(y - d / 2), round(d), round(d))
    if p.tb is not None:
        cx, cy = tb_centre(p)
        rx, ry = 90 * p.tb.extent * 1.15, 75 * p.tb.extent * 1.15
        out["tb"] = (round(cx - rx), round(cy - ry), round(2 * rx), round(2 * ry))
        if p.tb.cavity:
            x, y = cavity_centre(p)
            r = 28 * p.tb.extent**0.5
            out["cavity"] = (round(x - r), round(y - r), round(2 * r), round(2 * r))
    if p.consolidation is not None:
        fill, _b = _consolidation(f, lungs)
        side = "left" if p.consolidation.lobe == "lll" else "right"
        out["consolidation"] = _box((fill * lungs[side]) > 0.5)
    for e in p.effusions:
        out[f"effusion_{e.side}"] = _box((_effusion(f, e) * lungs[e.side]) > 0.5)
    if p.pneumothorax is not None:
        collapsed, _line = _pneumothorax(f, lungs[p.pneumothorax.side])
        out["pneumothorax"] = _box((lungs[p.pneumothorax.side] - collapsed) > 0.5)
    for fr in p.fractures:
        x, y = rib_point(p, fr.side, fr.rib, fr.at)
        out[f"fracture_{fr.side}_{fr.rib}"] = (round(x - 30), round(y - 30), 60, 60)
    return out


# --- the built-in assets ---------------------------------------------------------------

# The films of the pack ``chest-imaging`` (file name -> parameters). Each comment says
# what the case needs the film to show.
BUILTIN: dict[str, ChestParams] = {
    # 63-year-old smoker: a solid nodule of about 18 mm in the right upper zone.
    "cxr-nodule-001.png": ChestParams(seed=101, nodules=(Nodule(318, 352, 43),)),
    # 48-year-old woman: breast shadows and two symmetric nipple shadows, no nodule.
    "cxr-nodule-002.png": ChestParams(seed=102, sex="female", breasts=1.0, nipples=True),
    # 41-year-old man: cavitating fibronodular TB in the right upper zone.
    "cxr-tb-003.png": ChestParams(seed=103, tb=Tuberculosis("right", extent=1.15)),
    # 67-year-old diabetic: small fibronodular TB at the left apex, partly behind the
    # clavicle and first rib; no cavity.
    "cxr-tb-004.png": ChestParams(
        seed=104, tb=Tuberculosis("left", extent=0.6, cavity=False, centre=(700, 212))
    ),
    # 71-year-old woman, screening: a normal film.
    "cxr-tb-005.png": ChestParams(seed=105, sex="female", breasts=0.8),
    # 34-year-old woman: right upper lobe consolidation with air bronchograms.
    "cxr-pneumonia-006.png": ChestParams(
        seed=106, sex="female", breasts=0.9, consolidation=Consolidation("rul")
    ),
    # 28-year-old man: a moderate right pleural effusion with a meniscus.
    "cxr-effusion-007.png": ChestParams(seed=107, effusions=(Effusion("right", 250),)),
    # 74-year-old woman: cardiomegaly (CTR about 0.6) and small bilateral effusions.
    "cxr-cardio-008.png": ChestParams(
        seed=108,
        sex="female",
        breasts=0.5,
        heart_scale=1.45,
        effusions=(Effusion("right", 85), Effusion("left", 75)),
    ),
    # 22-year-old man: a left pneumothorax, lung edge about 4 cm from the apex.
    "cxr-ptx-009.png": ChestParams(seed=109, pneumothorax=Pneumothorax("left", 95)),
    # 58-year-old woman: under-exposed, rotated film with both costophrenic angles cut
    # off; a right basal pneumonia with a little fluid lies in the part that is missing.
    "cxr-quality-010.png": ChestParams(
        seed=110,
        sex="female",
        breasts=1.0,
        consolidation=Consolidation("rll", strength=0.7, extent=0.45),
        effusions=(Effusion("right", 45),),
        quality=Quality(exposure=1.75, rotation=30, shift_down=250),
    ),
    # 3-year-old boy: right lower lobe pneumonia; thymus and a child's proportions.
    "cxr-child-011.png": ChestParams(
        seed=111, child=True, consolidation=Consolidation("rll", strength=0.85, extent=0.8)
    ),
    # 66-year-old man: a small calcified granuloma in the right lower zone.
    "cxr-nodule-012.png": ChestParams(seed=112, nodules=(Nodule(292, 578, 17, "calcified"),)),
    # 70-year-old man after a fall: fracture of the left 7th rib, no pneumothorax.
    "cxr-fracture-013.png": ChestParams(seed=113, fractures=(RibFracture("left", 7, 0.88, 7),)),
}


# --- lesson figures -----------------------------------------------------------------------


def _arrow(image: Image.Image, tail: tuple[float, float], head: tuple[float, float]) -> None:
    """A white arrow with a black outline, so it shows on dark lung and white bone."""
    draw = ImageDraw.Draw(image)
    angle = math.atan2(head[1] - tail[1], head[0] - tail[0])
    tip = [
        head,
        (head[0] - 18 * math.cos(angle - 0.45), head[1] - 18 * math.sin(angle - 0.45)),
        (head[0] - 18 * math.cos(angle + 0.45), head[1] - 18 * math.sin(angle + 0.45)),
    ]
    shaft_end = (head[0] - 12 * math.cos(angle), head[1] - 12 * math.sin(angle))
    draw.line([tail, shaft_end], fill=0, width=7)
    draw.polygon(tip, fill=0, outline=0, width=3)
    draw.line([tail, shaft_end], fill=255, width=3)
    draw.polygon(tip, fill=255)


def _number(image: Image.Image, n: int, x: float, y: float, scale: int = 1) -> None:
    pixels = np.array(image)
    stamp(pixels, str(n), int(x), int(y), scale=scale, pad=4)
    image.paste(Image.fromarray(pixels))


def _panel(pixels: npt.NDArray[np.uint8], box: tuple[int, int, int, int], side: int) -> Image.Image:
    """Crop ``box`` (x0, y0, x1, y1) out of a film and resize it to ``side`` pixels wide."""
    crop = Image.fromarray(pixels).crop(box)
    height = round(side * crop.height / crop.width)
    return crop.resize((side, height), Image.Resampling.LANCZOS)


def _finish(image: Image.Image) -> bytes:
    pixels = np.array(image)
    label = text_bitmap("SIMULATED 模拟")
    h, w = pixels.shape
    stamp(pixels, "SIMULATED 模拟", w - label.shape[1] - 20, h - GLYPH_HEIGHT - 20)
    return png_bytes(pixels)


def figure_systematic_read() -> bytes:
    """A normal film with numbered landmarks for a systematic read (768 px)."""
    p = ChestParams(seed=201)
    g = geometry(p)
    film = Image.fromarray(render(replace(p, label=False)))
    s = 0.75
    image = film.resize((768, 768), Image.Resampling.LANCZOS)
    right_610, _l = heart_borders(g, np.array([610.0]))
    _r, left_650 = heart_borders(g, np.array([650.0]))
    cp_l = g.dome["left"][2]
    marks = [
        ((g.cx, 250.0), (g.cx - 130, 70.0)),  # 1 trachea
        ((g.medi_x + 80, g.carina_y - 85), (g.cx + 190, 300.0)),  # 2 aortic knob
        ((float(right_610[0]) + 4, 610.0), (g.cx - 330, 560.0)),  # 3 right heart border
        ((float(left_650[0]) - 4, 650.0), (g.cx + 300, 560.0)),  # 4 left heart border
        ((g.cx - 175, g.dome["right"][0] + 6), (g.cx - 260, 830.0)),  # 5 right hemidiaphragm
        ((g.cx + float(lateral_wall(g, cp_l)) - 8, cp_l - 10), (g.cx + 250, 880.0)),  # 6 CP angle
        ((g.clav_x - 200, 238.0), (g.cx - 330, 110.0)),  # 7 right clavicle
        ((g.hilum["right"][0] - 6, g.hilum["right"][1]), (g.cx - 300, 400.0)),  # 8 right hilum
    ]
    for n, (point, label) in enumerate(marks, start=1):
        _arrow(image, (label[0] * s + 12, label[1] * s + 14), (point[0] * s, point[1] * s))
        _number(image, n, label[0] * s, label[1] * s)
    return _finish(image)


def figure_nodule_or_nipple() -> bytes:
    """1: a true nodule; 2: two symmetric nipple shadows (two 512 × 440 panels)."""
    nodule = ChestParams(seed=202, nodules=(Nodule(300, 545, 28),), label=False)
    nipples = ChestParams(seed=203, sex="female", breasts=1.0, nipples=True, label=False)
    image = Image.new("L", (1024, 440))
    image.paste(_panel(render(nodule), (80, 340, 592, 780), 512), (0, 0))
    box = (150, 400, 874, 1022)
    image.paste(_panel(render(nipples), box, 512), (512, 0))
    _arrow(image, (300 - 80 + 95, 545 - 340 - 80), (300 - 80 + 20, 545 - 340 - 17))
    k = 512 / (box[2] - box[0])
    for x, y, _d in nipple_positions(nipples):
        px, py = 512 + (x - box[0]) * k, (y - box[1]) * k
        _arrow(image, (px + 15, py - 75), (px + 2, py - 10))
    _number(image, 1, 12, 12, scale=2)
    _number(image, 2, 524, 12, scale=2)
    image.paste(0, (510, 0, 514, 440))
    return _finish(image)


def figure_film_quality() -> bytes:
    """1 good; 2 under-exposed; 3 over-exposed; 4 rotated; 5 motion; 6 bases cut off."""
    base = ChestParams(seed=204, label=False)
    variants = [
        Quality(),
        Quality(exposure=1.8),
        Quality(exposure=0.55),
        Quality(rotation=32),
        Quality(motion=11),
        Quality(shift_down=250),
    ]
    image = Image.new("L", (3 * 384, 2 * 384))
    for i, q in enumerate(variants):
        panel = Image.fromarray(render(replace(base, quality=q))).resize(
            (384, 384), Image.Resampling.LANCZOS
        )
        image.paste(panel, ((i % 3) * 384, (i // 3) * 384))
        _number(image, i + 1, (i % 3) * 384 + 10, (i // 3) * 384 + 10)
    for k in (1, 2):
        image.paste(0, (k * 384 - 2, 0, k * 384 + 2, 768))
    image.paste(0, (0, 382, 1152, 386))
    return _finish(image)


def figure_pneumothorax() -> bytes:
    """A right pneumothorax: 1 the visceral pleural line; 2 no lung markings beyond it."""
    p = ChestParams(seed=205, pneumothorax=Pneumothorax("right", 85), label=False)
    g = geometry(p)
    image = _panel(render(p), (60, 60, 572, 572), 640)
    k = 640 / 512
    y = 330.0
    line_x = pleural_line_x(p, y) - 60
    _arrow(image, ((line_x + 150) * k, (y - 20) * k), ((line_x + 8) * k, (y - 60) * k))
    _number(image, 1, (line_x + 150) * k, (y - 20) * k)
    gap_x = g.cx - float(lateral_wall(g, 260.0)) + 30
    _arrow(image, ((gap_x - 60) * k + 10, 330 * k), ((gap_x - 60) * k, (260 - 60) * k + 10))
    _number(image, 2, (gap_x - 60) * k, 330 * k + 10)
    return _finish(image)


def figure_tb_patterns() -> bytes:
    """1: cavitating TB in the right upper zone; 2: a small left apical lesion."""
    obvious = ChestParams(seed=206, tb=Tuberculosis("right", extent=1.1), label=False)
    subtle = ChestParams(
        seed=207, tb=Tuberculosis("left", extent=0.6, cavity=False, centre=(705, 208)), label=False
    )
    image = Image.new("L", (1024, 512))
    image.paste(_panel(render(obvious), (100, 60, 612, 572), 512), (0, 0))
    image.paste(_panel(render(subtle), (470, 60, 982, 572), 512), (512, 0))
    cx, cy = cavity_centre(obvious)
    _arrow(image, (cx - 100 + 120, cy - 60 + 110), (cx - 100 + 30, cy - 60 + 28))
    _arrow(image, (512 + 705 - 470 + 110, 208 - 60 + 120), (512 + 705 - 470 + 22, 208 - 60 + 24))
    _number(image, 1, 12, 12, scale=2)
    _number(image, 2, 524, 12, scale=2)
    image.paste(0, (510, 0, 514, 512))
    return _finish(image)


FIGURES: dict[str, Callable[[], bytes]] = {
    "reading-the-output/figures/systematic-read.png": figure_systematic_read,
    "reading-the-output/figures/nodule-or-nipple.png": figure_nodule_or_nipple,
    "when-not-to-trust/figures/film-quality.png": figure_film_quality,
    "when-not-to-trust/figures/pneumothorax.png": figure_pneumothorax,
    "tb-and-referral/figures/tb-patterns.png": figure_tb_patterns,
}


def builtin_assets() -> dict[Path, Callable[[], bytes]]:
    """Every committed file this generator makes: path -> function giving its bytes."""
    assets: dict[Path, Callable[[], bytes]] = {}
    for name, params in BUILTIN.items():
        assets[PACK_ASSETS / name] = lambda params=params: film_png(params)  # type: ignore[misc]
    for name, make in FIGURES.items():
        assets[LESSONS / name] = make
    return assets


def main(argv: list[str] | None = None) -> int:
    """Rewrite the built-in films and figures (a developer tool; output is not translated)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--boxes", action="store_true", help="print where the findings are")
    parser.add_argument("--only", nargs="*", default=None, help="file names to rebuild")
    args = parser.parse_args(argv)
    for path, make in builtin_assets().items():
        if args.only is not None and path.name not in args.only:
            continue
        data = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data) // 1024} KB")
        if args.boxes and path.name in BUILTIN:
            for key, value in findings(BUILTIN[path.name]).items():
                print(f"    {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
