"""A doctor's transcript (A4 portrait, Chinese and English): modules with study hours
for continuing-education credit, exams with dates and scores, the level per competency
domain with the evidence behind it, and the reliance profile.

``transcript_view`` gathers the records (learning.py, exams, competency.py);
``transcript_pdf`` draws them; ``save_transcript_pdf`` does both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from assessments.blueprints import builtin_blueprints
from assessments.framework import builtin_framework
from case_bank.models import Case
from courses.models import Module
from courses.progress import STATUS_LABELS
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
from records.db import Database
from records.tables import ExamAttempt, Institution, User
from xiangyi.i18n import N_

PAGE = A4
LEFT, RIGHT, TOP, BOTTOM = 50.0, A4[0] - 50.0, A4[1] - 50.0, 60.0

TITLE = N_("Training and competency transcript")
HOLDER = N_("Name")
NUMBER = N_("Practising certificate no.")
INSTITUTION = N_("Institution")
PRINTED = N_("Printed on")
STUDY = N_("Study hours (total)")
MODULES = N_("Training modules")
MODULE = N_("Module")
STATUS = N_("Status")
LESSONS = N_("Lessons")
PRACTICE = N_("Practice cases")
HOURS = N_("Hours")
EXAMS = N_("Exams")
EXAM = N_("Exam")
DATE = N_("Date")
SCORE = N_("Score")
RESULT = N_("Result")
PASSED = N_("Passed")
FAILED = N_("Not passed")
DOMAINS = N_("Competency levels")
DOMAIN = N_("Competency domain")
LEVEL = N_("Level")
MASTERY = N_("Mastery")
EVIDENCE = N_("Evidence")
RELIANCE = N_("Reliance on AI")
APPROPRIATE = N_("Appropriate reliance")
OVER = N_("Over-reliance (followed a wrong AI)")
UNDER = N_("Under-reliance (overrode a right AI)")
SWITCH = N_("Changed own read after the AI output")
TEAM = N_("Accuracy of the final decisions")
BRIER = N_("Calibration (Brier score, lower is better)")
NONE = N_("No records yet.")


@dataclass(frozen=True)
class ModuleLine:
    title_zh: str
    title_en: str
    status: str
    lessons: str
    practice: str
    hours: float


@dataclass(frozen=True)
class ExamLine:
    title_zh: str
    title_en: str
    on: str
    score: str
    passed: bool


@dataclass(frozen=True)
class DomainLine:
    domain: str
    level: str
    mastery: float
    evidence: int


@dataclass
class TranscriptView:
    holder: str
    practising_number: str
    institution_zh: str
    institution_en: str
    printed_on: date
    modules: list[ModuleLine] = field(default_factory=list)
    exams: list[ExamLine] = field(default_factory=list)
    domains: list[DomainLine] = field(default_factory=list)
    reliance: dict[str, float | None] = field(default_factory=dict)
    # All study time, as the competency reports count it: lessons, every case (in a module
    # or not) and exams; the module lines hold only the time within each module.
    study_hours: float = 0.0


def transcript_view(
    db: Database, user_id: str, modules: Sequence[Module], bank: Sequence[Case]
) -> TranscriptView:
    """Gather a doctor's records for the transcript."""
    from records.competency import picture
    from records.history import study_time
    from records.learning import module_states

    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise KeyError(user_id)
        institution = session.get(Institution, user.institution_id) if user.institution_id else None
        exams = list(
            session.scalars(
                select(ExamAttempt)
                .where(ExamAttempt.user_id == user_id, ExamAttempt.submitted_at.is_not(None))
                .order_by(ExamAttempt.submitted_at)
            )
        )
    view = TranscriptView(
        holder=user.display_name,
        practising_number=user.practising_number or "",
        institution_zh=institution.name_zh if institution else "",
        institution_en=institution.name_en if institution else "",
        printed_on=date.today(),
        study_hours=study_time(db, user_id).total / 3600.0,
    )
    states = module_states(db, user_id, list(modules), list(bank))
    for module in modules:
        state = states[module.id]
        view.modules.append(
            ModuleLine(
                module.title.zh_CN,
                module.title.en,
                str(state.status),
                f"{state.lessons_read}/{state.lessons_total}",
                f"{state.practice_done}/{state.practice_total}",
                round(state.study_seconds / 3600.0, 1),
            )
        )
    blueprints = builtin_blueprints()
    for exam in exams:
        blueprint = blueprints.get(exam.blueprint_id)
        assert exam.submitted_at is not None
        view.exams.append(
            ExamLine(
                blueprint.title.zh_CN if blueprint else exam.blueprint_id,
                blueprint.title.en if blueprint else exam.blueprint_id,
                exam.submitted_at.date().isoformat(),
                f"{(exam.score or 0.0) * 100:.0f}%",
                bool(exam.passed),
            )
        )
    found = picture(db, user_id, {c.id: c for c in bank})
    for domain, mastery in found.mastery.items():
        view.domains.append(DomainLine(domain, mastery.level, mastery.mean, mastery.evidence_count))
    rel = found.reliance
    view.reliance = {
        APPROPRIATE: rel.appropriate_rate,
        OVER: rel.over_reliance_rate,
        UNDER: rel.under_reliance_rate,
        SWITCH: rel.switch_fraction,
        TEAM: rel.team_accuracy,
        BRIER: found.brier,
    }
    return view


