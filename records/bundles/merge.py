"""Merging a verified bundle into this database, in one transaction.

Records are append-only with IDs made on the PC that wrote them, so a merge inserts
what is missing and skips what is already here (``INSERT … ON CONFLICT DO NOTHING``:
two imports running at once cannot both add the same record). Lesson progress keeps the
newer reading; a person's details are recomputed from the merged history, the newest
change of each field winning. The result is the same whatever order bundles come in.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from records.bundles.reading import OpenedBundle
from records.bundles.rows import KINDS
from records.credentials.issuer import public_key_of
from records.credentials.issuing import PENDING, REPLACED, REVOKED, VALID
from records.credentials.revocation import verified_entry
from records.db import StorageError
from records.profiles import apply_newest
from records.tables import (
    Credential,
    ExamAttempt,
    Institution,
    LessonProgress,
    Revocation,
    TrustedIssuer,
    User,
)
from xiangyi.i18n import _

UNUSABLE_PASSWORD = "!bundle"  # not an argon2 hash: imported people cannot log in here
BATCH = 500
Progress = Callable[[int, int], None]
Signers = Mapping[str, tuple[str, Ed25519PublicKey]]


def _json_value(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value))


def _insert_postgresql(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """One short statement per batch, the rows as one JSON parameter: PostgreSQL turns
    them into table rows itself, so no long multi-row statement is built and parsed per
    batch. ``RETURNING`` counts exactly the rows inserted, conflicts excluded."""
    name = session.get_bind().dialect.identifier_preparer.format_table(table)
    statement = text(
        f"INSERT INTO {name} SELECT * FROM jsonb_populate_recordset(NULL::{name}, "
        "CAST(:rows AS jsonb)) ON CONFLICT DO NOTHING RETURNING 1"
    )
    payload = json.dumps(rows, default=_json_value, ensure_ascii=False)
    return len(session.execute(statement, {"rows": payload}).all())


def _insert_sqlite(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """One prepared statement run for every row; SQLite's row count is the number of rows
    actually inserted, conflicts excluded."""
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    result = session.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)
    return int(result.rowcount)  # type: ignore[attr-defined]


def insert_new(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert the rows not yet present; returns how many were added. Rows go in key order
    so that concurrent imports of overlapping bundles take locks in the same order."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):  # the two databases Xiangyi runs on
        raise StorageError(
            _("Record bundles can be imported into SQLite or PostgreSQL, not {name}.").format(
                name=dialect
            )
        )
    insert = _insert_postgresql if dialect == "postgresql" else _insert_sqlite
    key = table.primary_key.columns.values()[0].name
    rows = sorted(rows, key=lambda row: row[key])
    return sum(
        insert(session, table, rows[start : start + BATCH]) for start in range(0, len(rows), BATCH)
    )


def _parents_first(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Institutions in generations: each parent is inserted before its children."""
    ids = {row["id"] for row in rows}
    done: set[str] = set()
    remaining, generations = list(rows), []
    while remaining:
        ready = [r for r in remaining if r["parent_id"] not in ids or r["parent_id"] in done]
        if not ready:  # a cycle: insert the rest as they are; the foreign key decides
            ready = remaining
        generations.append(ready)
        done.update(r["id"] for r in ready)
        remaining = [r for r in remaining if r["id"] not in done]
    return generations


def _hub_user(row: dict[str, Any], device: str) -> dict[str, Any]:
    """A person from another PC: a user name that cannot clash with this PC's accounts
    (``name@device``) and no password (the hash stays on the clinic PC)."""
    username = row["username"]
    if "@" not in username:
        username = f"{username[:55]}@{device[:8]}"
    return {
        **row,
        "username": username,
        "password_hash": UNUSABLE_PASSWORD,
        "failed_logins": 0,
        "locked_until": None,
    }


STATUS_RANK = {PENDING: 0, VALID: 1, REPLACED: 2, REVOKED: 3}


def _later_reading(stored: Any, incoming: dict[str, Any]) -> dict[str, Any] | None:
    """Lesson progress: the newer reading replaces the older one entirely."""
    return incoming if incoming["updated_at"] > stored.updated_at else None


def _later_status(stored: Any, incoming: dict[str, Any]) -> dict[str, Any] | None:
    """A certificate only moves forward (valid -> replaced -> revoked), never back."""
    if STATUS_RANK.get(incoming["status"], 0) > STATUS_RANK.get(stored.status, 0):
        return {"status": incoming["status"], "replaced_by": incoming["replaced_by"]}
    return None


def _merge_mutable(
    session: Session,
    model: Any,
    rows: list[dict[str, Any]],
    later: Callable[[Any, dict[str, Any]], dict[str, Any] | None],
) -> tuple[int, int]:
    """Insert new rows; update stored ones where ``later`` says the incoming copy is
    further along (the same answer in any order). Returns (added, updated)."""
    updated = 0
    by_id = {row["id"]: row for row in rows}
    ids = sorted(by_id)
    for start in range(0, len(ids), BATCH):
        query = (
            select(model)
            .where(model.id.in_(ids[start : start + BATCH]))
            .order_by(model.id)
            .with_for_update()
        )
        for stored in session.scalars(query):
            changes = later(stored, by_id.pop(stored.id))
            if changes is not None:
                for name, value in changes.items():
                    setattr(stored, name, value)
                updated += 1
    session.flush()
    return insert_new(session, cast(Table, model.__table__), list(by_id.values())), updated


