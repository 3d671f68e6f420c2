"""Seeded lesson figures for the "AI foundations" module (numpy and Pillow, no font files).

Four language-neutral diagrams for ``courses/modules/ai-foundations/figures/``:

- ``model-learns-from-examples.png``: labelled training examples, the rule a model learns
  from them, and two new patients, one inside and one far outside the examples;
- ``icon-array-1000.png``: 1000 villagers screened at 2% prevalence by a tool with 90%
  sensitivity and 90% specificity (true and false positives, missed cases);
- ``threshold-trade-off.png``: the same score distributions cut at a low and a high
  threshold, with the missed and falsely flagged shares;
- ``training-vs-village-ages.png``: the age mix of a hospital training cohort against the
  patients of a village clinic.

The only text drawn is numbers, single letters and a two-line "simulated" mark, made from
bitmap glyphs kept in this file, so the PNGs rebuild byte for byte on any machine (system
fonts differ). The lesson's Markdown captions carry the words in each language. Shapes
are drawn at twice the size and reduced for smooth edges; the scatter uses a fixed seed::

    python -m case_bank.generators.figures      # rewrite the figures
"""

from __future__ import annotations

import argparse
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

FIGURES_DIR = (
    Path(__file__).resolve().parent.parent.parent
    / "courses"
    / "modules"
    / "ai-foundations"
    / "figures"
)

SCALE = 2  # drawn at twice the final size, then reduced by averaging 2 × 2 blocks
SEED = 20250115

Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)
INK: Colour = (38, 38, 38)
MUTED: Colour = (118, 118, 118)
GRID: Colour = (226, 226, 226)
RED: Colour = (190, 40, 40)  # has the condition / event
LIGHT_RED: Colour = (244, 184, 178)  # missed (false negative)
BLUE: Colour = (46, 98, 168)  # does not have the condition
ORANGE: Colour = (238, 146, 24)  # false positive
LIGHT_ORANGE: Colour = (251, 214, 158)
PALE: Colour = (204, 209, 218)  # true negative
REGION: Colour = (232, 239, 249)  # where the training examples are

# --- bitmap glyphs ---------------------------------------------------------------------
# 5 × 7 capitals, digits and signs, one string of rows per glyph (drawn for this file).
ASCII_GLYPHS: dict[str, str] = {
    " ": "00000 00000 00000 00000 00000 00000 00000",
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "%": "11000 11001 00010 00100 01000 10011 00011",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    "+": "00000 00100 00100 11111 00100 00100 00000",
    "/": "00000 00001 00010 00100 01000 10000 00000",
    "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000",
    "=": "00000 00000 11111 00000 11111 00000 00000",
    "~": "00000 01000 10101 00010 01000 10101 00010",  # drawn as "approximately equal"
    "·": "00000 00000 00000 01100 01100 00000 00000",
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
}

# 24 × 24 bitmaps of the seven characters of "示意图 · 模拟数据", one hex number per row;
# rasterised once from Noto Sans CJK SC Regular (SIL Open Font License 1.1).
CJK_GLYPHS: dict[str, str] = {
    "示": "000000 000000 000000 000000 1ffff0 1ffff0 000000 000000 000000 000000 7ffffc 7ffffc"
    " 003800 003800 0638c0 0638c0 0c3860 0c3860 183830 383838 303818 703818 203808 01f000",
    "意": "000000 000000 003000 001800 1ffff0 1ffff0 030180 018300 3ffffc 3ffff8 000000 0fffe0"
    " 0c0060 0c0060 0fffe0 0c0060 0c0060 0fffe0 003000 09b860 198c30 198198 318198 21ff08",
    "图": "000000 000000 000000 3ffff8 3ffff8 300018 306018 30e018 31ff98 338318 37c618 347c18"
    " 307c18 31ef98 3f83f8 347058 303c18 300418 31f018 30ff18 300718 300018 3ffff8 3ffff8",
    "模": "000000 000000 000840 0c0860 0c7ff8 0cfffc 0c0860 7f0840 7f7ff8 0c6038 1c6018 1e7ff8"
    " 1e6038 1f6018 3d6038 3d7ff8 6c0300 6cfff8 4cfffc 0c0780 0c0cc0 0c1ce0 0cf878 0de01c",
    "拟": "000000 000000 080000 0c2030 0c6030 0c6c30 0c6c30 7e6630 7f6630 0c6330 0c6330 0c6330"
    " 0c6020 0f6060 1f6060 7c6060 7c6270 0c6ef0 0c7cd8 0c7998 0c618c 0cc38c 0c070c 780604",
    "数": "000000 000000 020000 332300 336300 1b6300 134200 7ff7fc 3ff7fc 0fc630 1fee30 3b2f30"
    " 730f30 041b20 060160 7fe1e0 3fe1c0 1860c0 18c1c0 1f81e0 078370 0fc638 3c5c1c 70380c",
    "据": "000000 000000 080000 0c7ff8 0c7ff8 0c6018 0c6018 7f6018 7f7ff8 0c7ff8 0c6180 0c6180"
    " 0c7ffc 0f7ffc 1f6180 7c6180 7c6180 0cdff8 0cdff8 0cd808 0cd808 0d9808 0d9ff8 799ff8",
}
CJK_SIZE = 24


