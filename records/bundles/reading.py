"""Opening a bundle file: size, decryption, signature, hashes, then every row checked
against its table and every exam's hash chain verified. Nothing touches the database
here; a bundle that passes is merged by ``records.bundles.merge``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from assessments import exam as exam_logic
from records.bundles import sealing
from records.bundles.archive import MAX_BUNDLE_BYTES, BundleError, Manifest, read_bundle
from records.bundles.rows import KINDS, RowError, RowReader
from xiangyi.i18n import _

REVOCATIONS = "revocations.json"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class OpenedBundle:
    """A verified bundle: its manifest, its rows per kind and its revocation list."""

    manifest: Manifest
    rows: dict[str, list[dict[str, Any]]]
    revocations: list[Any]
    sha256: str


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing one too large before reading it."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError(_("the file is too large for a record bundle"))
        return path.read_bytes()
    except OSError as exc:
        raise BundleError(
            _("the file cannot be read ({error})").format(error=exc.strerror)
        ) from exc


def open_bundle(
    data: bytes,
    trusted: Mapping[str, tuple[str, Ed25519PublicKey]],
    county_key: X25519PrivateKey | None,
) -> OpenedBundle:
    """Decrypt (if sealed), verify and parse a bundle; BundleError names the problem."""
    digest = hashlib.sha256(data).hexdigest()
    if sealing.is_sealed(data):
        try:
            data = sealing.unseal(data, county_key)
        except sealing.SealError as exc:
            raise BundleError(str(exc)) from exc
    if not data.startswith(ZIP_MAGIC):
        raise BundleError(_("it is not a Xiangyi record bundle"))
    manifest, members = read_bundle(data, trusted)
    expected = {kind.member for kind in KINDS} | {REVOCATIONS}
    if set(members) != expected:
        raise BundleError(_("its files do not match its manifest"))
    rows = {
        kind.name: _rows(kind.member, members[kind.member], RowReader.of(kind)) for kind in KINDS
    }
    revocations = _revocations(members[REVOCATIONS])
    for name, found in rows.items():
        if manifest.counts.get(name) != len(found):
            raise BundleError(_("its counts do not match its contents"))
    _check_exam_chains(rows["exam_attempts"], rows["exam_events"])
    return OpenedBundle(manifest, rows, revocations, digest)


def _rows(member: str, content: bytes, reader: RowReader) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(content.splitlines(), start=1):
        try:
            rows.append(reader.read(json.loads(line)))
        except (ValueError, RecursionError) as exc:
            problem = str(exc) if isinstance(exc, RowError) else _("not valid JSON")
            raise BundleError(
                _("'{member}' line {line}: {problem}").format(
                    member=member, line=number, problem=problem
                )
            ) from exc
    return rows


def _revocations(content: bytes) -> list[Any]:
    try:
        doc = json.loads(content)
        entries = doc["revocations"]
        if not isinstance(entries, list):
            raise TypeError("revocations")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise BundleError(
            _("'{member}' is not a revocation list").format(member=REVOCATIONS)
        ) from exc
    return entries


def _check_exam_chains(attempts: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    """Every exam's events must form an unbroken hash chain, and belong to an exam here."""
    ids = {attempt["id"] for attempt in attempts}
    chains: dict[str, list[exam_logic.ChainedRecord]] = {}
    for event in events:
        if event["attempt_id"] not in ids or not isinstance(event["data"], dict):
            raise BundleError(
                _("exam events without their exam, or damaged ({attempt})").format(
                    attempt=event["attempt_id"]
                )
            )
        chains.setdefault(event["attempt_id"], []).append(
            exam_logic.ChainedRecord(
                event["attempt_id"],
                event["seq"],
                exam_logic.ExamEvent(event["kind"], event["at"], dict(event["data"])),
                event["prev_hash"],
                event["hash"],
            )
        )
    for attempt_id, chain in chains.items():
        chain.sort(key=lambda record: record.seq)
        if not exam_logic.verify_chain(chain).ok:
            raise BundleError(
                _("the events of exam {attempt} do not match their hash chain").format(
                    attempt=attempt_id
                )
            )
