"""What the certificate and transcript PDFs share: embedded fonts, colours, bilingual
labels and a few drawing helpers.

Only TrueType fonts shipped in ``records/fonts/`` are used (a GB 2312 subset of AR PL
UMing for Chinese, Liberation Serif for Latin text), so every PDF embeds its fonts and
prints the same on any PC; reportlab's built-in Helvetica is never used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from xiangyi.i18n import N_, translate_to

# Images are stored binary (Flate) rather than ASCII85-encoded: smaller files, and the
# pure-Python ASCII85 encoder was the largest cost of a certificate.
rl_config.useA85 = 0

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
CJK = "XiangyiUMing"
LATIN = "XiangyiSerif"
LATIN_BOLD = "XiangyiSerif-Bold"

INK = HexColor("#1F1F1F")
MUTED = HexColor("#5A5550")
RED = HexColor("#9E1B1B")  # the deep red of Chinese official documents
GOLD = HexColor("#B08D57")
PALE = HexColor("#F7F1E6")
RULE = HexColor("#D8CBB3")


@cache
def register_fonts() -> tuple[str, str, str]:
    """Register the shipped fonts once per process; returns (CJK, Latin, Latin bold)."""
    pdfmetrics.registerFont(TTFont(CJK, str(FONT_DIR / "UMingCN-subset.ttf")))
    pdfmetrics.registerFont(TTFont(LATIN, str(FONT_DIR / "LiberationSerif-Regular-subset.ttf")))
    pdfmetrics.registerFont(TTFont(LATIN_BOLD, str(FONT_DIR / "LiberationSerif-Bold-subset.ttf")))
    return CJK, LATIN, LATIN_BOLD


def zh(message: str) -> str:
    """A label in Chinese, whatever the UI language (the document is bilingual)."""
    return translate_to("zh_CN", message)


def en(message: str) -> str:
    return translate_to("en", message)


def new_canvas(target: object, size: tuple[float, float], title: str, subject: str) -> Canvas:
    register_fonts()
    canvas = Canvas(
        target,
        pagesize=size,
        pageCompression=1,
        initialFontName=LATIN,
        initialFontSize=10,
    )
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setAuthor("Xiangyi")
    canvas.setCreator("Xiangyi")
    return canvas


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` into runs: with the Chinese font, ASCII goes in the Latin face (the
    Chinese font's own Latin letters are monospaced and look typewritten)."""
    if font != CJK:
        return [(text, font)]
    out: list[tuple[str, str]] = []
    for ch in text:
        face = LATIN if ch.isascii() and (ch != " " or (out and out[-1][1] == LATIN)) else CJK
        if out and out[-1][1] == face:
            out[-1] = (out[-1][0] + ch, face)
        else:
            out.append((ch, face))
    return out


def text_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(part, face, size) for part, face in runs(text, font))


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 6.0) -> float:
    """The largest font size ≤ ``size`` at which ``text`` fits ``width``."""
    while size > smallest and text_width(text, font, size) > width:
        size -= 0.5
    return size


def _draw_runs(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    for part, face in runs(text, font):
        canvas.setFont(face, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, face, size)


def draw_centred(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    colour: Color = INK,
    spacing: float = 0.0,
    width: float | None = None,
) -> None:
    """Centred text, optionally letter-spaced and shrunk to fit ``width``."""
    if width is not None:
        size = fit_size(text, font, size, width)
    canvas.setFillColor(colour)
    if not spacing:
        _draw_runs(canvas, x - text_width(text, font, size) / 2, y, text, font, size)
        return
    total = pdfmetrics.stringWidth(text, font, size) + spacing * (len(text) - 1)
    canvas.saveState()  # character spacing belongs to the graphics state: keep it local
    obj = canvas.beginText(x - total / 2, y)
    obj.setFont(font, size)
    obj.setCharSpace(spacing)
    obj.textOut(text)
    canvas.drawText(obj)
    canvas.restoreState()


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    colour: Color = INK,
    width: float | None = None,
    right: bool = False,
) -> None:
    if width is not None:
        size = fit_size(text, font, size, width)
    canvas.setFillColor(colour)
    _draw_runs(canvas, x - text_width(text, font, size) if right else x, y, text, font, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking that works for Chinese (no spaces) and English (words)."""
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    for token in tokens:
        candidate = current + token
        if current and text_width(candidate.rstrip(), font, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


PAGE_LABEL = N_("Page")


class PagedWriter:
    """Top-to-bottom layout of a bilingual A4 document: page breaks, a footer on every
    page ("who · title" on the left, the page number on the right) and section headings.
    ``y`` is the next free line; subclasses add their own tables."""

    def __init__(
        self, canvas: Canvas, who: str, title: str, margins: tuple[float, float, float, float]
    ) -> None:
        self.canvas, self.who, self.title = canvas, who, title
        self.left, self.right, self.top, self.bottom = margins
        self.y, self.page = self.top, 1

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self.y - height < self.bottom:
            self.footer()
            self.canvas.showPage()
            self.page += 1
            self.y = self.top

    def footer(self) -> None:
        c = self.canvas
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(self.left, 44, self.right, 44)
        text = f"{self.who} · {zh(self.title)} {en(self.title)}"
        draw_text(c, self.left, 32, text, CJK, 7, MUTED)
        label = f"{zh(PAGE_LABEL)} {en(PAGE_LABEL)} {self.page}"
        draw_text(c, self.right, 32, label, CJK, 7, MUTED, right=True)

    def heading(self, label: str, space: float = 40) -> None:
        """A red bilingual section heading over a gold rule; ``space`` keeps it off the
        bottom of a page without the lines that follow it."""
        self.need(space)
        self.y -= 22
        draw_text(self.canvas, self.left, self.y, f"{zh(label)}  {en(label)}", CJK, 12, RED)
        self.canvas.setStrokeColor(GOLD)
        self.canvas.setLineWidth(0.6)
        self.canvas.line(self.left, self.y - 5, self.right, self.y - 5)
        self.y -= 12