def _ascii_rows(char: str) -> list[str]:
    return ASCII_GLYPHS[char].split()


def _cjk_rows(char: str) -> list[str]:
    return [format(int(row, 16), f"0{CJK_SIZE}b") for row in CJK_GLYPHS[char].split()]


# --- a canvas in final-pixel coordinates -----------------------------------------------


class Canvas:
    """An RGB drawing in final pixels; drawn at ``SCALE`` times the size for smooth edges."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _px(value: float) -> int:
        return round(value * SCALE)

    def _xy(self, points: Sequence[tuple[float, float]]) -> list[tuple[int, int]]:
        return [(self._px(x), self._px(y)) for x, y in points]

    def line(
        self, points: Sequence[tuple[float, float]], colour: Colour, width: float = 1.0
    ) -> None:
        self.draw.line(self._xy(points), fill=colour, width=max(1, self._px(width)), joint="curve")

    def dashed(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        colour: Colour,
        width: float = 1.0,
        dash: float = 6.0,
    ) -> None:
        (x0, y0), (x1, y1) = start, end
        length = math.hypot(x1 - x0, y1 - y0)
        steps = max(1, int(length // dash))
        for i in range(0, steps, 2):
            a, b = i / steps, min(1.0, (i + 1) / steps)
            self.line(
                [
                    (x0 + a * (x1 - x0), y0 + a * (y1 - y0)),
                    (x0 + b * (x1 - x0), y0 + b * (y1 - y0)),
                ],
                colour,
                width,
            )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1.0,
    ) -> None:
        box = (self._px(x0), self._px(y0), self._px(x1) - 1, self._px(y1) - 1)
        self.draw.rectangle(box, fill=fill, outline=outline, width=self._px(width))

    def circle(
        self,
        cx: float,
        cy: float,
        r: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 1.0,
    ) -> None:
        box = (self._px(cx - r), self._px(cy - r), self._px(cx + r), self._px(cy + r))
        self.draw.ellipse(box, fill=fill, outline=outline, width=self._px(width))

    def polygon(self, points: Sequence[tuple[float, float]], fill: Colour) -> None:
        self.draw.polygon(self._xy(points), fill=fill)

    def star(self, cx: float, cy: float, r: float, fill: Colour) -> None:
        points = []
        for i in range(10):
            radius = r if i % 2 == 0 else r * 0.45
            angle = -math.pi / 2 + i * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        self.polygon(points, fill)

    # -- text -----------------------------------------------------------------------------
    @staticmethod
    def text_width(text: str, size: float) -> float:
        """Width in final pixels of ``text`` in the 5 × 7 glyphs at ``size`` px per dot."""
        return (6 * len(text) - 1) * size if text else 0.0

    def text(
        self,
        x: float,
        y: float,
        text: str,
        colour: Colour = INK,
        size: float = 2.0,
        align: str = "left",
        valign: str = "top",
    ) -> None:
        """Write ``text`` with the 5 × 7 glyphs; ``size`` final pixels per glyph dot."""
        dot = self._px(size)
        if dot < 1:
            raise ValueError("text size too small")
        width = self.text_width(text, size)
        left = x - {"left": 0.0, "centre": width / 2, "right": width}[align]
        top = y - {"top": 0.0, "middle": 3.5 * size, "bottom": 7 * size}[valign]
        ox, oy = self._px(left), self._px(top)
        for index, char in enumerate(text):
            for row, bits in enumerate(_ascii_rows(char)):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        px = ox + (index * 6 + col) * dot
                        py = oy + row * dot
                        self.draw.rectangle((px, py, px + dot - 1, py + dot - 1), fill=colour)

    def cjk(self, x: float, y: float, text: str, colour: Colour) -> float:
        """Write CJK glyphs (and a narrow '·') at one canvas pixel per dot; returns the end x."""
        ox, oy = self._px(x), self._px(y)
        for char in text:
            if char == "·":
                c, m = ox + CJK_SIZE // 4, oy + CJK_SIZE // 2
                self.draw.ellipse((c - 3, m - 3, c + 2, m + 2), fill=colour)
                ox += CJK_SIZE // 2
                continue
            for row, bits in enumerate(_cjk_rows(char)):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        self.draw.point((ox + col, oy + row), fill=colour)
            ox += CJK_SIZE + 2
        return ox / SCALE

    @staticmethod
    def cjk_width(text: str) -> float:
        """Width in final pixels of ``text`` written with :meth:`cjk`."""
        dots = sum(CJK_SIZE // 2 if char == "·" else CJK_SIZE + 2 for char in text)
        return dots / SCALE

    def mark_simulated(self) -> None:
        """The two-line "illustration, simulated data" mark in the bottom right corner."""
        english = "ILLUSTRATION · SIMULATED DATA"
        right = self.width - 8
        bottom = self.height - 6
        self.text(right, bottom, english, MUTED, size=1.5, align="right", valign="bottom")
        chinese = "示意图·模拟数据"
        self.cjk(
            right - self.cjk_width(chinese), bottom - 10.5 - 4 - CJK_SIZE / SCALE, chinese, MUTED
        )

    def png(self) -> bytes:
        """The figure at its final size as PNG bytes (no metadata, same bytes every time)."""
        final = self.image.reduce(SCALE)
        buffer = io.BytesIO()
        final.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()


# --- axes ------------------------------------------------------------------------------


class Axes:
    """A plot rectangle mapping data values to final pixels."""

    def __init__(
        self,
        canvas: Canvas,
        box: tuple[float, float, float, float],
        xlim: tuple[float, float],
        ylim: tuple[float, float],
    ) -> None:
        self.canvas = canvas
        self.x0, self.y0, self.x1, self.y1 = box
        self.xlim, self.ylim = xlim, ylim

    def x(self, value: float) -> float:
        lo, hi = self.xlim
        return self.x0 + (value - lo) / (hi - lo) * (self.x1 - self.x0)

    def y(self, value: float) -> float:
        lo, hi = self.ylim
        return self.y1 - (value - lo) / (hi - lo) * (self.y1 - self.y0)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return self.x(x), self.y(y)

    def frame(
        self,
        xticks: Sequence[float],
        yticks: Sequence[float],
        xfmt: Callable[[float], str] = lambda v: f"{v:g}",
        yfmt: Callable[[float], str] = lambda v: f"{v:g}",
        grid: bool = True,
    ) -> None:
        c = self.canvas
        for v in yticks:
            if grid:
                c.line([(self.x0, self.y(v)), (self.x1, self.y(v))], GRID, 1)
            c.text(self.x0 - 7, self.y(v), yfmt(v), INK, 1.5, align="right", valign="middle")
        for v in xticks:
            c.line([(self.x(v), self.y1), (self.x(v), self.y1 + 4)], INK, 1)
            c.text(self.x(v), self.y1 + 8, xfmt(v), INK, 1.5, align="centre")
        c.line([(self.x0, self.y0), (self.x0, self.y1), (self.x1, self.y1)], INK, 1.5)


# --- figure 1: a model learns from examples --------------------------------------------

TRAINING_AGES = (26.0, 70.0)
NEW_PATIENTS = {"A": (58.0, 162.0), "B": (86.0, 122.0)}  # age, systolic pressure


def _boundary_sbp(age: float) -> float:
    """The learned rule: above this systolic pressure the model says "high risk"."""
    return 145.0 - 1.6 * (age - 50.0)


def training_examples(seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ages, systolic pressures and outcomes (True = event) of the seeded examples."""
    rng = np.random.default_rng(seed)
    n = 170
    age = rng.normal(47.0, 9.0, 4 * n)
    sbp = 104.0 + 0.8 * (age - 30.0) + rng.normal(0.0, 14.0, 4 * n)
    inside = (age >= TRAINING_AGES[0]) & (age <= TRAINING_AGES[1]) & (sbp >= 96) & (sbp <= 198)
    age, sbp = age[inside][:n], sbp[inside][:n]
    margin = (sbp - np.array([_boundary_sbp(a) for a in age])) / 12.0
    event = margin + rng.normal(0.0, 0.7, n) > 0.0
    return age, sbp, event


