"""Cohort import: the dry run lists every bad row and writes nothing; a clean file is
imported all at once; hostile files are refused with a clear message."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cohort_fixtures import BAD_ROWS, HEADER, cohort_rows, write_csv, write_xlsx
from sqlalchemy import func, select

from records import accounts, audit, cohort_import, institutions, people
from records.cohort_import import CohortError, check_cohort, import_cohort, write_template
from records.db import Database
from records.tables import AuditEvent, User


def _setup(db: Database) -> User:
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    county = institutions.create_institution(db, admin, "青山县卫健委", "county")
    institutions.create_institution(
        db, admin, "红星乡卫生院", "township", parent_id=county.id, code="HX-001"
    )
    accounts.create_user(db, "existing", "老用户", "learner-pass-1", "learner")
    return admin


def _user_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def _reasons(check: cohort_import.CohortCheck) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for problem in check.problems:
        found.setdefault(problem.row, []).append(problem.message)
    return found


@pytest.mark.slow
def test_500_people_with_20_bad_rows_then_corrected(db: Database, tmp_path: Path) -> None:
    admin = _setup(db)
    path = write_xlsx(tmp_path / "cohort.xlsx", cohort_rows())
    check = check_cohort(db, path)
    assert check.problem_rows() == sorted(BAD_ROWS)
    reasons = _reasons(check)
    for row, (_kind, words) in BAD_ROWS.items():
        assert len(reasons[row]) == 1, reasons[row]
        assert words in reasons[row][0], (row, reasons[row])
    assert len(check.people) == 480
    with pytest.raises(CohortError, match="20 row"):
        import_cohort(db, admin, path)
    assert _user_count(db) == 2  # nothing written

    fixed = write_xlsx(tmp_path / "fixed.xlsx", cohort_rows(broken=False))
    assert check_cohort(db, fixed).ok
    steps: list[tuple[int, int]] = []
    result = import_cohort(db, admin, fixed, progress=lambda d, t: steps.append((d, t)))
    assert result.created == 500
    assert steps[-1] == (500, 500)
    assert _user_count(db) == 502
    # Rows without a password got a generated one, which signs in and must be changed.
    assert len(result.temporary_passwords) == 125
    name, password = result.temporary_passwords[0]
    user = accounts.authenticate(db, name, password)
    assert people.must_change_password(db, user.id)
    doc1 = next(u for u in accounts.list_users(db) if u.username == "doc0001")
    assert doc1.practising_number == "141440300000001"
    assert doc1.institution_id is not None and doc1.title == "乡村医生"
    with db.session() as session:
        assert audit.recent(session, event="cohort_imported")[0].detail["count"] == 500
        created = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "user_created")
        )
    assert created == 502
    # Importing the same file again: every row is now a duplicate of an account.
    assert len(check_cohort(db, fixed).problem_rows()) == 500


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_report_the_same_rows(db: Database, tmp_path: Path, encoding: str) -> None:
    _setup(db)
    path = write_csv(tmp_path / "cohort.csv", cohort_rows(120), encoding)
    check = check_cohort(db, path)
    assert check.problem_rows() == [r for r in sorted(BAD_ROWS) if r <= 121]
    assert check.people[0].display_name == "医生0000号"
    assert check.people[0].institution_id is not None


def test_small_csv_import_sets_every_field(db: Database, tmp_path: Path) -> None:
    admin = _setup(db)
    rows = [["li", "李医生", "培训师", "141440300099999", "红星乡卫生院", "内科", "主治", ""]]
    path = write_csv(tmp_path / "c.csv", rows, "gb18030")
    result = import_cohort(db, admin, path)
    assert result.created == 1
    li = next(u for u in accounts.list_users(db) if u.username == "li")
    assert (li.display_name, li.role, li.department, li.title) == (
        "李医生",
        "trainer",
        "内科",
        "主治",
    )


def test_only_an_admin_can_import(db: Database, tmp_path: Path) -> None:
    _setup(db)
    learner = accounts.authenticate(db, "existing", "learner-pass-1")
    path = write_csv(tmp_path / "c.csv", cohort_rows(3, broken=False), "utf-8")
    with pytest.raises(accounts.AccountError):
        import_cohort(db, learner, path)
    assert _user_count(db) == 2


def test_cancel_writes_nothing(db: Database, tmp_path: Path) -> None:
    admin = _setup(db)
    path = write_csv(tmp_path / "c.csv", cohort_rows(10, broken=False), "utf-8")
    with pytest.raises(CohortError, match="cancelled"):
        import_cohort(db, admin, path, cancelled=lambda: True)
    assert _user_count(db) == 2


def test_template_round_trip(db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _setup(db)
    xlsx = write_template(tmp_path / "template.xlsx")
    sheet = load_workbook(xlsx).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert "header row but no people" in check_cohort(db, xlsx).problems[0].message
    csv_template = write_template(tmp_path / "template.csv")
    assert csv_template.read_bytes().startswith(b"\xef\xbb\xbf")
    sheet.append(["zhao", "赵医生", "管理员", 141440300012345, "HX-001", "", "", "long-enough"])
    book = sheet.parent
    book.save(tmp_path / "filled.xlsx")
    check = check_cohort(db, tmp_path / "filled.xlsx")
    assert check.ok, check.problems
    assert check.people[0].practising_number == "141440300012345"  # a number typed in Excel
    assert check.people[0].role == "admin"


def _hostile(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"hostile-{kind}"
    if kind == "not_zip.xlsx":
        path.write_bytes(b"this is not a workbook")
    elif kind == "empty.xlsx":
        write_xlsx(path, [], header=[""])
    elif kind == "empty.csv":
        path.write_bytes(b"")
    elif kind == "binary.csv":
        path.write_bytes(b"\x00\x01\x02" * 100)
    elif kind == "latin1.csv":
        path.write_bytes("username,name\nm\xfcller,\xe9\xe8\xff\xfe\x81".encode("latin-1"))
    elif kind == "wrong.pdf":
        path.write_bytes(b"%PDF-1.4")
    elif kind == "huge.csv":
        path.write_bytes(b"a" * (11 * 1024 * 1024))
    elif kind == "many.csv":
        write_csv(path, cohort_rows(5001, broken=False), "utf-8")
    elif kind == "no_columns.csv":
        write_csv(path, [["a", "b"]], "utf-8", header=["电话", "地址"])
    elif kind == "bomb.xlsx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (120 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("not_zip.xlsx", "not a valid Excel workbook"),
        ("empty.xlsx", "empty"),
        ("empty.csv", "empty"),
        ("binary.csv", "not"),
        ("latin1.csv", "encoding"),
        ("wrong.pdf", "Choose an Excel workbook"),
        ("huge.csv", "too large"),
        ("many.csv", "more than 5000"),
        ("no_columns.csv", "is missing"),
        ("bomb.xlsx", "too large"),
    ],
)
def test_hostile_files_refused_with_a_message(
    db: Database, tmp_path: Path, kind: str, words: str
) -> None:
    admin = _setup(db)
    path = _hostile(tmp_path, kind)
    check = check_cohort(db, path)
    assert not check.ok
    assert any(words in p.message for p in check.problems), check.problems
    with pytest.raises(CohortError):
        import_cohort(db, admin, path)
    assert _user_count(db) == 2


def test_wrong_cell_types_and_formulas_are_row_problems(db: Database, tmp_path: Path) -> None:
    from datetime import date

    _setup(db)
    rows: list[list[object]] = [
        ["a1", '=HYPERLINK("http://x","x")', "", "", "", "", "", ""],
        ["a2", "名字", True, "", "", "", "", ""],
        ["a3", "名字", "", date(2020, 1, 1), "", "", "", ""],
        ["a4", "名" * 200, "", "", "", "", "", ""],
        ["a5", "好名字", "", 1.5, "", "", "", ""],
    ]
    check = check_cohort(db, write_xlsx(tmp_path / "t.xlsx", rows))
    reasons = _reasons(check)
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert "formula" in reasons[2][0]
    assert "TRUE/FALSE" in reasons[3][0]
    assert "date" in reasons[4][0]
    assert "longer than 128" in reasons[5][-1]
    assert "practising number '1.5'" in reasons[6][0]


def test_a_title_row_above_the_header_is_skipped(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    _setup(db)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["青山县2026年第一期乡村医生培训学员名单"])
    sheet.append([])
    sheet.append(["姓名", "用户名", "备注", "机构编码或名称"])  # own order, an extra column
    sheet.append(["李医生", "li", "电话 138", "HX-001"])
    sheet.append(["张医生", "", "", ""])
    book.save(tmp_path / "titled.xlsx")
    check = check_cohort(db, tmp_path / "titled.xlsx")
    assert [(p.row, p.message) for p in check.problems] == [(5, "the user name is missing")]
    assert check.people[0].username == "li" and check.people[0].display_name == "李医生"
    assert check.people[0].institution_id is not None
