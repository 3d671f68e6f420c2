"""A 500-person cohort sheet with 20 known bad rows, written as XLSX or CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from records.cohort_import import COLUMNS

HEADER = [f"{zh} / {en}" for _key, zh, en in COLUMNS]
ROLES = ["learner", "学员", "trainer", "Learner", ""]

# Spreadsheet row -> (what to break, words the reason must contain). Row 2 is the first
# person. Twenty rows, each with exactly one problem.
BAD_ROWS: dict[int, tuple[str, str]] = {
    5: ("no_username", "user name is missing"),
    17: ("no_name", "full name is missing"),
    33: ("role", "role 'doctor'"),
    48: ("dup_file", "also on row 2"),
    61: ("dup_db", "already has an account"),
    77: ("institution", "institution '不存在卫生院'"),
    90: ("practising", "practising number '12 34'"),
    104: ("password", "fewer than 8 characters"),
    128: ("bad_username", "may only have"),
    150: ("role", "role 'doctor'"),
    199: ("no_username", "user name is missing"),
    230: ("institution", "institution '不存在卫生院'"),
    260: ("practising", "practising number '12 34'"),
    288: ("password", "fewer than 8 characters"),
    301: ("no_name", "full name is missing"),
    333: ("dup_file", "also on row 2"),
    377: ("bad_username", "may only have"),
    402: ("practising", "practising number '12 34'"),
    455: ("role", "role 'doctor'"),
    500: ("institution", "institution '不存在卫生院'"),
}


def cohort_rows(count: int = 500, *, broken: bool = True) -> list[list[object]]:
    """Rows below the header; with ``broken`` the rows of BAD_ROWS carry their fault."""
    rows: list[list[object]] = []
    for index in range(count):
        number = index + 2
        row: list[object] = [
            f"doc{index:04d}",
            f"医生{index:04d}号",
            ROLES[index % len(ROLES)],
            f"1414403{index:08d}",
            "HX-001" if index % 2 else "红星乡卫生院",
            "全科" if index % 3 else "",
            "乡村医生",
            f"init-pass-{index:04d}" if index % 4 else "",
        ]
        kind = BAD_ROWS.get(number, ("", ""))[0] if broken else ""
        if kind == "no_username":
            row[0] = ""
        elif kind == "no_name":
            row[1] = "  "
        elif kind == "role":
            row[2] = "doctor"
        elif kind == "dup_file":
            row[0] = "doc0000"
        elif kind == "dup_db":
            row[0] = "existing"
        elif kind == "institution":
            row[4] = "不存在卫生院"
        elif kind == "practising":
            row[3] = "12 34"
        elif kind == "password":
            row[7] = "short"
        elif kind == "bad_username":
            row[0] = "doc bad!"
        rows.append(row)
    return rows


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(
    path: Path, rows: list[list[object]], encoding: str, header: list[str] | None = None
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or HEADER)
        writer.writerows(rows)
    return path