def model_learns_from_examples() -> bytes:
    canvas = Canvas(600, 420)
    ax = Axes(canvas, (64, 16, 584, 336), (20, 95), (90, 205))
    # Where the examples are: a shaded band over the training ages.
    canvas.rect(ax.x(TRAINING_AGES[0]), ax.y0, ax.x(TRAINING_AGES[1]), ax.y1, fill=REGION)
    ax.frame(range(20, 100, 10), range(100, 201, 20))
    age, sbp, event = training_examples()
    for a, s, e in zip(age, sbp, event, strict=True):
        cx, cy = ax.xy(float(a), float(s))
        if e:
            canvas.circle(cx, cy, 4.2, fill=RED)
        else:
            canvas.circle(cx, cy, 4.0, outline=BLUE, width=1.5)
    # The learned rule: solid where there were examples, dashed where it extrapolates.
    lo, hi = TRAINING_AGES
    canvas.line([ax.xy(lo, _boundary_sbp(lo)), ax.xy(hi, _boundary_sbp(hi))], INK, 2.5)
    left_end = (95.0 - 145.0) / -1.6 + 50.0  # where the rule leaves the plot at the bottom
    canvas.dashed(ax.xy(hi, _boundary_sbp(hi)), ax.xy(left_end, 95.0), INK, 2.0, 7.0)
    canvas.dashed(ax.xy(20.0, _boundary_sbp(20.0)), ax.xy(lo, _boundary_sbp(lo)), INK, 2.0, 7.0)
    for letter, (a, s) in NEW_PATIENTS.items():
        cx, cy = ax.xy(a, s)
        canvas.circle(cx, cy, 13, fill=WHITE)
        canvas.star(cx, cy, 11, INK)
        canvas.text(cx + 14, cy - 18, letter, INK, 2.5)
    canvas.mark_simulated()
    return canvas.png()


