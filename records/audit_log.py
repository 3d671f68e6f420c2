"""Reading the audit log: search by date range, actor, event type and text, with names
instead of IDs, and export as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from records.accounts import list_users
from records.db import Database
from records.institutions import list_institutions
from records.tables import AuditEvent
from xiangyi import i18n
from xiangyi.i18n import N_, _

# Rows read before the text filter: the log of a county over years stays well below.
SCAN_LIMIT = 50_000
EVENT_LABELS = {
    "login": N_("Signed in"),
    "login_failed": N_("Wrong user name or password"),
    "login_refused_locked": N_("Sign-in refused: account locked"),
    "login_refused_inactive": N_("Sign-in refused: account deactivated"),
    "account_locked": N_("Account locked after repeated failures"),
    "logout": N_("Signed out"),
    "user_created": N_("Account created"),
    "user_details_changed": N_("Account details changed"),
    "user_reactivated": N_("Account reactivated"),
    "user_deactivated": N_("Account deactivated"),
    "role_changed": N_("Role changed"),
    "password_reset": N_("Password reset by an administrator"),
    "password_changed": N_("Password changed"),
    "institution_created": N_("Institution created"),
    "institution_renamed": N_("Institution renamed"),
    "institution_moved": N_("Institution moved"),
    "cohort_imported": N_("Cohort imported from a file"),
    "user_renamed": N_("Account name changed"),
    "key_created": N_("Signing key created"),
    "key_trusted": N_("Trainer key trusted"),
    "key_untrusted": N_("Trainer key no longer trusted"),
    "pack_installed": N_("Case pack installed"),
    "pack_untrusted_allowed": N_("Untrusted case pack allowed"),
    "pack_removed": N_("Case pack removed"),
    "assignment_created": N_("Assignment made"),
    "assignment_removed": N_("Assignment removed"),
    "issuer_key_created": N_("Certificate issuing key created"),
    "issuer_trusted": N_("Issuer trusted"),
    "issuer_untrusted": N_("Issuer no longer trusted"),
    "credential_pending": N_("Certificate recorded, waiting for signature"),
    "credential_issued": N_("Certificate signed"),
    "credential_replaced": N_("Certificate replaced (re-certification)"),
    "credential_revoked": N_("Certificate revoked"),
    "revocations_imported": N_("Revocation list imported"),
    "certificates_exported": N_("Certificates exported as ZIP"),
    "database_backed_up": N_("Database backed up"),
    "database_restored": N_("Database restored from a backup"),
    "backup_settings_changed": N_("Automatic backup settings changed"),
    "audit_log_exported": N_("Security log exported"),
    "report_exported": N_("Report exported"),
}
HEADERS = (
    N_("Time"),
    N_("Event"),
    N_("Event code"),
    N_("By"),
    N_("Subject"),
    N_("Details"),
)


def event_label(event: str) -> str:
    """The translated name of an event type (its code when it has none)."""
    label = EVENT_LABELS.get(event)
    return _(label) if label else event


@dataclass(frozen=True)
class AuditFilter:
    """What to show: days are this PC's local dates, both ends included; empty means any."""

    since: date | None = None
    until: date | None = None
    actor_id: str | None = None
    event: str | None = None
    text: str = ""
    limit: int = 2000


@dataclass(frozen=True)
class AuditRow:
    """One event as people read it."""

    at: datetime
    event: str
    label: str
    actor: str
    subject: str
    details: str

    def cells(self) -> list[str]:
        """The row's cells in the order of HEADERS."""
        # Stored in UTC; shown in the PC's own time, as people read a clock.
        stamp = self.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return [stamp, self.label, self.event, self.actor, self.subject, self.details]


