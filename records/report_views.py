"""What the administrator report screen shows, Qt-free: a report for an institution (and
those below it) over a date range, the rows of its tables and the series of its charts,
and the export of exactly that report.

Everything is composed from ``records.reports``: the competency records of
``record.build_report``, the summaries of ``summary``, the column specs of ``columns``
and the writers of ``tabular``, ``pdf`` and ``xapi``. The screen exports the report it
shows (the same ``Report`` object), so the table cells and the file cannot disagree.

A date range keeps the activity inside it: case attempts completed, exams submitted and
lessons last read in the range, and certificates issued by its end (their status as of
its end). Without a range the report is ``build_report`` itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from records import audit
from records.db import Database
from records.reports import pdf, tabular, xapi
from records.reports.catalogue import Catalogue
from records.reports.columns import (
    AI_KIND_COLUMNS,
    AI_KIND_NAMES,
    DOCTOR_COLUMNS,
    DOMAIN_COLUMNS,
    INSTITUTION_COLUMNS,
    ColumnSpec,
    ai_kind_name,
    pick,
)
from records.reports.files import atomic_target, target_path
from records.reports.gather import Rows
from records.reports.record import (
    CancelCheck,
    Cancelled,
    Progress,
    Report,
    build_report,
    check,
)
from records.reports.service import EXTENSIONS, FILE_KINDS, KINDS, ExportResult, require_admin
from records.reports.summary import (
    DomainRow,
    InstitutionSummary,
    KindRow,
    ai_kind_rows,
    domain_rows,
    institution_summaries,
)
from records.tables import Institution, User
from xiangyi.i18n import _

__all__ = ["Cancelled", "Period", "ReportView", "build_view", "export_view"]

# At most this many institutions get their own series in the domain chart (the domains
# table has them all); more colours would not be told apart.
DOMAIN_CHART_INSTITUTIONS = 3


def _local_date(moment: datetime) -> date:
    """The local calendar day of a stored time (naive times are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().date()


@dataclass(frozen=True)
class Period:
    """A date range, both ends included; None leaves that end open."""

    start: date | None = None
    end: date | None = None

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def holds(self, moment: datetime | None) -> bool:
        if moment is None:
            return self.open
        day = _local_date(moment)
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def tag(self) -> str:
        """``20260101-20261231`` for file names ("" without a range)."""
        if self.open:
            return ""
        start = self.start.strftime("%Y%m%d") if self.start else ""
        end = self.end.strftime("%Y%m%d") if self.end else ""
        return f"{start}-{end}"


def within(rows: Rows, period: Period) -> Rows:
    """The rows of one doctor that fall in ``period``."""
    if period.open:
        return rows
    issued_by_end = [
        c
        for c in rows.certificates
        if period.end is None or c.issued_at is None or _local_date(c.issued_at) <= period.end
    ]
    return Rows(
        cases=[c for c in rows.cases if period.holds(c.completed_at or c.updated_at)],
        exams=[e for e in rows.exams if period.holds(e.submitted_at or e.started_at)],
        lessons=[x for x in rows.lessons if period.holds(x.updated_at)],
        certificates=issued_by_end,
    )


@dataclass(frozen=True)
class ReportView:
    """One report as the screen shows it: the records and every table's rows."""

    report: Report
    period: Period
    institution_id: str | None
    summaries: list[InstitutionSummary]  # institutions with doctors, then the total
    kinds: list[KindRow]
    domains: list[DomainRow]

    @property
    def total(self) -> InstitutionSummary:
        return self.summaries[-1]

    def table(self, key: str) -> tuple[Sequence[ColumnSpec[Any]], Sequence[Any]]:
        """The columns and rows of the table ``key`` (doctors, institutions, ai_kinds,
        domains): the sheets of the XLSX export, in the same order."""
        tables: dict[str, tuple[Sequence[ColumnSpec[Any]], Sequence[Any]]] = {
            "doctors": (DOCTOR_COLUMNS, self.report.records),
            "institutions": (INSTITUTION_COLUMNS, self.summaries),
            "ai_kinds": (AI_KIND_COLUMNS, self.kinds),
            "domains": (DOMAIN_COLUMNS, self.domains),
        }
        return tables[key]


TABLES = ("doctors", "institutions", "ai_kinds", "domains")


def build_view(
    db: Database,
    catalogue: Catalogue,
    *,
    institution_id: str | None = None,
    period: Period = Period(),
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ReportView:
    """The report of ``institution_id`` and the institutions below it (None: every
    doctor) over ``period``; records are as of the period's end when that is past.
    Raises KeyError for an unknown institution and ``Cancelled`` when asked to stop."""
    today = today or date.today()
    as_of = min(today, period.end) if period.end is not None else today
    # The one builder of competency records: a ranged report is computed exactly like the
    # full one, from each doctor's rows inside the period.
    report = build_report(
        db, catalogue, institution_id=institution_id, today=as_of,
        progress=progress, cancelled=cancelled,
        rows_kept=None if period.open else lambda rows: within(rows, period),
    )  # fmt: skip
    summaries = institution_summaries(report)
    return ReportView(
        report, period, institution_id, summaries, ai_kind_rows(summaries), domain_rows(report)
    )


# -- chart series ----------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressBar:
    """One institution's progress: shares of its doctors (0–1; None without doctors)."""

    label: str
    doctors: int
    sat_share: float | None  # sat the certification exam
    pass_rate: float | None  # passed / sat
    certified_share: float | None  # hold a valid certificate


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def progress_bars(view: ReportView, lang: str) -> list[ProgressBar]:
    """Cohort progress and pass rates per institution, the total last."""
    return [
        ProgressBar(
            pick(lang, s.name_zh, s.name_en),
            s.doctors,
            _share(s.sat_certification, s.doctors),
            s.pass_rate,
            _share(s.certified, s.doctors),
        )
        for s in view.summaries
    ]


@dataclass(frozen=True)
class DomainSeries:
    """Mean level (0–3) in every framework domain for one institution or the total."""

    label: str
    levels: list[float | None]


@dataclass(frozen=True)
class DomainChartData:
    domains: list[str]  # domain titles, framework order
    series: list[DomainSeries] = field(default_factory=list)
    more: bool = False  # institutions left out of the chart


def domain_chart(view: ReportView, lang: str) -> DomainChartData:
    """The total first, then up to ``DOMAIN_CHART_INSTITUTIONS`` institutions (when the
    report has more than one)."""
    from assessments.framework import builtin_framework

    framework = builtin_framework()
    ids = [str(d.id) for d in framework.domains]
    titles = [pick(lang, d.title.zh_CN, d.title.en) for d in framework.domains]
    places = view.summaries[:-1]
    shown = [view.total] + (places[:DOMAIN_CHART_INSTITUTIONS] if len(places) > 1 else [])
    series = [
        DomainSeries(pick(lang, s.name_zh, s.name_en), [s.domain_rank_mean.get(d) for d in ids])
        for s in shown
    ]
    return DomainChartData(titles, series, len(places) > DOMAIN_CHART_INSTITUTIONS)


@dataclass(frozen=True)
class KindBar:
    """Over-reliance and critical-error rates for one AI kind over the whole report."""

    ai_kind: str
    label: str
    cases: int
    over_reliance_rate: float | None
    critical_error_rate: float | None


def kind_bars(view: ReportView, lang: str) -> list[KindBar]:
    """Every AI kind with decided cases in the report, in the catalogue's kind order."""
    order = list(AI_KIND_NAMES)
    rates = view.total.by_ai_kind
    kinds = sorted(rates, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        KindBar(
            k,
            ai_kind_name(k, lang),
            rates[k].tally.cases,
            rates[k].over_reliance_rate,
            rates[k].critical_error_rate,
        )
        for k in kinds
    ]


# -- export ----------------------------------------------------------------------------
def _scope_name(view: ReportView) -> str:
    scope: Institution | None = view.report.scope
    name = scope.name_zh if scope is not None else _("all")
    return f"{name}-{view.period.tag()}" if view.period.tag() else name


def _write_statements(
    db: Database,
    catalogue: Catalogue,
    view: ReportView,
    target: Path,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> int:
    """The xAPI statements of the report's doctors whose time falls in its period."""
    if view.period.open:
        return xapi.write_xapi(
            db, catalogue, target, institution_id=view.institution_id,
            progress=progress, cancelled=cancelled,
        )  # fmt: skip
    users: Iterable[str] = [r.user_id for r in view.report.records]
    found = xapi.statements(db, catalogue, user_ids=users, progress=progress, cancelled=cancelled)
    count = 0
    with atomic_target(target) as temp, temp.open("w", encoding="utf-8") as handle:
        for statement in found:
            moment = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
            if view.period.holds(moment):
                handle.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")))
                handle.write("\n")
                count += 1
    return count


def _write_report(
    report: Report,
    kind: str,
    target: Path,
    lang: str,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> None:
    if kind == "xlsx":
        tabular.write_xlsx(report, target, lang=lang, progress=progress, cancelled=cancelled)
    elif kind == "csv":
        tabular.write_csv(report, target, lang=lang, progress=progress, cancelled=cancelled)
    else:
        pdf.write_pdf(report, target, progress=progress, cancelled=cancelled)


def export_view(
    db: Database,
    actor: User | None,
    view: ReportView,
    kind: str,
    out: Path,
    catalogue: Catalogue,
    *,
    lang: str = "zh_CN",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Write ``view`` as ``kind`` (xlsx, csv, pdf or xapi) to ``out`` (a folder or a
    file), administrators only and audited like ``service.export_report``. The file is
    moved into place only after the last cancel check: a cancelled export leaves
    nothing (``Cancelled`` is raised)."""
    admin = require_admin(actor)
    if kind not in KINDS:
        raise ValueError(kind)
    target = target_path(Path(out), _scope_name(view), FILE_KINDS[kind], EXTENSIONS[kind])
    partial = target.with_name(f".partial-{target.name}")
    check(cancelled)
    try:
        if kind == "xapi":
            items = _write_statements(db, catalogue, view, partial, progress, cancelled)
        else:
            _write_report(view.report, kind, partial, lang, progress, cancelled)
            items = len(view.report.records)
        check(cancelled)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    with db.session() as session:
        audit.record(
            session, "report_exported", actor_id=admin.id, subject=target.name[:128],
            kind=kind, institution=view.institution_id, items=items,
            period=view.period.tag() or None,
        )  # fmt: skip
    doctors = None if kind == "xapi" else len(view.report.records)
    return ExportResult(target, doctors, items)


def level_ticks(lang: str) -> list[tuple[float, str]]:
    """The framework levels by rank, for the axis of the domain chart."""
    from assessments.framework import builtin_framework

    levels = builtin_framework().levels
    return [(float(lv.rank), pick(lang, lv.name.zh_CN, lv.name.en)) for lv in levels]


def suggested_name(view: ReportView, kind: str) -> str:
    """The file name an export of ``view`` gets (scope, period and time)."""
    from records.reports.files import file_name

    return file_name(_scope_name(view), FILE_KINDS[kind], EXTENSIONS[kind])