# --- figure 2: 1000 villagers at 2% prevalence -----------------------------------------

POPULATION = 1000
PREVALENCE = 0.02
SENSITIVITY = 0.90
SPECIFICITY = 0.90
ICON_COLUMNS = 40
ICON_PITCH = 11.0
ICON_SIZE = 9.0
ICON_ORIGIN = (24.0, 24.0)
ICON_FILLS: dict[str, Colour] = {
    "true_positive": RED,
    "false_negative": LIGHT_RED,
    "false_positive": ORANGE,
    "true_negative": PALE,
}


def icon_counts() -> dict[str, int]:
    """How many of the 1000 fall in each cell of the two-by-two table."""
    sick = round(POPULATION * PREVALENCE)
    well = POPULATION - sick
    tp = round(sick * SENSITIVITY)
    tn = round(well * SPECIFICITY)
    return {
        "true_positive": tp,
        "false_negative": sick - tp,
        "false_positive": well - tn,
        "true_negative": tn,
    }


def icon_cells() -> list[tuple[float, float, str]]:
    """Centre (final pixels) and kind of every icon, filled row by row."""
    kinds = [kind for kind, n in icon_counts().items() for _ in range(n)]
    x0, y0 = ICON_ORIGIN
    cells = []
    for index, kind in enumerate(kinds):
        row, col = divmod(index, ICON_COLUMNS)
        cells.append(
            (x0 + col * ICON_PITCH + ICON_SIZE / 2, y0 + row * ICON_PITCH + ICON_SIZE / 2, kind)
        )
    return cells


