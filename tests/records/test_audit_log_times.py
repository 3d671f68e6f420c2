"""The security log is stored in UTC and read in the PC's own time: a Beijing clerk sees
12:30 for an event at 04:30 UTC, and "that day" means the local day."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from records import audit
from records.audit_log import AuditFilter, search
from records.db import Database


@pytest.fixture
def beijing_clock() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_times_and_days_are_local(db: Database, beijing_clock: None) -> None:
    with db.session() as session:
        audit.record(session, "database_backed_up")
        event = audit.recent(session, event="database_backed_up")[0]
        # 20:30 UTC on 3 December is 04:30 on 4 December in Beijing.
        event.at = datetime(2026, 12, 3, 20, 30, tzinfo=UTC)
    rows = search(db, AuditFilter(since=date(2026, 12, 4), until=date(2026, 12, 4)))
    assert [r.event for r in rows] == ["database_backed_up"]
    assert rows[0].cells()[0] == "2026-12-04 04:30:00"
    assert search(db, AuditFilter(since=date(2026, 12, 3), until=date(2026, 12, 3))) == []
