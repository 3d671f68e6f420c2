"""The certificate: one A4 landscape page in Chinese and English.

The page shows the holder, practising number, institution, a level per competency
domain, the dates, the issuer, the verification code and a QR code with the signed
payload (``payload.py``). The same payload is stored in the PDF's Subject field, so a
verifier finds it even in a copy whose QR image was lost; ``verify.py`` checks that the
visible text agrees with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import segno
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from assessments.framework import builtin_framework
from records.credentials.encoding import format_code
from records.credentials.payload import DOMAIN_ORDER, Payload
from records.credentials.pdf_common import (
    CJK,
    GOLD,
    INK,
    LATIN,
    LATIN_BOLD,
    MUTED,
    PALE,
    RED,
    RULE,
    draw_centred,
    draw_text,
    en,
    new_canvas,
    zh,
)
from xiangyi.i18n import N_

PAGE = landscape(A4)
QR_SIZE = 108.0  # points: 38 mm, about 0.6 mm per module for a version-14 code
QR_ERROR = "m"
QR_MASK = 0
_log = logging.getLogger(__name__)

TITLE = N_("Certificate")
ISSUER = N_("Issued by")
ISSUED = N_("Date of issue")
VALID_UNTIL = N_("Valid until")
NUMBER = N_("Practising certificate no.")
INSTITUTION = N_("Institution")
DOMAIN = N_("Competency domain")
LEVEL = N_("Level")
SCAN = N_("Scan to verify")
CODE = N_("Verification code")
STATEMENT = N_(
    "has passed the certification examination and is certified in the use of clinical AI "
    "tools in primary care, with the levels below."
)
KEY = N_("Issuer key")


@dataclass(frozen=True)
class CertificateView:
    """Everything printed on a certificate (built by ``documents.certificate_view``)."""

    payload: Payload
    token: str
    programme_zh: str
    programme_en: str
    issuer_zh: str
    issuer_en: str
    institution_en: str = ""
    issuer_fingerprint: str = ""
    logo: Path | None = None


def qr_code(token: str) -> segno.QRCode:
    """The QR code of ``token``: alphanumeric mode, error-correction level M.

    The mask is fixed instead of searched: the payload is compressed and signed, so its
    modules are already close to random and every mask scores alike, while the search
    costs four times the rest of the encoding (it matters when issuing a cohort).
    """
    return segno.make(token, error=QR_ERROR, micro=False, boost_error=False, mask=QR_MASK)


def qr_image(token: str, scale: int = 4) -> Image.Image:
    """The QR code as a 1-bit image without quiet zone (the page leaves white around it)."""
    matrix = qr_code(token).matrix
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if bit else 1 for row in matrix for bit in row])
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def _frame(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setFillColor(PALE)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(2.4)
    canvas.rect(22, 22, width - 44, height - 44)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(30, 30, width - 60, height - 60)
    canvas.setLineWidth(0.3)
    canvas.rect(34, 34, width - 68, height - 68)
    canvas.setFillColor(GOLD)
    for x, y in ((30, 30), (width - 30, 30), (30, height - 30), (width - 30, height - 30)):
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(45)
        canvas.rect(-4, -4, 8, 8, stroke=0, fill=1)
        canvas.restoreState()


def _ornament_rule(canvas: Canvas, y: float, half: float) -> None:
    cx = PAGE[0] / 2
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.6)
    canvas.line(cx - half, y, cx - 8, y)
    canvas.line(cx + 8, y, cx + half, y)
    canvas.saveState()
    canvas.translate(cx, y)
    canvas.rotate(45)
    canvas.setFillColor(RED)
    canvas.rect(-2.6, -2.6, 5.2, 5.2, stroke=0, fill=1)
    canvas.restoreState()


def _header(canvas: Canvas, view: CertificateView) -> None:
    cx = PAGE[0] / 2
    if view.logo is not None:
        try:
            canvas.drawImage(
                ImageReader(str(view.logo)), 58, 490, 52, 52, preserveAspectRatio=True, mask="auto"
            )
        except (OSError, ValueError):
            _log.warning("Certificate logo %s cannot be read", view.logo)
    draw_centred(canvas, cx, 528, view.issuer_zh, CJK, 13, MUTED, width=520)
    if view.issuer_en:
        draw_centred(canvas, cx, 514, view.issuer_en, LATIN, 9, MUTED, width=520)
    draw_centred(canvas, cx, 462, zh(TITLE), CJK, 46, RED, spacing=22)
    draw_centred(canvas, cx, 438, en(TITLE).upper(), LATIN, 13, GOLD, spacing=6)
    _ornament_rule(canvas, 426, 150)
    draw_centred(canvas, cx, 402, view.programme_zh, CJK, 15, INK, width=600)
    draw_centred(canvas, cx, 386, view.programme_en, LATIN, 10.5, MUTED, width=600)


def _holder(canvas: Canvas, view: CertificateView) -> None:
    cx = PAGE[0] / 2
    p = view.payload
    draw_centred(canvas, cx, 348, p.holder_name, CJK, 28, INK, spacing=6, width=420)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(cx - 130, 340, cx + 130, 340)
    parts = []
    if p.practising_number:
        parts.append(f"{zh(NUMBER)} {en(NUMBER)}: {p.practising_number}")
    if p.institution:
        where = p.institution + (f" ({view.institution_en})" if view.institution_en else "")
        parts.append(f"{zh(INSTITUTION)} {en(INSTITUTION)}: {where}")
    draw_centred(canvas, cx, 324, "    ".join(parts), CJK, 9.5, MUTED, width=640)
    draw_centred(canvas, cx, 302, zh(STATEMENT), CJK, 12, INK, width=680)
    draw_centred(canvas, cx, 287, en(STATEMENT), LATIN, 9.5, MUTED, width=680)


def _levels(canvas: Canvas, payload: Payload) -> None:
    framework = builtin_framework()
    left, right, top, row = 92.0, 560.0, 268.0, 21.5
    canvas.setFillColor(RED)
    canvas.rect(left, top - 16, right - left, 16, stroke=0, fill=1)
    draw_text(canvas, left + 8, top - 11.5, f"{zh(DOMAIN)}  {en(DOMAIN)}", CJK, 8.5, PALE)
    draw_text(
        canvas, right - 8, top - 11.5, f"{zh(LEVEL)}  {en(LEVEL)}", CJK, 8.5, PALE, right=True
    )
    y = top - 16
    for index, domain in enumerate(DOMAIN_ORDER):
        spec = framework.domain(domain)
        level = framework.level(payload.levels[domain])
        if index % 2:
            canvas.setFillColor(RULE)
            canvas.setFillAlpha(0.35)
            canvas.rect(left, y - row, right - left, row, stroke=0, fill=1)
            canvas.setFillAlpha(1)
        draw_text(canvas, left + 8, y - 10, spec.title.zh_CN, CJK, 9.5, INK, width=300)
        draw_text(canvas, left + 8, y - 18.5, spec.title.en, LATIN, 7, MUTED, width=300)
        draw_text(canvas, right - 8, y - 10, level.name.zh_CN, CJK, 9.5, INK, right=True)
        draw_text(canvas, right - 8, y - 18.5, level.name.en, LATIN, 7, MUTED, right=True)
        y -= row
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.5)
    canvas.rect(left, y, right - left, top - y)


def _qr(canvas: Canvas, view: CertificateView) -> None:
    x, y = 622.0, 148.0
    canvas.setFillColor(PALE)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.rect(x - 8, y - 42, QR_SIZE + 16, QR_SIZE + 64, stroke=1, fill=0)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x - 4, y - 4, QR_SIZE + 8, QR_SIZE + 8, stroke=0, fill=1)
    canvas.drawImage(ImageReader(qr_image(view.token)), x, y, QR_SIZE, QR_SIZE)
    cx = x + QR_SIZE / 2
    draw_centred(canvas, cx, y - 14, f"{zh(SCAN)} · {en(SCAN)}", CJK, 7.5, MUTED)
    draw_centred(canvas, cx, y - 32, format_code(view.payload.code), LATIN_BOLD, 13, RED, spacing=1)
    draw_centred(canvas, cx, y + QR_SIZE + 9, f"{zh(CODE)} {en(CODE)}", CJK, 7.5, MUTED)


def _footer(canvas: Canvas, view: CertificateView) -> None:
    p = view.payload
    columns = (
        (ISSUER, view.issuer_zh, 92.0),
        (ISSUED, p.issued_on.isoformat(), 330.0),
        (VALID_UNTIL, p.valid_until.isoformat(), 455.0),
    )
    for label, value, x in columns:
        draw_text(canvas, x, 92, f"{zh(label)}  {en(label)}", CJK, 7.5, MUTED)
        draw_text(canvas, x, 76, value, CJK, 11, INK, width=225 if x < 300 else 120)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(92, 70, 560, 70)
    if view.issuer_fingerprint:
        draw_text(
            canvas,
            92,
            52,
            f"{zh(KEY)} {en(KEY)}: {view.issuer_fingerprint}",
            CJK,
            6,
            MUTED,
            width=520,
        )


def certificate_pdf(view: CertificateView, target: Path | BinaryIO) -> None:
    """Write the certificate PDF to a file path or a binary stream."""
    title = f"{zh(TITLE)} {format_code(view.payload.code)}"
    canvas = new_canvas(
        str(target) if isinstance(target, Path) else target, PAGE, title, view.token
    )
    _frame(canvas)
    _header(canvas, view)
    _holder(canvas, view)
    _levels(canvas, view.payload)
    _qr(canvas, view)
    _footer(canvas, view)
    canvas.showPage()
    canvas.save()
