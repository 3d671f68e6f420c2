"""The security log through the administrator's screen: filters by date range, person,
event type and text; export as CSV (UTF-8 with BOM) and XLSX read back; and a check that
every administrative service that changes something writes an audit event."""

from __future__ import annotations

import ast
import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from admin_helpers import Files, admin_window, answer
from driver import add_account, click, go_to, type_into
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from records import institutions
from records.tables import AuditEvent

pytestmark = pytest.mark.usefixtures("no_dangling_threads")
REPO = Path(__file__).resolve().parents[2]


def _shown(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.table.item(row, 1).text() for row in range(page.table.rowCount())]


def test_filters_and_exports(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = Files(monkeypatch)
    window = admin_window(qtbot, data_dir)
    add_account(window, "li", "李医生", "learner-pass-1", "learner")
    institutions.create_institution(window.ctx.db, window.ctx.user, "红星乡卫生院", "township")
    go_to(window, "audit")
    page = window.pages["audit"]
    everything = _shown(page)
    assert {"Account created", "Signed in", "Institution created"} <= set(everything)
    assert page.count.text() == f"{len(everything)} events shown"

    page.event_type.setCurrentIndex(page.event_type.findData("user_created"))
    assert _shown(page) == ["Account created", "Account created"]
    type_into(page.text, "李医生")
    assert _shown(page) == ["Account created"]
    assert "李医生 (li)" in page.table.item(0, 3).text()
    page.text.clear()
    page.event_type.setCurrentIndex(0)
    page.actor.setCurrentIndex(page.actor.findData(window.ctx.user.id))
    assert "Account created" in _shown(page) and len(_shown(page)) < len(everything)
    page.actor.setCurrentIndex(0)

    tomorrow = date.today() + timedelta(days=1)
    page.use_dates.setChecked(True)
    page.since.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    page.until.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert _shown(page) == [] and not page.csv_button.isEnabled()
    page.use_dates.setChecked(False)
    rows = page.table.rowCount()

    chooser.save.append(tmp_path / "log.csv")
    click(page.csv_button)
    answer(qtbot, "saved_box", yes=False)
    data = (tmp_path / "log.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert table[0] == ["Time", "Event", "Event code", "By", "Subject", "Details"]
    assert len(table) == rows + 1
    assert any(r[2] == "institution_created" and "红星乡卫生院" in r[4] for r in table[1:])

    chooser.save.append(tmp_path / "log")  # no suffix: the kind chosen adds it
    click(page.xlsx_button)
    answer(qtbot, "saved_box", yes=False)
    book = load_workbook(tmp_path / "log.xlsx")
    sheet = book.active
    values = list(sheet.values)
    assert values[0][0] == "Time" and len(values) >= rows + 1
    assert values[1][0].year == date.today().year  # a real date cell
    with window.ctx.db.session() as session:
        exported = session.query(AuditEvent).filter_by(event="audit_log_exported").count()
    assert exported == 2


ADMIN_CHECKS = {"_require_admin", "require_admin"}
WRITES = {"add", "add_all", "delete", "put"}


def _calls(node: ast.AST) -> set[str]:
    found = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            found.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return found


def test_every_administrative_change_is_audited() -> None:
    """A records function that checks for an administrator and writes must record an
    audit event itself or through a helper in the same module (reads need none)."""
    missing = []
    for path in sorted((REPO / "records").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        audited = {name for name, f in functions.items() if "audit.record" in ast.unparse(f)}
        for name, function in functions.items():
            calls = _calls(function)
            admin = bool(calls & ADMIN_CHECKS) or "Role.ADMIN" in ast.unparse(function)
            if admin and calls & WRITES and not calls & audited and name not in audited:
                missing.append(f"{path.relative_to(REPO)}:{name}")
    # An admin write that delegates to an audited service elsewhere is listed here.
    delegating = {"records/credentials/registry.py:create_key"}
    assert sorted(set(missing) - delegating) == []
