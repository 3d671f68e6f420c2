"""The county hub: the same records and exports come out of PostgreSQL as out of SQLite
(the bulk reads extract JSON fields in the database, so both dialects are exercised)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from report_fixtures import build_county

from records.db import Database, open_database
from records.reports import xapi
from records.reports.columns import DOCTOR_COLUMNS
from records.reports.record import build_report
from records.reports.tabular import write_xlsx

pytestmark = pytest.mark.slow


def _exports(db: Database, data_dir: Path, out: Path) -> dict[str, Any]:
    county = build_county(db, data_dir)
    report = build_report(db, county.catalogue)
    book = load_workbook(write_xlsx(report, out))
    rows = sorted(book["学员"].iter_rows(min_row=2, values_only=True), key=lambda r: str(r[1]))
    statements = list(xapi.statements(db, county.catalogue))
    verbs = sorted(s["verb"]["id"] for s in statements)
    results = sorted(
        (
            s["verb"]["id"],
            s["result"].get("score", {}).get("scaled", -1),
            s["result"].get("duration", ""),
        )
        for s in statements
        if "result" in s
    )
    return {"rows": rows, "verbs": verbs, "results": results, "doctors": len(report.records)}


def test_postgresql_gives_what_sqlite_gives(pg_url: str, tmp_path: Path) -> None:
    found = []
    for name, url in (("sqlite", None), ("postgresql", pg_url)):
        data_dir = tmp_path / name
        data_dir.mkdir()
        db = open_database(data_dir, url)
        try:
            found.append(_exports(db, data_dir, tmp_path / f"{name}.xlsx"))
        finally:
            db.close()
    sqlite, postgresql = found
    assert sqlite["doctors"] == 4
    # Certificate codes are random: compare every other column.
    codes = [spec.key for spec in DOCTOR_COLUMNS].index("certificates")
    strip = [[v for n, v in enumerate(row) if n != codes] for row in sqlite["rows"]]
    assert strip == [[v for n, v in enumerate(row) if n != codes] for row in postgresql["rows"]]
    assert sqlite["verbs"] == postgresql["verbs"] and sqlite["results"] == postgresql["results"]