class _Writer(PagedWriter):
    """The transcript's pages: the holder's name in every footer."""

    def __init__(self, canvas: Canvas, view: TranscriptView) -> None:
        super().__init__(canvas, view.holder, TITLE, (LEFT, RIGHT, TOP, BOTTOM))
        self.view = view

    def table(
        self, headers: Sequence[str], xs: Sequence[float], rows: Sequence[Sequence[str]]
    ) -> None:
        c = self.canvas
        self.need(30)
        c.setFillColor(RULE)
        c.rect(LEFT, self.y - 16, RIGHT - LEFT, 16, stroke=0, fill=1)
        for header, x in zip(headers, xs, strict=True):
            draw_text(c, x + 3, self.y - 7, zh(header), CJK, 7.5, INK)
            draw_text(c, x + 3, self.y - 14, en(header), LATIN, 6, MUTED)
        self.y -= 16
        if not rows:
            self.y -= 14
            draw_text(c, LEFT + 3, self.y, f"{zh(NONE)} {en(NONE)}", CJK, 8.5, MUTED)
            return
        for row in rows:
            self.need(22)
            self.y -= 22
            for (cell, x), limit in zip(zip(row, xs, strict=True), _widths(xs), strict=True):
                top, _, bottom = cell.partition("\n")
                draw_text(c, x + 3, self.y + 9, top, CJK, 8.5, INK, width=limit - 6)
                if bottom:
                    draw_text(c, x + 3, self.y + 1, bottom, LATIN, 6.5, MUTED, width=limit - 6)
            c.setStrokeColor(RULE)
            c.setLineWidth(0.3)
            c.line(LEFT, self.y - 3, RIGHT, self.y - 3)


def _widths(xs: Sequence[float]) -> list[float]:
    edges = [*xs[1:], RIGHT]
    return [b - a for a, b in zip(xs, edges, strict=True)]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _header(w: _Writer) -> None:
    c, view = w.canvas, w.view
    cx = PAGE[0] / 2
    draw_centred(c, cx, w.y - 16, zh(TITLE), CJK, 20, RED, spacing=4)
    draw_centred(c, cx, w.y - 32, en(TITLE).upper(), LATIN, 9.5, GOLD, spacing=2)
    w.y -= 52
    facts = [
        (HOLDER, view.holder),
        (NUMBER, view.practising_number or "—"),
        (INSTITUTION, " ".join(x for x in (view.institution_zh, view.institution_en) if x) or "—"),
        (PRINTED, view.printed_on.isoformat()),
        (STUDY, f"{view.study_hours:.1f}"),
    ]
    for label, value in facts:
        draw_text(c, LEFT, w.y, f"{zh(label)} {en(label)}", CJK, 8, MUTED)
        draw_text(c, LEFT + 190, w.y, value, CJK, 10, INK, width=RIGHT - LEFT - 190)
        w.y -= 15


def transcript_pdf(view: TranscriptView, target: Path | BinaryIO) -> None:
    """Write the transcript PDF to a path or a binary stream."""
    canvas = new_canvas(
        str(target) if isinstance(target, Path) else target, PAGE, zh(TITLE), view.holder
    )
    w = _Writer(canvas, view)
    _header(w)
    framework = builtin_framework()
    w.heading(MODULES)
    xs = [LEFT, LEFT + 215, LEFT + 290, LEFT + 345, LEFT + 415]
    rows = [
        [
            f"{m.title_zh}\n{m.title_en}",
            f"{zh(STATUS_LABELS[m.status])}\n{en(STATUS_LABELS[m.status])}",  # type: ignore[index]
            m.lessons,
            m.practice,
            f"{m.hours:.1f}",
        ]
        for m in view.modules
    ]
    w.table([MODULE, STATUS, LESSONS, PRACTICE, HOURS], xs, rows)
    w.heading(EXAMS)
    xs = [LEFT, LEFT + 270, LEFT + 345, LEFT + 400]
    rows = [
        [
            f"{e.title_zh}\n{e.title_en}",
            e.on,
            e.score,
            f"{zh(PASSED if e.passed else FAILED)}\n{en(PASSED if e.passed else FAILED)}",
        ]
        for e in view.exams
    ]
    w.table([EXAM, DATE, SCORE, RESULT], xs, rows)
    w.heading(DOMAINS)
    xs = [LEFT, LEFT + 240, LEFT + 330, LEFT + 400]
    rows = []
    for line in view.domains:
        spec, level = framework.domain(line.domain), framework.level(line.level)
        rows.append(
            [
                f"{spec.title.zh_CN}\n{spec.title.en}",
                f"{level.name.zh_CN}\n{level.name.en}",
                _percent(line.mastery),
                str(line.evidence),
            ]
        )
    w.table([DOMAIN, LEVEL, MASTERY, EVIDENCE], xs, rows)
    w.heading(RELIANCE)
    for label, value in view.reliance.items():
        w.need(16)
        w.y -= 15
        text = "—" if value is None else (f"{value:.3f}" if label == BRIER else _percent(value))
        draw_text(canvas, LEFT + 3, w.y, zh(label), CJK, 8.5, INK)
        draw_text(canvas, LEFT + 200, w.y, en(label), LATIN, 7.5, MUTED)
        draw_text(canvas, RIGHT - 3, w.y, text, LATIN, 9, INK, right=True)
    w.footer()
    canvas.showPage()
    canvas.save()


def save_transcript_pdf(
    db: Database,
    user_id: str,
    modules: Sequence[Module],
    bank: Sequence[Case],
    target: Path | BinaryIO,
) -> TranscriptView:
    """Gather and write a doctor's transcript; returns what was printed."""
    view = transcript_view(db, user_id, modules, bank)
    transcript_pdf(view, target)
    return view
