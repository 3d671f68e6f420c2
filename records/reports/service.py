"""The one entry point a screen or the CLI calls to export a report: administrators only,
audited (the files carry personal data off this PC), a file name carrying the scope and
a timestamp, progress and cancel passed through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from records import audit
from records.accounts import AccountError, Role
from records.db import Database
from records.reports import pdf, tabular, xapi
from records.reports.catalogue import Catalogue
from records.reports.files import target_path
from records.reports.record import CancelCheck, Progress, build_report, check
from records.tables import Institution, User
from xiangyi.i18n import _

KINDS = ("xlsx", "csv", "pdf", "xapi")
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "pdf": "pdf", "xapi": "jsonl"}
FILE_KINDS = {"xlsx": "report", "csv": "report", "pdf": "summary", "xapi": "xapi"}


class ReportError(Exception):
    """A report cannot be made; ``str()`` is a translated message."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    doctors: int | None  # doctors in the report (None for xapi: see ``items``)
    items: int  # doctors written, or statements for xapi


def require_admin(actor: User | None) -> User:
    if actor is None or actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can export reports."))
    return actor


def _phase(progress: Progress | None, first: bool) -> Progress | None:
    """Gathering the records is the first half of the progress, writing the second."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        part = round(500 * done / total) if total else 500
        progress(part if first else 500 + part, 1000)

    return report


def _scope(db: Database, institution_id: str | None) -> Institution | None:
    if institution_id is None:
        return None
    with db.session() as session:
        found = session.get(Institution, institution_id)
    if found is None:
        raise ReportError(_("No institution with the ID '{key}'.").format(key=institution_id))
    return found


def export_report(
    db: Database,
    actor: User | None,
    kind: str,
    out: Path,
    catalogue: Catalogue,
    *,
    institution_id: str | None = None,
    lang: str = "zh_CN",
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Export the records of ``institution_id`` and the institutions below it (None:
    every doctor) as ``kind`` (xlsx, csv, pdf or xapi) to ``out``: a folder (the file
    is named after the scope and the time) or a file path. Raises ``Cancelled`` (and
    writes nothing) when ``cancelled()`` turns true."""
    admin = require_admin(actor)
    if kind not in KINDS:
        raise ReportError(_("Unknown report format '{kind}'.").format(kind=kind))
    scope = _scope(db, institution_id)
    name = scope.name_zh if scope is not None else _("all institutions")
    target = target_path(Path(out), name, FILE_KINDS[kind], EXTENSIONS[kind])
    if kind == "xapi":
        count = xapi.write_xapi(
            db, catalogue, target, institution_id=institution_id,
            progress=progress, cancelled=cancelled,
        )  # fmt: skip
        result = ExportResult(target, None, count)
    else:
        report = build_report(
            db, catalogue, institution_id=institution_id, today=today,
            progress=_phase(progress, True), cancelled=cancelled,
        )  # fmt: skip
        check(cancelled)
        second = _phase(progress, False)
        if kind == "xlsx":
            tabular.write_xlsx(report, target, lang=lang, progress=second, cancelled=cancelled)
        elif kind == "csv":
            tabular.write_csv(report, target, lang=lang, progress=second, cancelled=cancelled)
        else:
            pdf.write_pdf(report, target, progress=second, cancelled=cancelled)
        result = ExportResult(target, len(report.records), len(report.records))
    with db.session() as session:
        audit.record(
            session, "report_exported", actor_id=admin.id, subject=target.name[:128],
            kind=kind, institution=institution_id, items=result.items,
        )  # fmt: skip
    return result
