"""Small key/value settings stored in the database (device ID, UI language, …)."""

from __future__ import annotations

from records.db import Database
from records.tables import Setting, new_id


def get(db: Database, key: str, default: str | None = None) -> str | None:
    with db.session() as session:
        row = session.get(Setting, key)
        return row.value if row else default


def put(db: Database, key: str, value: str) -> None:
    with db.session() as session:
        row = session.get(Setting, key) or Setting(key=key, value=value)
        row.value = value
        session.add(row)


def device_id(db: Database) -> str:
    """This PC's stable ID, stamped on every record it creates."""
    value = get(db, "device_id")
    if value is None:
        value = new_id()
        put(db, "device_id", value)
    return value
