"""Record bundles: records travel from offline clinic PCs to the county on USB sticks.

- ``export_bundle(db, path, signer=issuer_key, county_public_key=…)`` writes everything
  since the last export as one signed (and optionally encrypted) file.
- ``import_bundle(db, path, county_private_key=…)`` verifies and merges one, in one
  transaction; a refused bundle (``BundleRefused``) changes nothing.
- ``last_export(db)`` and ``imports_by_device(db)`` for "last exported / imported".

See docs/decisions/0008-record-bundles.md for the format and the choice of keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from records.bundles.archive import BundleError
from records.bundles.export import ExportResult, default_since, export_bundle
from records.bundles.log import DeviceImports, imports_by_device, last_export, recent
from records.bundles.merge import Progress, merge, missing_references
from records.bundles.reading import OpenedBundle, open_bundle, read_file
from records.bundles.rows import KIND_LABELS
from records.bundles.sealing import (
    CountyPublicKey,
    SealError,
    county_key_files,
    create_county_key,
    load_county_private_key,
    read_county_public_key,
)
from records.credentials.issuer import public_key_of
from records.db import Database
from records.tables import BundleLogEntry, TrustedIssuer
from xiangyi.i18n import _

__all__ = [
    "KIND_LABELS",
    "BundleRefused",
    "CountyPublicKey",
    "DeviceImports",
    "ExportResult",
    "ImportReport",
    "SealError",
    "county_key_files",
    "create_county_key",
    "default_since",
    "export_bundle",
    "import_bundle",
    "imports_by_device",
    "last_export",
    "load_county_private_key",
    "read_county_public_key",
    "recent",
    "trusted_signers",
]

Signers = Mapping[str, tuple[str, Ed25519PublicKey]]


class BundleRefused(Exception):
    """A bundle was not merged; ``str()`` names the file and the problem, translated."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            _("The record bundle {name} was refused: {reason}. Nothing was changed.").format(
                name=path.name, reason=reason
            )
        )
        self.path = path
        self.reason = reason


@dataclass
class ImportReport:
    """What one import added (per kind), updated, skipped as already present, and
    rejected (revocations by issuers not trusted here)."""

    path: Path
    bundle_id: str
    device_id: str
    signer: str
    created_at: datetime
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


def trusted_signers(db: Database) -> dict[str, tuple[str, Ed25519PublicKey]]:
    """The issuing keys this PC trusts; they also sign the bundles of their PCs."""
    with db.session() as session:
        rows = list(session.scalars(select(TrustedIssuer)))
    return {row.fingerprint: (row.name, public_key_of(row)) for row in rows}


def import_bundle(
    db: Database,
    path: Path,
    *,
    trusted: Signers | None = None,
    county_private_key: X25519PrivateKey | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Verify the bundle at ``path`` and merge it in one transaction.

    ``trusted`` defaults to the trusted issuers of this PC. Raises BundleRefused (and
    changes nothing) for a damaged, changed, foreign, malformed or unreadable bundle.
    """
    path = Path(path)
    signers = trusted_signers(db) if trusted is None else trusted
    try:
        bundle = open_bundle(read_file(path), signers, county_private_key)
        result = _merge_in_one_transaction(db, bundle, signers, progress)
    except BundleError as exc:
        raise BundleRefused(path, str(exc)) from exc
    except IntegrityError as exc:
        raise BundleRefused(path, _("its records conflict with records here")) from exc
    manifest = bundle.manifest
    return ImportReport(
        path,
        manifest.bundle_id,
        manifest.device_id,
        manifest.signer_name,
        manifest.created_at,
        result["added"],
        result["updated"],
        result["skipped"],
        result["rejected"],
    )


def _merge_in_one_transaction(
    db: Database, bundle: OpenedBundle, signers: Signers, progress: Progress | None
) -> dict[str, Any]:
    manifest = bundle.manifest
    with db.session() as session:
        # The log entry is written first: in SQLite the transaction then holds the
        # write lock from its start (waiting for another writer rather than failing
        # later on a stale snapshot); in PostgreSQL it is just a row.
        entry = BundleLogEntry(
            direction="import",
            bundle_id=manifest.bundle_id,
            device_id=manifest.device_id,
            signer=manifest.signer_name[:256],
            since=manifest.since,
            counts={},
            sha256=bundle.sha256,
            result="ok",
        )
        session.add(entry)
        session.flush()
        missing = missing_references(session, bundle)
        if missing is not None:
            raise BundleError(
                _("it refers to a record that is neither in it nor here ({id})").format(id=missing)
            )
        result = merge(session, bundle, signers, progress)
        entry.counts = result
    return result
