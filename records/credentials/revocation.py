"""Revocation: an administrator revokes with a reason; the revocation is signed by the
issuing key, so a revocation list can travel (record bundles, packs, USB) and every PC
that trusts the issuer learns of it. Importing is an idempotent merge.

A revocation list file (``revocations.json``)::

    {"format": "xiangyi-revocations", "version": 1,
     "revocations": [{"credential_id", "issuer", "reason", "revoked_at", "revoked_by",
                      "signature"}, ...]}

Each entry's signature (base64 Ed25519) covers ``DOMAIN`` + the canonical JSON of the
entry without its signature; entries of issuers not trusted here are left out.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select

from records import audit
from records.accounts import Role
from records.credentials.encoding import canonical_json
from records.credentials.issuer import IssuerKey, public_key_of
from records.credentials.issuing import PENDING, REVOKED
from records.db import Database
from records.tables import Credential, Revocation, TrustedIssuer, User, utcnow
from xiangyi.i18n import _

FORMAT = "xiangyi-revocations"
VERSION = 1
DOMAIN = b"xiangyi-revocation-v1\n"
LIST_FILE = "revocations.json"
MAX_LIST_BYTES = 20_000_000
ENTRY_FIELDS = ("credential_id", "issuer", "reason", "revoked_at", "revoked_by")


class RevocationError(Exception):
    """A revocation or revocation list was refused; ``str()`` is for the user."""


def _entry(row: Revocation) -> dict[str, str]:
    return {
        "credential_id": row.credential_id,
        "issuer": row.issuer_fingerprint,
        "reason": row.reason,
        "revoked_at": row.revoked_at.isoformat(),
        "revoked_by": row.revoked_by,
    }


def revoke(
    db: Database, actor: User, credential_id: str, reason: str, signer: IssuerKey | None
) -> Credential:
    """Revoke a credential (administrators; audited). A signed credential needs the
    issuing key that signed it; a pending one is simply withdrawn."""
    if actor.role != Role.ADMIN:
        raise RevocationError(_("Only an administrator can revoke a certificate."))
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise RevocationError(_("Give the reason for revoking (at most 500 characters)."))
    with db.session() as session:
        row = session.get(Credential, credential_id)
        if row is None:
            raise RevocationError(_("No such certificate."))
        if row.status == REVOKED:
            raise RevocationError(_("This certificate is already revoked."))
        if row.status != PENDING:
            if signer is None or signer.fingerprint != row.issuer_fingerprint:
                raise RevocationError(
                    _("Only the issuing key that signed this certificate can revoke it.")
                )
            revocation = Revocation(
                credential_id=row.id,
                issuer_fingerprint=signer.fingerprint,
                reason=reason,
                revoked_at=utcnow(),
                revoked_by=actor.display_name[:128],
                signature="",
            )
            signature = signer.private.sign(DOMAIN + canonical_json(_entry(revocation)))
            revocation.signature = base64.b64encode(signature).decode("ascii")
            session.add(revocation)
        row.status = REVOKED
        audit.record(
            session, "credential_revoked", actor_id=actor.id, subject=row.id, reason=reason
        )
    return row


def revocation_list(db: Database) -> dict[str, Any]:
    """Every revocation known here (own and imported), ready to write as JSON."""
    with db.session() as session:
        rows = list(session.scalars(select(Revocation).order_by(Revocation.revoked_at)))
    return {
        "format": FORMAT,
        "version": VERSION,
        "revocations": [{**_entry(r), "signature": r.signature} for r in rows],
    }


def export_list(db: Database, path: Path) -> int:
    """Write the revocation list to ``path``; returns the number of entries."""
    doc = revocation_list(db)
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(doc["revocations"])


@dataclass
class MergeResult:
    added: int = 0
    known: int = 0
    rejected: int = 0  # bad signature, untrusted issuer or malformed


def _checked(entry: Any, issuers: dict[str, TrustedIssuer]) -> Revocation | None:
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), str) for k in (*ENTRY_FIELDS, "signature")
    ):
        return None
    body = {k: entry[k] for k in ENTRY_FIELDS}
    issuer = issuers.get(body["issuer"])
    if issuer is None or len(body["reason"]) > 512 or len(body["credential_id"]) > 32:
        return None
    try:
        signature = base64.b64decode(entry["signature"], validate=True)
        public_key_of(issuer).verify(signature, DOMAIN + canonical_json(body))
        revoked_at = datetime.fromisoformat(body["revoked_at"])
    except (InvalidSignature, ValueError, binascii.Error):
        return None
    return Revocation(
        credential_id=body["credential_id"],
        issuer_fingerprint=body["issuer"],
        reason=body["reason"],
        revoked_at=revoked_at,
        revoked_by=body["revoked_by"][:128],
        signature=entry["signature"],
    )


def verified_entry(entry: Any, issuers: dict[str, TrustedIssuer]) -> Revocation | None:
    """The revocation of a list entry whose signature by a trusted issuer holds, else None
    (record bundles merge revocations with this in their own transaction)."""
    return _checked(entry, issuers)


def merge_list(db: Database, doc: Any, *, source: str = "") -> MergeResult:
    """Merge a revocation list document: new valid entries are added, known ones kept."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RevocationError(_("This is not a Xiangyi revocation list."))
    entries = doc.get("revocations")
    if not isinstance(entries, list):
        raise RevocationError(_("The revocation list is damaged."))
    result = MergeResult()
    with db.session() as session:
        issuers = {row.fingerprint: row for row in session.scalars(select(TrustedIssuer))}
        for entry in entries:
            row = _checked(entry, issuers)
            if row is None:
                result.rejected += 1
                continue
            if session.get(Revocation, row.credential_id) is not None:
                result.known += 1
                continue
            session.add(row)
            result.added += 1
            local = session.get(Credential, row.credential_id)
            if local is not None and local.issuer_fingerprint == row.issuer_fingerprint:
                local.status = REVOKED
        if result.added:
            audit.record(session, "revocations_imported", subject=source[:128], added=result.added)
    return result


def import_list(db: Database, path: Path) -> MergeResult:
    """Read and merge a ``revocations.json`` file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            raise RevocationError(_("The file {path} is too large.").format(path=path.name))
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RevocationError(
            _("{path} cannot be read as a revocation list.").format(path=path.name)
        ) from exc
    return merge_list(db, doc, source=path.name)


def import_from_packs(db: Database, data_dir: Path) -> MergeResult:
    """Merge the ``revocations.json`` of every installed pack that carries one."""
    from records.packs import installed_pack_folders

    total = MergeResult()
    for folder in installed_pack_folders(db, data_dir):
        if (folder / LIST_FILE).is_file():
            try:
                found = import_list(db, folder / LIST_FILE)
            except RevocationError:
                total.rejected += 1
                continue
            total.added += found.added
            total.known += found.known
            total.rejected += found.rejected
    return total
