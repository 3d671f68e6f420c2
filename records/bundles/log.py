"""When bundles were last written here and last merged from each clinic (for screens
and ``xiangyi bundle status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from records.db import Database
from records.tables import BundleLogEntry


@dataclass(frozen=True)
class DeviceImports:
    """The bundles merged here from one clinic PC."""

    device_id: str
    signer: str
    last_import: datetime
    bundles: int


def last_export(db: Database) -> datetime | None:
    """The time of the last bundle written on this PC, or None."""
    with db.session() as session:
        return session.scalar(
            select(func.max(BundleLogEntry.at)).where(
                BundleLogEntry.direction == "export", BundleLogEntry.result == "ok"
            )
        )


def imports_by_device(db: Database) -> list[DeviceImports]:
    """For every clinic PC whose bundles were merged here: when last, and how many
    bundles; the most recent first."""
    with db.session() as session:
        rows = session.execute(
            select(
                BundleLogEntry.device_id,
                func.max(BundleLogEntry.at),
                func.count(func.distinct(BundleLogEntry.bundle_id)),
            )
            .where(BundleLogEntry.direction == "import", BundleLogEntry.result == "ok")
            .group_by(BundleLogEntry.device_id)
        ).all()
        signers = dict(
            session.execute(
                select(BundleLogEntry.device_id, BundleLogEntry.signer)
                .where(BundleLogEntry.direction == "import")
                .order_by(BundleLogEntry.at)
            ).all()
        )
    found = [DeviceImports(d, signers.get(d, ""), at, n) for d, at, n in rows]
    return sorted(found, key=lambda item: item.last_import, reverse=True)


def recent(db: Database, limit: int = 50) -> list[BundleLogEntry]:
    """The latest bundle exports and imports, newest first."""
    with db.session() as session:
        query = select(BundleLogEntry).order_by(BundleLogEntry.at.desc()).limit(limit)
        return list(session.scalars(query))
