"""Reading a cohort sheet (XLSX or CSV) into rows of text, defensively.

The file comes from outside (a county office's spreadsheet, a USB stick), so every
limit is checked before the work it protects: file size, the uncompressed size of an
XLSX (a zip bomb), the number of rows and columns, the length of a cell. Formulas are
refused rather than evaluated, numbers typed into text columns are turned back into the
digits a person typed, and a CSV may be UTF-8 (with or without BOM) or GB18030 (what
Excel on a Chinese Windows saves).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from xiangyi.i18n import _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000  # people in one file; a county has a few hundred to a few thousand
MAX_COLUMNS = 30
MAX_CELL = 512
HEADER_SEARCH = 10  # rows searched for the header below a title


class CohortFileError(Exception):
    """The file as a whole cannot be read; ``str()`` is translated and says what to do."""


@dataclass(frozen=True)
class Cell:
    """A cell's text, or the reason it has none usable (a formula, a date, …)."""

    text: str
    problem: str | None = None


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row; ``number`` is what the spreadsheet program shows (header = 1)."""

    number: int
    cells: list[Cell]


def read_sheet(
    path: Path, is_header: Callable[[list[str]], bool] | None = None
) -> tuple[list[str], list[SheetRow]]:
    """Return the header texts and the non-empty rows below them.

    The header is the first non-empty row, or — given ``is_header`` — the first of the
    first few rows it accepts: sheets often carry a title such as "2026年第一期学员名单"
    above the header. Raises CohortFileError for a file that cannot be read at all.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CohortFileError(_("The file cannot be read: {error}").format(error=exc)) from exc
    if size > MAX_FILE_BYTES:
        raise CohortFileError(
            _("The file is too large ({mb} MB); at most {limit} MB can be imported.").format(
                mb=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path.read_bytes())
    else:
        raise CohortFileError(_("Choose an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return _split_header(rows, is_header)


def _split_header(
    rows: list[tuple[int, list[Cell]]], is_header: Callable[[list[str]], bool] | None
) -> tuple[list[str], list[SheetRow]]:
    body = [(n, cells) for n, cells in rows if any(c.text or c.problem for c in cells)]
    if not body:
        raise CohortFileError(_("The file is empty: it has no header row and no people."))
    start = 0
    if is_header is not None:
        candidates = range(min(HEADER_SEARCH, len(body)))
        start = next((i for i in candidates if is_header([c.text for c in body[i][1]])), 0)
    if len(body) - start - 1 > MAX_ROWS:
        raise CohortFileError(
            _("The file has more than {n} people; split it into smaller files.").format(n=MAX_ROWS)
        )
    header = [c.text for c in body[start][1]]
    return header, [SheetRow(n, cells) for n, cells in body[start + 1 :]]


def _xlsx_rows(path: Path) -> list[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CohortFileError(
            _("The file is not a valid Excel workbook (.xlsx). Save it again from Excel or WPS.")
        ) from exc
    if unzipped > MAX_UNZIPPED_BYTES:
        raise CohortFileError(_("The workbook is too large to import safely."))
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise CohortFileError(
            _("The file is not a valid Excel workbook (.xlsx). Save it again from Excel or WPS.")
        ) from exc
    try:
        if not book.worksheets:
            raise CohortFileError(_("The file is empty: it has no header row and no people."))
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[Cell]]] = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + 1 and any(c.value is not None for c in row):
                rows.append((number, [Cell("x")]))  # lets _split_header refuse the size
                break
            rows.append((number, [_xlsx_cell(c) for c in row]))
        return rows
    except CohortFileError:
        raise
    except Exception as exc:
        raise CohortFileError(
            _("The file is not a valid Excel workbook (.xlsx). Save it again from Excel or WPS.")
        ) from exc
    finally:
        book.close()


def _xlsx_cell(cell: Any) -> Cell:
    value = cell.value
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    ):
        return Cell("", _("contains a formula; type the value itself"))
    return cell_text(value)


def cell_text(value: Any) -> Cell:
    """The text a person typed, from whatever type the spreadsheet stored."""
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("", _("is TRUE/FALSE; type text instead"))
    if isinstance(value, (datetime, date, time)):
        return Cell("", _("is a date; type text instead"))
    if isinstance(value, int):
        return Cell(str(value))
    if isinstance(value, float):
        # A practising number typed into Excel becomes a float; give back its digits.
        return Cell(str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value))
    text = str(value).replace("\u00a0", " ").strip()
    if len(text) > MAX_CELL:
        return Cell(text[:MAX_CELL], _("is too long"))
    if text.startswith("="):
        return Cell("", _("contains a formula; type the value itself"))
    return Cell(text)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030; anything else is refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CohortFileError(
        _('The CSV file\'s text encoding is not UTF-8 or GB18030. Save it as "CSV UTF-8".')
    )


def _csv_rows(data: bytes) -> list[tuple[int, list[Cell]]]:
    text = decode_csv(data)
    if "\x00" in text:
        raise CohortFileError(_("The file is not a CSV text file."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[Cell]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for record in reader:
            if len(rows) > MAX_ROWS + 1:
                break
            rows.append((reader.line_num, [cell_text(v) for v in record[:MAX_COLUMNS]]))
    except csv.Error as exc:
        raise CohortFileError(
            _("The CSV file is damaged near line {line}.").format(line=reader.line_num)
        ) from exc
    return rows
