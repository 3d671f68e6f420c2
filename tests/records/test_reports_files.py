"""XLSX, CSV and PDF exports read back: what the database and the record functions say,
numbers as numbers, a frozen header, widths, Chinese or English headers, the BOM, and a
PDF with Chinese text and embedded fonts."""

from __future__ import annotations

import csv
import io
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import report_fixtures
from openpyxl import load_workbook
from pypdf import PdfReader
from report_fixtures import County

from records.audit import recent
from records.reports import columns as cols
from records.reports.files import file_name
from records.reports.record import Cancelled, build_report
from records.reports.service import export_report
from records.reports.summary import institution_summaries
from records.reports.tabular import SHEETS, write_csv, write_xlsx
from records.tables import User

# The county fixtures, shared by the report tests.
county_template = report_fixtures.county_template
county = report_fixtures.county

TODAY = date(2026, 4, 1)


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_xlsx_matches_the_records_with_numbers_as_numbers(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue, today=TODAY)
    target = write_xlsx(report, tmp_path / "report.xlsx")
    book = load_workbook(target)
    assert book.sheetnames == [zh for zh, _en in SHEETS.values()]
    doctors = book["学员"]
    assert doctors.freeze_panes == "A2"
    header, *rows = _rows(doctors)
    assert list(header) == [spec.zh for spec in cols.DOCTOR_COLUMNS]
    for n, spec in enumerate(cols.DOCTOR_COLUMNS, start=1):
        letter = doctors.cell(row=1, column=n).column_letter
        assert doctors.column_dimensions[letter].width == spec.width
    by_name = {
        row[0]: dict(zip([s.key for s in cols.DOCTOR_COLUMNS], row, strict=True)) for row in rows
    }
    records = {r.name: r for r in report.records}
    assert set(by_name) == set(records)
    wang = by_name["王建国"]
    with county.db.session() as session:
        stored = session.get(User, county.doctors["wang"].id)
        assert stored is not None
        assert (wang["practising_number"], wang["department"]) == (stored.practising_number, "全科")
    assert wang["institution"] == "红星乡卫生院" and wang["institution_level"]
    assert wang["study_hours"] == pytest.approx(records["王建国"].study_hours, abs=0.01)
    assert isinstance(wang["study_hours"], float) and isinstance(wang["exams_taken"], int)
    assert wang["last_exam_score"] == pytest.approx(records["王建国"].exams[-1].score)
    assert wang["last_exam_date"].date() == records["王建国"].exams[-1].submitted_at.date()
    assert wang["level_basic_knowledge"] == cols.level_name(
        records["王建国"].domains["basic_knowledge"].level, "zh_CN"
    )
    assert by_name["李秀梅"]["critical_errors"] == records["李秀梅"].critical_errors >= 1
    assert by_name["陈新"]["last_exam_score"] is None  # no exam: an empty cell, not "—"
    # Number formats on the numeric cells.
    score_col = [s.key for s in cols.DOCTOR_COLUMNS].index("last_exam_score") + 1
    assert doctors.cell(row=2, column=score_col).number_format in ("0.0%", "General")
    formatted = [doctors.cell(row=r, column=score_col) for r in range(2, len(rows) + 2)]
    assert any(c.number_format == "0.0%" for c in formatted if c.value is not None)
    summary = _rows(book["机构汇总"])
    assert list(summary[0]) == [spec.zh for spec in cols.INSTITUTION_COLUMNS]
    total = summary[-1]
    assert total[0] == "合计" and total[2] == 4
    expected = institution_summaries(report)[-1]
    assert total[[s.key for s in cols.INSTITUTION_COLUMNS].index("pass_rate")] == pytest.approx(
        expected.pass_rate
    )
    assert len(_rows(book["能力领域"])) == 1 + 6 * len(institution_summaries(report))
    assert book["AI 类别"].freeze_panes == "A2"


def test_xlsx_headers_in_english_on_request(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue)
    book = load_workbook(write_xlsx(report, tmp_path / "en.xlsx", lang="en"))
    assert book.sheetnames == [en for _zh, en in SHEETS.values()]
    header = _rows(book["Doctors"])[0]
    assert list(header) == [spec.en for spec in cols.DOCTOR_COLUMNS]
    names = {row[3] for row in _rows(book["Doctors"])[1:]}
    assert "Hongxing Township Health Centre" in names
    domains = _rows(book["Domains"])
    assert domains[1][1] == "Basic knowledge of AI"


