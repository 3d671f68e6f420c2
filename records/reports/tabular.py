"""XLSX and CSV exports of a report, both driven by the column specs of ``columns``.

XLSX (openpyxl, write-only so 5,000 doctors stream out quickly): numbers stored as
numbers with a number format, dates as dates, a frozen header row and column widths, one
sheet each for the doctors, the institution summaries, the AI kinds and the domains.
CSV: the doctors sheet in UTF-8 with a byte-order mark, so Excel opens Chinese right.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from records.reports.columns import (
    AI_KIND_COLUMNS,
    DOCTOR_COLUMNS,
    DOMAIN_COLUMNS,
    INSTITUTION_COLUMNS,
    NUMBER_FORMATS,
    ColumnSpec,
    Row,
    values,
)
from records.reports.files import atomic_target
from records.reports.record import CancelCheck, Progress, Report, check
from records.reports.summary import ai_kind_rows, domain_rows, institution_summaries

# Sheet titles (bilingual like the headers; Excel allows at most 31 characters).
SHEETS = {
    "doctors": ("学员", "Doctors"),
    "institutions": ("机构汇总", "Institutions"),
    "ai_kinds": ("AI 类别", "AI kinds"),
    "domains": ("能力领域", "Domains"),
}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F7F1E6")
_STEP = 200  # rows between progress reports and cancel checks


def _sheet_title(key: str, lang: str) -> str:
    zh, en = SHEETS[key]
    return en if lang == "en" else zh


def _start_sheet(
    book: Workbook, title: str, columns: Sequence[ColumnSpec[Any]], lang: str
) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for n, spec in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = spec.width
    header = []
    for spec in columns:
        cell = WriteOnlyCell(sheet, value=spec.header(lang))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    return sheet


def _formatted_row(
    sheet: WriteOnlyWorksheet, columns: Sequence[ColumnSpec[Row]], row: Row, lang: str
) -> list[Any]:
    out: list[Any] = []
    for spec, value in zip(columns, values(columns, row, lang), strict=True):
        fmt = NUMBER_FORMATS.get(spec.type)
        if fmt is None or value is None:
            out.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = fmt
        out.append(cell)
    return out


class _Counter:
    """Progress over every row of every sheet, with cancel checks."""

    def __init__(self, total: int, progress: Progress | None, cancelled: CancelCheck | None):
        self.done, self.total, self.progress, self.cancelled = 0, total, progress, cancelled

    def step(self) -> None:
        self.done += 1
        if self.done % _STEP == 0 or self.done == self.total:
            check(self.cancelled)
            if self.progress is not None:
                self.progress(self.done, self.total)


def write_xlsx(
    report: Report,
    target: Path,
    *,
    lang: str = "zh_CN",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write the four sheets to ``target`` (replaced only when complete)."""
    summaries = institution_summaries(report)
    sheets: list[tuple[str, Sequence[ColumnSpec[Any]], Sequence[Any]]] = [
        ("doctors", DOCTOR_COLUMNS, report.records),
        ("institutions", INSTITUTION_COLUMNS, summaries),
        ("ai_kinds", AI_KIND_COLUMNS, ai_kind_rows(summaries)),
        ("domains", DOMAIN_COLUMNS, domain_rows(report)),
    ]
    counter = _Counter(sum(len(rows) for _k, _c, rows in sheets), progress, cancelled)
    check(cancelled)
    book = Workbook(write_only=True)
    try:
        for key, columns, rows in sheets:
            sheet = _start_sheet(book, _sheet_title(key, lang), columns, lang)
            for row in rows:
                sheet.append(_formatted_row(sheet, columns, row, lang))
                counter.step()
    except BaseException:
        for sheet in book.worksheets:
            sheet.close()  # finish the sheets' temporary files now, not in the collector
        raise
    with atomic_target(Path(target)) as temp:
        book.save(temp)
    return Path(target)


def _csv_text(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)  # no binary noise such as 0.30000000000000004
    return "" if value is None else value


def write_csv(
    report: Report,
    target: Path,
    *,
    lang: str = "zh_CN",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """The doctors' records as CSV, UTF-8 with BOM; numbers unformatted (0.84, not 84%)."""
    counter = _Counter(len(report.records), progress, cancelled)
    check(cancelled)
    target = Path(target)
    with atomic_target(target) as temp, temp.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([spec.header(lang) for spec in DOCTOR_COLUMNS])
        for record in report.records:
            writer.writerow([_csv_text(v) for v in values(DOCTOR_COLUMNS, record, lang)])
            counter.step()
    return Path(target)
