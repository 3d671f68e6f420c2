"""An institution's summary as a PDF (A4 portrait, Chinese with English beneath): key
figures, the institutions below it, domain levels, reliance and critical errors by AI
kind, and the doctors. Fonts and drawing helpers come from ``credentials.pdf_common``,
so Chinese renders and the fonts are embedded. Tables use the export column specs, so
the PDF says what the XLSX says."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from records.credentials.pdf_common import (
    CJK,
    GOLD,
    INK,
    LATIN,
    MUTED,
    RED,
    RULE,
    PagedWriter,
    draw_centred,
    draw_text,
    en,
    new_canvas,
    zh,
)
from records.reports.columns import (
    AI_KIND_COLUMNS,
    DOCTOR_COLUMNS,
    DOMAIN_COLUMNS,
    INSTITUTION_COLUMNS,
    ColumnSpec,
    display,
    institution_level,
)
from records.reports.files import atomic_target
from records.reports.record import CancelCheck, Progress, Report, check
from records.reports.summary import ai_kind_rows, domain_rows, institution_summaries
from xiangyi.i18n import N_

LEFT, RIGHT, TOP, BOTTOM = 40.0, A4[0] - 40.0, A4[1] - 50.0, 60.0
TITLE = N_("Training and competency summary")
SCOPE_ALL = N_("All institutions on this PC")
LEVEL = N_("Institution level")
PRINTED = N_("Printed on")
FIGURES = N_("Key figures")
INSTITUTIONS = N_("Institutions")
DOMAINS = N_("Competency levels")
AI_KINDS = N_("Reliance and critical errors by AI kind")
DOCTORS = N_("Doctors")
NONE = N_("No records yet.")


def _pick(columns: Sequence[ColumnSpec[Any]], keys: Sequence[str]) -> list[ColumnSpec[Any]]:
    by_key = {spec.key: spec for spec in columns}
    return [by_key[key] for key in keys]


SUMMARY_KEYS = ("institution", "doctors", "study_hours_mean", "pass_rate", "certified",
                "over_reliance_rate", "critical_error_rate")  # fmt: skip
DOMAIN_KEYS = ("domain", "doctors", "mastery_mean", "level_mean", "doctors_not_yet_competent",
               "doctors_developing", "doctors_competent", "doctors_proficient")  # fmt: skip
KIND_KEYS = ("ai_kind", "cases", "over_reliance_rate", "under_reliance_rate", "critical_error_rate")
DOCTOR_KEYS = ("name", "practising_number", "institution", "study_hours", "modules_completed",
               "last_exam_result", "critical_errors", "certificates_valid")  # fmt: skip


class _Writer(PagedWriter):
    """The summary's pages: the institution in every footer."""

    def __init__(self, canvas: Canvas, scope: str) -> None:
        super().__init__(canvas, scope, TITLE, (LEFT, RIGHT, TOP, BOTTOM))
        self.scope = scope

    def heading(self, label: str, space: float = 50) -> None:
        super().heading(label, space)

    def _header_row(self, columns: Sequence[ColumnSpec[Any]], xs: list[float]) -> None:
        c = self.canvas
        c.setFillColor(RULE)
        c.rect(LEFT, self.y - 20, RIGHT - LEFT, 20, stroke=0, fill=1)
        for spec, x, width in zip(columns, xs, _widths(xs), strict=True):
            draw_text(c, x + 2, self.y - 9, spec.zh, CJK, 7, INK, width=width - 4)
            draw_text(c, x + 2, self.y - 17, spec.en, LATIN, 5.5, MUTED, width=width - 4)
        self.y -= 20

    def table(self, columns: Sequence[ColumnSpec[Any]], rows: Sequence[Any]) -> None:
        total = sum(spec.width for spec in columns)
        xs, x = [], LEFT
        for spec in columns:
            xs.append(x)
            x += (RIGHT - LEFT) * spec.width / total
        self.need(40)
        self._header_row(columns, xs)
        if not rows:
            self.y -= 14
            draw_text(self.canvas, LEFT + 3, self.y, f"{zh(NONE)} {en(NONE)}", CJK, 8.5, MUTED)
            return
        for row in rows:
            if self.y - 15 < BOTTOM:
                self.need(15)
                self._header_row(columns, xs)  # repeat the header on a new page
            self.y -= 15
            for spec, left, width in zip(columns, xs, _widths(xs), strict=True):
                text = display(spec, row, "zh_CN")
                draw_text(self.canvas, left + 2, self.y + 4, text, CJK, 8, INK, width=width - 4)
            self.canvas.setStrokeColor(RULE)
            self.canvas.setLineWidth(0.3)
            self.canvas.line(LEFT, self.y, RIGHT, self.y)


def _widths(xs: Sequence[float]) -> list[float]:
    edges = [*xs[1:], RIGHT]
    return [b - a for a, b in zip(xs, edges, strict=True)]


def _scope_names(report: Report) -> tuple[str, str, str]:
    if report.scope is None:
        return zh(SCOPE_ALL), en(SCOPE_ALL), ""
    return report.scope.name_zh, report.scope.name_en, report.scope.level


def _header(w: _Writer, report: Report) -> None:
    c = w.canvas
    name_zh, name_en, level = _scope_names(report)
    draw_centred(c, A4[0] / 2, w.y - 16, zh(TITLE), CJK, 20, RED, spacing=3)
    draw_centred(c, A4[0] / 2, w.y - 32, en(TITLE).upper(), LATIN, 9, GOLD, spacing=1.5)
    w.y -= 56
    draw_text(c, LEFT, w.y, " ".join(x for x in (name_zh, name_en) if x), CJK, 12, INK)
    w.y -= 16
    facts = [(PRINTED, report.as_of.isoformat())]
    if level:
        facts.insert(
            0, (LEVEL, f"{institution_level(level, 'zh_CN')} {institution_level(level, 'en')}")
        )
    for label, value in facts:
        draw_text(c, LEFT, w.y, f"{zh(label)} {en(label)}", CJK, 8, MUTED)
        draw_text(c, LEFT + 150, w.y, value, CJK, 9.5, INK)
        w.y -= 14


def write_pdf(
    report: Report,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write the summary of ``report`` (an institution and those below it) to ``target``."""
    check(cancelled)
    summaries = institution_summaries(report)
    total = summaries[-1:]  # the report's total row
    steps = 5
    with atomic_target(Path(target)) as temp:
        name = _scope_names(report)[0]
        canvas = new_canvas(str(temp), A4, f"{zh(TITLE)} {name}", name)
        w = _Writer(canvas, name)
        _header(w, report)
        sections: list[tuple[str, Sequence[ColumnSpec[Any]], Sequence[Any]]] = [
            (FIGURES, _pick(INSTITUTION_COLUMNS, SUMMARY_KEYS[1:]), total),
            (INSTITUTIONS, _pick(INSTITUTION_COLUMNS, SUMMARY_KEYS), summaries[:-1]),
            (DOMAINS, _pick(DOMAIN_COLUMNS, DOMAIN_KEYS),
             [d for d in domain_rows(report) if d.institution_id is None]),
            (AI_KINDS, _pick(AI_KIND_COLUMNS, KIND_KEYS), ai_kind_rows(total)),
            (DOCTORS, _pick(DOCTOR_COLUMNS, DOCTOR_KEYS), report.records),
        ]  # fmt: skip
        for done, (label, columns, rows) in enumerate(sections, start=1):
            check(cancelled)
            w.heading(label)
            w.table(columns, rows)
            if progress is not None:
                progress(done, steps)
        w.footer()
        canvas.showPage()
        canvas.save()
    return Path(target)