def test_csv_has_a_bom_and_round_trips(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue)
    target = write_csv(report, tmp_path / "report.csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [spec.zh for spec in cols.DOCTOR_COLUMNS]
    assert len(rows) == 1 + len(report.records)
    by_name = {row[0]: row for row in rows[1:]}
    li = next(r for r in report.records if r.name == "李秀梅")
    hours = [s.key for s in cols.DOCTOR_COLUMNS].index("study_hours")
    assert float(by_name["李秀梅"][hours]) == pytest.approx(li.study_hours, abs=0.01)
    assert "；" not in by_name["李秀梅"][0] and by_name["李秀梅"][2] == "141440300054321"


def test_pdf_summary_has_chinese_text_and_embedded_fonts(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue, institution_id=county.township.id)
    result = export_report(
        county.db,
        county.admin,
        "pdf",
        tmp_path,
        county.catalogue,
        institution_id=county.township.id,
    )
    assert result.doctors == len(report.records) == 3
    assert "红星乡卫生院" in result.path.name and result.path.suffix == ".pdf"
    reader = PdfReader(result.path)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("红星乡卫生院", "王建国", "李秀梅", "红星村卫生室", "学员人数", "Hongxing"):
        assert expected in text
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            fonts.append(
                (
                    font["/BaseFont"],
                    descriptor is not None and "/FontFile2" in descriptor.get_object(),
                )
            )
    assert fonts and all(embedded for _name, embedded in fonts)
    assert not any("Helvetica" in str(name) for name, _e in fonts)


def test_export_names_files_audits_and_refuses_a_learner(county: County, tmp_path: Path) -> None:
    result = export_report(county.db, county.admin, "xlsx", tmp_path, county.catalogue)
    assert result.path.parent == tmp_path and result.path.name.startswith("xiangyi-report-")
    assert result.path.suffix == ".xlsx"
    named = export_report(
        county.db, county.admin, "csv", tmp_path / "mine.csv", county.catalogue,
        institution_id=county.village.id,
    )  # fmt: skip
    assert named.path == tmp_path / "mine.csv" and named.doctors == 1
    with county.db.session() as session:
        assert len(recent(session, event="report_exported")) == 2
    from records.accounts import AccountError

    with pytest.raises(AccountError):
        export_report(county.db, county.doctors["wang"], "xlsx", tmp_path, county.catalogue)
    assert "红星乡卫生院" in file_name("红星乡卫生院", "report", "xlsx")
    assert "/" not in file_name("a/b: c", "report", "xlsx")


def test_a_cancelled_export_leaves_no_file(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue)
    out = tmp_path / "out"
    out.mkdir()
    answers = iter([False])  # go on at the first check, stop at the next one
    with pytest.raises(Cancelled):
        write_xlsx(report, out / "x.xlsx", cancelled=lambda: next(answers, True))
    with pytest.raises(Cancelled):
        export_report(
            county.db, county.admin, "xapi", out, county.catalogue, cancelled=lambda: True
        )
    assert list(out.iterdir()) == []
    seen: list[tuple[int, int]] = []
    export_report(county.db, county.admin, "xlsx", out, county.catalogue,
                  progress=lambda d, t: seen.append((d, t)))  # fmt: skip
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in pairwise(seen))


def test_the_screen_shows_what_the_file_contains(county: County, tmp_path: Path) -> None:
    report = build_report(county.db, county.catalogue, today=TODAY)
    book = load_workbook(write_xlsx(report, tmp_path / "r.xlsx", lang="en"))
    rows = _rows(book["Institutions"])
    summaries = institution_summaries(report)
    assert list(rows[0]) == cols.headers(cols.INSTITUTION_COLUMNS, "en")
    shown = cols.display_rows(cols.INSTITUTION_COLUMNS, summaries, "en")
    for stored, text, spec_row in zip(rows[1:], shown, summaries, strict=True):
        for spec, value, cell_text in zip(cols.INSTITUTION_COLUMNS, stored, text, strict=True):
            if value is None:
                assert cell_text in ("", "—"), (spec.key, cell_text)
            elif spec.type == cols.PERCENT:
                assert cell_text == f"{value * 100:.1f}%"
            elif spec.type == cols.TEXT:
                assert cell_text == value
            else:
                assert float(cell_text) == pytest.approx(value, abs=0.05), spec.key
        assert stored[0] == (spec_row.name_en or spec_row.name_zh)
