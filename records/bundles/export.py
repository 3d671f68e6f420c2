"""Writing a record bundle: everything recorded on this PC since the last export.

People, institutions and the profile history travel in every bundle (they are few, and
a bundle that carries the people its records belong to can be merged in any order).
Records travel once they are final: completed case attempts, submitted exams with their
hash-chained events, issued certificates (with the exam they certify), revocations,
assignments and lesson progress. "Since the last export" starts an hour before the last
export's time: the overlap costs a few duplicates, which the hub skips, and never loses
a record committed while the last export ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session, aliased

from records.bundles import sealing
from records.bundles.archive import FORMAT, VERSION, MemberWriter
from records.bundles.log import last_export
from records.bundles.rows import KIND_BY_NAME, KINDS, to_json
from records.credentials.issuer import IssuerKey
from records.credentials.revocation import revocation_list
from records.db import Database
from records.settings import device_id
from records.tables import (
    Assignment,
    Attempt,
    BundleLogEntry,
    Credential,
    ExamAttempt,
    ExamEventRow,
    LessonProgress,
    new_id,
    utcnow,
)

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
OVERLAP = timedelta(hours=1)
REVOCATIONS = "revocations.json"
BATCH = 1000


@dataclass
class ExportResult:
    """What an export wrote (``path`` is None when it was cancelled)."""

    path: Path | None
    bundle_id: str
    since: datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    encrypted: bool = False
    cancelled: bool = False


def _queries(since: datetime | None) -> dict[str, Select[Any]]:
    def after(column: Any) -> ColumnElement[bool]:
        return column.is_not(None) & (column >= since) if since else column.is_not(None)

    newer = aliased(Credential)
    issued = (Credential.status != "pending") & after(Credential.issued_at)
    # A certificate replaced by one issued since travels again, to carry its new status.
    replaced = Credential.replaced_by.in_(
        select(newer.id).where(newer.status != "pending", after(newer.issued_at))
    )
    credentials = issued | (Credential.issued_at.is_not(None) & replaced)
    # An issued certificate carries the exam it certifies, so it merges in any order.
    certified = select(Credential.exam_attempt_id).where(
        credentials, Credential.exam_attempt_id.is_not(None)
    )
    exams = after(ExamAttempt.submitted_at) | ExamAttempt.id.in_(certified)
    everything = true()
    return {
        "institutions": select(KIND_BY_NAME["institutions"].table).where(everything),
        "users": select(KIND_BY_NAME["users"].table).where(everything),
        "profile_changes": select(KIND_BY_NAME["profile_changes"].table).where(everything),
        "assignments": select(Assignment).where(after(Assignment.created_at)),
        "attempts": select(Attempt).where(after(Attempt.completed_at)),
        "lesson_progress": select(LessonProgress).where(after(LessonProgress.updated_at)),
        "exam_attempts": select(ExamAttempt).where(exams),
        "exam_events": select(ExamEventRow)
        .where(ExamEventRow.attempt_id.in_(select(ExamAttempt.id).where(exams)))
        .order_by(ExamEventRow.attempt_id, ExamEventRow.seq),
        "credentials": select(Credential).where(credentials),
    }


def _lines(
    session: Session, query: Select[Any], name: str, counts: dict[str, int]
) -> Iterator[bytes]:
    kind = KIND_BY_NAME[name]
    counts[name] = 0
    batch: list[bytes] = []
    for row in session.scalars(query.execution_options(yield_per=BATCH)):
        batch.append(json.dumps(to_json(row, kind), ensure_ascii=False).encode() + b"\n")
        counts[name] += 1
        if len(batch) >= BATCH:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def default_since(db: Database) -> datetime | None:
    """Where the next export starts: an hour before the last one (None: never exported)."""
    last = last_export(db)
    return last - OVERLAP if last is not None else None


class _Cancelled(Exception):
    pass


def export_bundle(
    db: Database,
    out_path: Path,
    *,
    signer: IssuerKey,
    since: datetime | None = None,
    everything: bool = False,
    county_public_key: sealing.CountyPublicKey | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExportResult:
    """Write one signed bundle of the records since ``since`` (default: since the last
    export; ``everything=True``: all records) to ``out_path``, encrypted to the county
    when ``county_public_key`` is given. The file appears only when complete; a
    cancelled export leaves no file and does not count as an export."""
    since = None if everything else (since or default_since(db))
    created_at = utcnow()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": new_id(),
        "device_id": device_id(db),
        "created_at": created_at.isoformat(),
        "since": since.isoformat() if since else None,
        "signer": {"name": signer.name, "fingerprint": signer.fingerprint},
    }
    result = ExportResult(None, manifest["bundle_id"], since, encrypted=bool(county_public_key))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".bundle-", suffix=".tmp", dir=out_path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            writer = MemberWriter(handle)
            try:
                _write_members(db, writer, since, result.counts, progress, cancel)
            except BaseException:
                writer.zip.close()  # the temporary file is removed below
                raise
            writer.finish({**manifest, "counts": result.counts}, signer.private, signer.fingerprint)
        if county_public_key is not None:
            temp.write_bytes(sealing.seal(temp.read_bytes(), county_public_key))
        digest = _sha256(temp)
        os.replace(temp, out_path)
    except _Cancelled:
        temp.unlink(missing_ok=True)
        result.cancelled = True
        return result
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    result.path = out_path
    _log_export(db, manifest, created_at, since, result.counts, digest)
    return result


def _log_export(
    db: Database,
    manifest: dict[str, Any],
    at: datetime,
    since: datetime | None,
    counts: dict[str, int],
    digest: str,
) -> None:
    """The export's time becomes the watermark of the next one."""
    with db.session() as session:
        session.add(
            BundleLogEntry(
                direction="export",
                bundle_id=manifest["bundle_id"],
                device_id=manifest["device_id"],
                signer=manifest["signer"]["name"][:256],
                at=at,
                since=since,
                counts=counts,
                sha256=digest,
                result="ok",
            )
        )


def _write_members(
    db: Database,
    writer: MemberWriter,
    since: datetime | None,
    counts: dict[str, int],
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    queries = _queries(since)
    total = len(KINDS) + 1
    # One session: every member is read from the same snapshot of the database.
    with db.session() as session:
        for done, kind in enumerate(KINDS, start=1):
            if cancel is not None and cancel():
                raise _Cancelled
            writer.add(kind.member, _lines(session, queries[kind.name], kind.name, counts))
            if progress is not None:
                progress(done, total)
    doc = revocation_list(db)
    counts["revocations"] = len(doc["revocations"])
    writer.add(REVOCATIONS, [json.dumps(doc, ensure_ascii=False).encode()])
    if progress is not None:
        progress(total, total)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