def icon_array() -> bytes:
    canvas = Canvas(600, 400)
    half = ICON_SIZE / 2
    for cx, cy, kind in icon_cells():
        outline = RED if kind == "false_negative" else None
        canvas.rect(
            cx - half,
            cy - half,
            cx + half,
            cy + half,
            fill=ICON_FILLS[kind],
            outline=outline,
            width=1.5 if outline else 0,
        )
    counts = icon_counts()
    legend_x, legend_y = 486.0, 30.0
    for i, kind in enumerate(ICON_FILLS):
        y = legend_y + i * 34
        outline = RED if kind == "false_negative" else None
        canvas.rect(
            legend_x,
            y,
            legend_x + 16,
            y + 16,
            fill=ICON_FILLS[kind],
            outline=outline,
            width=1.5 if outline else 0,
        )
        canvas.text(legend_x + 26, y + 8, str(counts[kind]), INK, 2.0, valign="middle")
    tp, fp = counts["true_positive"], counts["false_positive"]
    tn, fn = counts["true_negative"], counts["false_negative"]
    grid_bottom = ICON_ORIGIN[1] + (POPULATION // ICON_COLUMNS) * ICON_PITCH
    ppv = f"{tp} / ({tp} + {fp}) ~ {round(100 * tp / (tp + fp))}%"
    npv = f"{tn} / ({tn} + {fn}) ~ {100 * tn / (tn + fn):.1f}%"
    canvas.rect(ICON_ORIGIN[0], grid_bottom + 18, ICON_ORIGIN[0] + 14, grid_bottom + 32, fill=RED)
    canvas.text(ICON_ORIGIN[0] + 24, grid_bottom + 25, ppv, INK, 2.0, valign="middle")
    canvas.rect(ICON_ORIGIN[0], grid_bottom + 46, ICON_ORIGIN[0] + 14, grid_bottom + 60, fill=PALE)
    canvas.text(ICON_ORIGIN[0] + 24, grid_bottom + 53, npv, INK, 2.0, valign="middle")
    canvas.mark_simulated()
    return canvas.png()


# --- figure 3: two thresholds on the same scores ---------------------------------------

WELL_SCORES = (0.32, 0.11)  # mean and standard deviation of the score without the condition
SICK_SCORES = (0.68, 0.12)
THRESHOLDS = {"A": 0.40, "B": 0.58}


def _cdf(x: float, mean: float, sd: float) -> float:
    return 0.5 * (1.0 + math.erf((x - mean) / (sd * math.sqrt(2.0))))


def threshold_performance(threshold: float) -> tuple[float, float]:
    """(sensitivity, specificity) when scores at or above ``threshold`` count as positive."""
    sensitivity = 1.0 - _cdf(threshold, *SICK_SCORES)
    specificity = _cdf(threshold, *WELL_SCORES)
    return sensitivity, specificity


def _pdf(x: np.ndarray, mean: float, sd: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mean) / sd) ** 2)


THRESHOLD_PANELS = {"A": (16.0, 176.0), "B": (200.0, 360.0)}  # top and bottom of each panel


