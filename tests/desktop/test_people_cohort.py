"""Cohort import through the screen: save the template, a dry run of a 500-person file
that lists exactly its 20 bad rows and writes nothing, then a corrected file imported
with progress and its generated passwords saved."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from driver import click, wait_until
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton

from desktop.context import AppContext
from desktop.screens.people import AccountsScreen
from records import accounts, institutions
from records.db import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))
from cohort_fixtures import BAD_ROWS, cohort_rows, write_csv, write_xlsx


def _screen(qtbot, db: Database, data_dir: Path) -> AccountsScreen:  # type: ignore[no-untyped-def]
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    institutions.create_institution(db, admin, "红星乡卫生院", "township", code="HX-001")
    accounts.create_user(db, "existing", "老用户", "learner-pass-1", "learner")
    screen = AccountsScreen(AppContext(data_dir=data_dir, db=db, user=admin))
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_dry_run_lists_the_20_bad_rows_then_imports(
    qtbot, db: Database, data_dir: Path, tmp_path: Path, no_dangling_threads: None
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    screen = _screen(qtbot, db, data_dir)
    click(screen.people.import_button)
    dialog = screen.cohort
    assert dialog is not None and dialog.isVisible()
    dialog.save_template(tmp_path / "template.xlsx")
    header = [c.value for c in load_workbook(tmp_path / "template.xlsx").worksheets[0][1]]
    assert header[:2] == ["用户名 / username", "姓名 / name"]

    dialog.path.setText(str(write_xlsx(tmp_path / "cohort.xlsx", cohort_rows())))
    click(dialog.check_button)
    wait_until(lambda: dialog.checked is not None)
    table = dialog.problems
    listed = [int(table.item(r, 0).text()) for r in range(table.rowCount())]
    assert listed == sorted(BAD_ROWS)
    assert "practising number '12 34'" in table.item(listed.index(90), 1).text()
    assert "20 rows have problems; nothing was written" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert len(accounts.list_users(db)) == 2

    fixed = write_csv(tmp_path / "fixed.csv", cohort_rows(24, broken=False), "gb18030")
    dialog.path.setText(str(fixed))
    dialog.checked = None
    click(dialog.check_button)
    wait_until(lambda: dialog.checked is not None)
    assert dialog.problems.rowCount() == 0
    assert dialog.summary.text() == "No problems: 24 people are ready to import."
    assert dialog.import_button.isEnabled()
    click(dialog.import_button)
    wait_until(lambda: dialog.result is not None, timeout_ms=60_000)
    assert dialog.result is not None and dialog.result.created == 24
    assert "24 accounts created." in dialog.summary.text()
    assert len(accounts.list_users(db)) == 26
    assert screen.people.table.rowCount() == 26

    assert dialog.passwords_button.isVisible()
    # Closing before the generated passwords are saved asks first; "go back" keeps it open.
    click(dialog.findChild(QPushButton, "close_cohort"))
    box = dialog.findChild(QMessageBox, "unsaved_passwords_box")
    assert box is not None
    click(box.findChild(QAbstractButton, "unsaved_passwords_box_no"))
    assert dialog.isVisible()
    dialog.save_passwords(tmp_path / "passwords.csv")
    with (tmp_path / "passwords.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["User name", "Temporary password"]
    assert len(rows) == 1 + 6  # every fourth person had no initial password
    name, password = rows[1]
    assert accounts.authenticate(db, name, password).username == name


def test_a_file_that_cannot_be_read_is_explained(
    qtbot, db: Database, data_dir: Path, tmp_path: Path, no_dangling_threads: None
) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, db, data_dir)
    dialog = screen.open_cohort_import()
    bad = tmp_path / "cohort.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    dialog.path.setText(str(bad))
    click(dialog.check_button)
    wait_until(lambda: dialog.checked is not None)
    assert "not a valid Excel workbook" in dialog.problems.item(0, 1).text()
    assert dialog.summary.text() == "The file cannot be imported; nothing was written."
    assert not dialog.import_button.isEnabled()
