"""The competency record of a doctor: what an evaluation or title-promotion file needs,
gathered for a whole institution or county at once (``build_records``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from assessments.blueprints import builtin_blueprints
from assessments.framework import builtin_framework
from assessments.reliance import RelianceProfile
from courses.progress import Status
from courses.study_time import StudyTotals
from records.credentials.encoding import format_code
from records.credentials.issuing import VALID, status_of
from records.db import Database
from records.reports import derive, gather
from records.reports.catalogue import Catalogue
from records.reports.derive import DomainLevel, KindTally
from records.reports.gather import CertificateRow, ExamRow, Person, scope_ids
from records.tables import Institution

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The person stopped a report or export; nothing was written."""


def check(cancelled: CancelCheck | None) -> None:
    """Raise ``Cancelled`` when the caller asked to stop (polled between steps)."""
    if cancelled is not None and cancelled():
        raise Cancelled


@dataclass(frozen=True)
class ExamEntry:
    blueprint_id: str
    title_zh: str
    title_en: str
    certifying: bool
    submitted_at: datetime
    score: float  # 0–1
    passed: bool
    critical_errors: int


@dataclass(frozen=True)
class CertificateEntry:
    id: str
    code: str  # formatted, XY7K-3M9Q-2P
    blueprint_id: str
    status: str  # pending, valid, expired, replaced, revoked (as of the report date)
    issued_at: datetime | None
    valid_until: date


@dataclass(frozen=True)
class ModuleDone:
    id: str
    title_zh: str
    title_en: str
    completed_at: datetime | None


@dataclass(frozen=True)
class CompetencyRecord:
    """One doctor's competency record as of ``as_of``."""

    user_id: str
    username: str
    name: str
    practising_number: str
    institution_id: str | None
    institution_zh: str
    institution_en: str
    institution_level: str  # village, township, community, county ("" without one)
    department: str
    title: str
    as_of: date
    study: StudyTotals
    modules_completed: tuple[ModuleDone, ...]
    modules_total: int
    exams: tuple[ExamEntry, ...]  # submitted exams, oldest first
    domains: dict[str, DomainLevel]  # every framework domain, framework order
    reliance: RelianceProfile
    brier: float | None
    practice_critical_errors: int
    by_ai_kind: dict[str, KindTally]
    certificates: tuple[CertificateEntry, ...]

    @property
    def study_hours(self) -> float:
        return self.study.total / 3600.0

    @property
    def study_hours_this_year(self) -> float:
        return self.study.year(self.as_of.year) / 3600.0

    @property
    def exam_critical_errors(self) -> int:
        return sum(e.critical_errors for e in self.exams)

    @property
    def critical_errors(self) -> int:
        return self.practice_critical_errors + self.exam_critical_errors

    @property
    def last_exam(self) -> ExamEntry | None:
        return self.exams[-1] if self.exams else None

    @property
    def sat_certification(self) -> bool:
        return any(e.certifying for e in self.exams)

    @property
    def passed_certification(self) -> bool:
        return any(e.certifying and e.passed for e in self.exams)

    @property
    def valid_certificates(self) -> tuple[CertificateEntry, ...]:
        return tuple(c for c in self.certificates if c.status == VALID)


def _exams(rows: Sequence[ExamRow]) -> tuple[ExamEntry, ...]:
    blueprints = builtin_blueprints()
    entries = []
    for exam in rows:
        if exam.submitted_at is None or exam.passed is None:
            continue
        blueprint = blueprints.get(exam.blueprint_id)
        entries.append(
            ExamEntry(
                exam.blueprint_id,
                blueprint.title.zh_CN if blueprint else exam.blueprint_id,
                blueprint.title.en if blueprint else exam.blueprint_id,
                bool(blueprint and blueprint.certifying),
                exam.submitted_at,
                float(exam.score or 0.0),
                bool(exam.passed),
                len(exam.result.get("critical_errors", [])),
            )
        )
    return tuple(sorted(entries, key=lambda e: e.submitted_at))