def threshold_trade_off() -> bytes:
    canvas = Canvas(600, 440)
    xs = np.linspace(0.0, 1.0, 401)
    well = _pdf(xs, *WELL_SCORES)
    sick = _pdf(xs, *SICK_SCORES)
    for letter, (top, bottom) in THRESHOLD_PANELS.items():
        threshold = THRESHOLDS[letter]
        ax = Axes(canvas, (64, top, 584, bottom), (0.0, 1.0), (0.0, 1.15))
        if letter == "B":
            ax.frame([0, 0.2, 0.4, 0.6, 0.8, 1.0], [], xfmt=lambda v: f"{v:.1f}", grid=False)
        else:
            canvas.line([(ax.x0, ax.y0), (ax.x0, ax.y1), (ax.x1, ax.y1)], INK, 1.5)
        missed = xs <= threshold
        flagged = xs >= threshold
        canvas.polygon(
            [
                ax.xy(0.0, 0.0),
                *[ax.xy(float(x), float(v)) for x, v in zip(xs[missed], sick[missed], strict=True)],
                ax.xy(threshold, 0.0),
            ],
            LIGHT_RED,
        )
        canvas.polygon(
            [
                ax.xy(threshold, 0.0),
                *[
                    ax.xy(float(x), float(v))
                    for x, v in zip(xs[flagged], well[flagged], strict=True)
                ],
                ax.xy(1.0, 0.0),
            ],
            LIGHT_ORANGE,
        )
        canvas.line([ax.xy(float(x), float(v)) for x, v in zip(xs, well, strict=True)], BLUE, 2.0)
        canvas.line([ax.xy(float(x), float(v)) for x, v in zip(xs, sick, strict=True)], RED, 2.0)
        canvas.line([ax.xy(threshold, 0.0), ax.xy(threshold, 1.12)], INK, 2.5)
        canvas.text(ax.x(threshold) + 6, ax.y(1.12), letter, INK, 2.5)
        sensitivity, specificity = threshold_performance(threshold)
        canvas.rect(478, top + 6, 492, top + 20, fill=LIGHT_RED)
        canvas.text(500, top + 13, f"{round(100 * (1 - sensitivity))}%", INK, 2.0, valign="middle")
        canvas.rect(478, top + 30, 492, top + 44, fill=LIGHT_ORANGE)
        canvas.text(500, top + 37, f"{round(100 * (1 - specificity))}%", INK, 2.0, valign="middle")
    canvas.mark_simulated()
    return canvas.png()


# --- figure 4: who was in the training data --------------------------------------------

AGE_BINS = list(range(20, 95, 5))  # lower edges of five-year bins, 20-24 ... 90-94
TRAINING_AGE_MIX = (48.0, 10.0, 20.0, 75.0)  # mean, sd, youngest, oldest of the cohort
VILLAGE_AGE_MIX = (68.0, 10.0, 30.0, 95.0)


def age_shares(mix: tuple[float, float, float, float]) -> list[float]:
    """Percentage of people in each five-year bin of a truncated normal age mix."""
    mean, sd, lo, hi = mix
    mass = []
    for edge in AGE_BINS:
        a, b = max(edge, lo), min(edge + 5, hi)
        mass.append(max(0.0, _cdf(b, mean, sd) - _cdf(a, mean, sd)) if b > a else 0.0)
    total = sum(mass)
    return [100.0 * m / total for m in mass]


def training_vs_village_ages() -> bytes:
    canvas = Canvas(600, 380)
    ax = Axes(canvas, (64, 16, 584, 300), (20, 95), (0, 22))
    ax.frame(range(20, 100, 10), range(0, 21, 5), yfmt=lambda v: f"{v:g}%")
    training = age_shares(TRAINING_AGE_MIX)
    village = age_shares(VILLAGE_AGE_MIX)
    for edge, t, v in zip(AGE_BINS, training, village, strict=True):
        left, mid, right = ax.x(edge + 0.4), ax.x(edge + 2.5), ax.x(edge + 4.6)
        if v > 0.05:
            canvas.rect(mid, ax.y(v), right, ax.y1, fill=ORANGE)
        if t > 0.05:
            canvas.rect(left, ax.y(t), mid, ax.y1, fill=REGION, outline=BLUE, width=1.5)
    oldest = TRAINING_AGE_MIX[3]
    canvas.dashed((ax.x(oldest), ax.y0), (ax.x(oldest), ax.y1), BLUE, 1.5, 6.0)
    canvas.mark_simulated()
    return canvas.png()


# --- the committed files -----------------------------------------------------------------

BUILTIN: dict[str, Callable[[], bytes]] = {
    "model-learns-from-examples.png": model_learns_from_examples,
    "icon-array-1000.png": icon_array,
    "threshold-trade-off.png": threshold_trade_off,
    "training-vs-village-ages.png": training_vs_village_ages,
}


def builtin_assets() -> dict[Path, Callable[[], bytes]]:
    """Every committed figure: absolute path -> function returning the exact file bytes."""
    return {FIGURES_DIR / name: make for name, make in BUILTIN.items()}


def main(argv: list[str] | None = None) -> int:
    """Regenerate the figures (a developer tool; output is not translated)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=FIGURES_DIR, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, make in BUILTIN.items():
        data = make()
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