def _merge_revocations(
    session: Session, entries: Iterable[Any], signers: Signers
) -> tuple[int, int]:
    """Add the revocations signed by issuers trusted here (or trusted for this import);
    returns (added, rejected)."""
    issuers = {
        fingerprint: TrustedIssuer(
            fingerprint=fingerprint,
            name=name,
            public_key=base64.b64encode(
                key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            ).decode("ascii"),
        )
        for fingerprint, (name, key) in signers.items()
    }
    issuers.update({row.fingerprint: row for row in session.scalars(select(TrustedIssuer))})
    for row in issuers.values():
        public_key_of(row)  # a damaged trusted key fails here, not half-way
    rows, rejected = [], 0
    for entry in entries:
        revocation = verified_entry(entry, issuers)
        if revocation is None:
            rejected += 1
            continue
        rows.append({c.name: getattr(revocation, c.key) for c in Revocation.__table__.columns})
    return insert_new(session, cast(Table, Revocation.__table__), rows), rejected


def _apply_revocations(session: Session, credential_ids: set[str]) -> None:
    """A certificate revoked by its own issuer shows as revoked, whichever came first."""
    ids = sorted(credential_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        revoked = dict(
            session.execute(
                select(Revocation.credential_id, Revocation.issuer_fingerprint).where(
                    Revocation.credential_id.in_(chunk)
                )
            ).all()
        )
        if not revoked:
            continue
        query = select(Credential).where(Credential.id.in_(list(revoked)))
        for credential in session.scalars(query):
            if credential.issuer_fingerprint == revoked[credential.id]:
                credential.status = REVOKED


MUTABLE: dict[str, tuple[Any, Callable[[Any, dict[str, Any]], dict[str, Any] | None]]] = {
    "lesson_progress": (LessonProgress, _later_reading),
    "credentials": (Credential, _later_status),
}


def merge(
    session: Session, bundle: OpenedBundle, signers: Signers, progress: Progress | None
) -> dict[str, Any]:
    """Merge ``bundle`` in ``session``; returns per kind what was added and skipped."""
    rows, device = bundle.rows, bundle.manifest.device_id
    added: dict[str, int] = {}
    updated: dict[str, int] = {}
    total = len(KINDS) + 1
    for done, kind in enumerate(KINDS, start=1):
        found = rows[kind.name]
        table = kind.sql_table
        if kind.name == "institutions":
            added[kind.name] = sum(insert_new(session, table, g) for g in _parents_first(found))
        elif kind.name == "users":
            added[kind.name] = insert_new(session, table, [_hub_user(r, device) for r in found])
        elif kind.name in MUTABLE:
            model, later = MUTABLE[kind.name]
            added[kind.name], updated[kind.name] = _merge_mutable(session, model, found, later)
        else:
            added[kind.name] = insert_new(session, table, found)
        if kind.name == "profile_changes":
            session.flush()
            updated["users"] = apply_newest(session, {r["user_id"] for r in found})
        if progress is not None:
            progress(done, total)
    added["revocations"], rejected = _merge_revocations(session, bundle.revocations, signers)
    revoked_ids = {str(e.get("credential_id")) for e in bundle.revocations if isinstance(e, dict)}
    _apply_revocations(session, revoked_ids | {r["id"] for r in rows["credentials"]})
    if progress is not None:
        progress(total, total)
    counts = {name: len(found) for name, found in rows.items()}
    counts["revocations"] = len(bundle.revocations)
    skipped = {name: counts[name] - added.get(name, 0) - updated.get(name, 0) for name in counts}
    skipped["revocations"] -= rejected
    return {
        "added": added,
        "updated": updated,
        "skipped": skipped,
        "rejected": {"revocations": rejected},
    }


def missing_references(session: Session, bundle: OpenedBundle) -> str | None:
    """The first record whose person, institution or exam is neither in the bundle nor
    here (a damaged bundle), or None."""
    rows = bundle.rows
    users = {r["id"] for r in rows["users"]}
    exams = {r["id"] for r in rows["exam_attempts"]}
    institutions = {r["id"] for r in rows["institutions"]}
    wanted: list[tuple[Any, set[str], list[str | None]]] = [
        (
            User,
            users,
            [
                r["user_id"]
                for k in ("attempts", "lesson_progress", "exam_attempts", "credentials")
                for r in rows[k]
            ],
        ),
        (ExamAttempt, exams, [r["exam_attempt_id"] for r in rows["credentials"]]),
        (Institution, institutions, [r["parent_id"] for r in rows["institutions"]]),
    ]
    for table, present, refs in wanted:
        needed = sorted({ref for ref in refs if ref is not None} - present)
        for start in range(0, len(needed), BATCH):
            chunk = needed[start : start + BATCH]
            here = set(session.scalars(select(table.id).where(table.id.in_(chunk))))
            gone = [ref for ref in chunk if ref not in here]
            if gone:
                return gone[0]
    return None