def _local_midnight(day: date) -> datetime:
    """The start of ``day`` on this PC's clock, as an aware UTC time for the query."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


# What the details of the events are called, in the reader's language (the stored keys
# stay as they are: the log is evidence and is never rewritten).
DETAIL_LABELS = {
    "added": N_("added"),
    "assignee": N_("assigned to"),
    "by": N_("by"),
    "count": N_("number"),
    "due": N_("due"),
    "enabled": N_("switched on"),
    "exam_attempt": N_("exam"),
    "fields": N_("fields"),
    "file": N_("file"),
    "fingerprint": N_("fingerprint"),
    "institution": N_("institution"),
    "items": N_("items"),
    "keep": N_("kept"),
    "kind": N_("kind"),
    "manifest_sha256": N_("manifest SHA-256"),
    "name": N_("called"),
    "new": N_("new"),
    "old": N_("old"),
    "path": N_("path"),
    "period": N_("period"),
    "reason": N_("reason"),
    "replaced": N_("replaced"),
    "revision": N_("schema"),
    "role": N_("role"),
    "rows": N_("rows"),
    "safety_backup": N_("safety copy"),
    "signed": N_("signed"),
    "size": N_("size"),
    "source": N_("source"),
    "target": N_("module or exam"),
    "trusted": N_("trusted"),
    "user": N_("person"),
    "version": N_("version"),
    "written": N_("written"),
}


KINDS = {"module": N_("Training module"), "exam": N_("Exam")}  # what an assignment is


def _value(value: Any, names: dict[str, str]) -> str:
    from records.accounts import ROLE_LABELS

    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        role = next((label for key, label in ROLE_LABELS.items() if key == value), None)
        return _(role) if role else names.get(value, value)  # a person: their name
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(names.get(str(v), str(v)) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _details(detail: dict[str, Any], names: dict[str, str]) -> str:
    parts = []
    for key, value in detail.items():
        if value is None:
            continue
        label = _(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key
        text = _(KINDS[value]) if key == "kind" and value in KINDS else _value(value, names)
        parts.append(_("{label}: {value}").format(label=label, value=text))
    return _("; ").join(parts)


@cache
def _builtin_titles(language: str) -> dict[str, str]:
    """Titles of the built-in modules and exams in ``language`` (read once: the built-in
    content does not change while the app runs)."""
    from assessments.blueprints import builtin_blueprints
    from courses.loader import builtin_modules_dir, load_modules

    titles = {key: b.title.get(language) for key, b in builtin_blueprints().items()}
    for loaded in load_modules(builtin_modules_dir()):
        if loaded.module:
            titles[loaded.module.id] = loaded.module.title.get(language)
    return titles


def _names(db: Database) -> dict[str, str]:
    """Display names for IDs that appear as actors, subjects or details: people,
    institutions, and the built-in modules and exams that assignments name."""
    names = dict(_builtin_titles(i18n.current_language()))
    names.update({u.id: f"{u.display_name} ({u.username})" for u in list_users(db)})
    names.update({i.id: i.name_zh for i in list_institutions(db)})
    return names


def search(db: Database, wanted: AuditFilter) -> list[AuditRow]:
    """Events matching ``wanted``, newest first, at most ``wanted.limit``."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc()).limit(SCAN_LIMIT)
    if wanted.since is not None:
        query = query.where(AuditEvent.at >= _local_midnight(wanted.since))
    if wanted.until is not None:
        end = _local_midnight(wanted.until + timedelta(days=1))
        query = query.where(AuditEvent.at < end)
    if wanted.actor_id:
        query = query.where(AuditEvent.actor_id == wanted.actor_id)
    if wanted.event:
        query = query.where(AuditEvent.event == wanted.event)
    with db.session() as session:
        events = list(session.scalars(query))
    names = _names(db)
    needle = wanted.text.strip().casefold()
    rows: list[AuditRow] = []
    for event in events:
        row = AuditRow(
            at=event.at,
            event=event.event,
            label=event_label(event.event),
            actor=names.get(event.actor_id or "", event.actor_id or ""),
            subject=names.get(event.subject or "", event.subject or ""),
            details=_details(event.detail or {}, names),
        )
        if needle and needle not in " ".join(row.cells()).casefold():
            continue
        rows.append(row)
        if len(rows) >= wanted.limit:
            break
    return rows


def actors(db: Database) -> list[tuple[str, str]]:
    """(id, name) of everyone who appears as the actor of an event, by name."""
    with db.session() as session:
        ids = set(session.scalars(select(AuditEvent.actor_id).distinct()))
    names = _names(db)
    return sorted(((i, names.get(i, i)) for i in ids if i), key=lambda pair: pair[1])


def event_types(db: Database) -> list[str]:
    """Every event type in the log and every known one, sorted by code."""
    with db.session() as session:
        found = set(session.scalars(select(AuditEvent.event).distinct()))
    return sorted(found | set(EVENT_LABELS))


def export(db: Database, rows: list[AuditRow], path: Path, *, actor_id: str | None) -> Path:
    """Write ``rows`` as CSV or XLSX (by the file's suffix); the export itself is audited."""
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(rows, path)
    else:
        _write_csv(rows, path)
    from records import audit

    with db.session() as session:
        audit.record(
            session,
            "audit_log_exported",
            actor_id=actor_id,
            subject=path.name[:128],
            rows=len(rows),
        )
    return path


def _write_csv(rows: list[AuditRow], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_(h) for h in HEADERS])
        for row in rows:
            writer.writerow(row.cells())


def _write_xlsx(rows: list[AuditRow], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Security log")
    sheet.append([_(h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells: list[Any] = row.cells()
        cells[0] = row.at.astimezone().replace(tzinfo=None)  # a real date cell, local time
        sheet.append(cells)
    for column, width in zip("ABCDEF", (20, 28, 24, 24, 28, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.freeze_panes = "A2"
    book.save(path)