def _certificates(rows: Sequence[CertificateRow], today: date) -> tuple[CertificateEntry, ...]:
    return tuple(
        CertificateEntry(
            c.id,
            format_code(c.code),
            c.blueprint_id,
            status_of(c, today),  # type: ignore[arg-type]  # reads .status and .valid_until
            c.issued_at,
            c.valid_until,
        )
        for c in rows
    )


def competency_record(
    person: Person,
    rows: gather.Rows,
    institution: Institution | None,
    catalogue: Catalogue,
    today: date,
) -> CompetencyRecord:
    """One doctor's record from their gathered rows (all of them, or a period's)."""
    framework = builtin_framework()
    states = derive.module_states(rows, catalogue.modules, catalogue.practice_ids)
    done = tuple(
        ModuleDone(m.id, m.title.zh_CN, m.title.en, states[m.id].completed_at)
        for m in catalogue.modules
        if states[m.id].status == Status.COMPLETED
    )
    parts = derive.reliance(rows, catalogue.cases)
    return CompetencyRecord(
        user_id=person.id,
        username=person.username,
        name=person.name,
        practising_number=person.practising_number,
        institution_id=person.institution_id,
        institution_zh=institution.name_zh if institution else "",
        institution_en=institution.name_en if institution else "",
        institution_level=institution.level if institution else "",
        department=person.department,
        title=person.title,
        as_of=today,
        study=derive.study(rows),
        modules_completed=done,
        modules_total=len(catalogue.modules),
        exams=_exams(rows.exams),
        domains=derive.domain_levels(derive.evidence(rows, catalogue.cases), framework),
        reliance=parts.profile,
        brier=parts.brier,
        practice_critical_errors=parts.practice_critical,
        by_ai_kind=parts.by_ai_kind,
        certificates=_certificates(rows.certificates, today),
    )


@dataclass(frozen=True)
class Report:
    """The records of a scope and the institutions they belong to."""

    records: list[CompetencyRecord]
    institutions: list[Institution]  # the institutions in scope, by Chinese name
    scope: Institution | None  # None: every doctor on this PC (the county)
    as_of: date


def build_report(
    db: Database,
    catalogue: Catalogue,
    *,
    institution_id: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    rows_kept: Callable[[gather.Rows], gather.Rows] | None = None,
) -> Report:
    """The records of every doctor (learner account) of ``institution_id`` and the
    institutions below it, or of everyone when None; ``rows_kept`` narrows each
    doctor's rows first (a date range). Raises KeyError for an unknown institution and
    ``Cancelled`` when ``cancelled()`` turns true."""
    today = today or date.today()
    scope, wanted, everything = resolve_scope(db, institution_id)
    check(cancelled)
    found = gather.people(db, wanted)
    known = {inst.id: inst for inst in everything}
    records = []
    for done, (person, rows) in enumerate(gather.iter_rows(db, found), start=1):
        if done % 50 == 1:
            check(cancelled)
        inst = known.get(person.institution_id or "")
        if rows_kept is not None:
            rows = rows_kept(rows)
        records.append(competency_record(person, rows, inst, catalogue, today))
        if progress is not None and (done % 50 == 0 or done == len(found)):
            progress(done, len(found))
    in_scope = sorted(
        (i for i in everything if wanted is None or i.id in wanted), key=lambda i: i.name_zh
    )
    return Report(records, in_scope, scope, today)


def resolve_scope(
    db: Database, institution_id: str | None
) -> tuple[Institution | None, set[str] | None, list[Institution]]:
    """(the institution, the ids of it and those below it, every institution); None and
    None for everyone. Raises KeyError for an unknown institution."""
    everything = gather.institutions(db)
    if institution_id is None:
        return None, None, everything
    scope = next((i for i in everything if i.id == institution_id), None)
    if scope is None:
        raise KeyError(institution_id)
    return scope, scope_ids(everything, institution_id), everything
