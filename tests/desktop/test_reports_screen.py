"""The administrator's report screen, driven as a person would: its charts and tables
against the record functions, an XLSX export through the button read back with
openpyxl and compared cell by cell with the tables, filters, Cancel, the bundle times,
and no way in for a learner."""

from __future__ import annotations

import logging
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QRunnable, QThreadPool
from PySide6.QtWidgets import QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))

from report_fixtures import LEARNER_PASSWORD, County, build_county

from desktop.context import AppContext
from desktop.screens.reports import ReportsScreen
from desktop.screens.reports.tables import cell_texts
from records.db import Database
from records.reports.columns import display, pick
from records.reports.record import build_report
from records.reports.summary import ai_kind_rows, domain_rows, institution_summaries
from records.reports.tabular import SHEETS
from records.tables import AuditEvent

pytestmark = pytest.mark.usefixtures("no_dangling_threads")


class Chooser:
    """Answers the save dialog with a chosen path and remembers what it was offered."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.offered: list[str] = []

    def __call__(self, _parent: Any, _title: str, suggested: str, _filters: str) -> Path | None:
        self.offered.append(suggested)
        return self.answer


@pytest.fixture
def county(db: Database, data_dir: Path) -> County:
    return build_county(db, data_dir)


def _open(qtbot: Any, county: County, chooser: Chooser) -> ReportsScreen:
    ctx = AppContext(data_dir=county.data_dir, db=county.db, user=county.admin)
    screen = ReportsScreen(ctx, choose_path=chooser)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()  # a shown page builds its report
    qtbot.waitUntil(lambda: screen.view is not None and not screen.busy, timeout=20_000)
    return screen


@pytest.fixture
def screen(qtbot: Any, county: County, tmp_path: Path) -> ReportsScreen:
    return _open(qtbot, county, Chooser(tmp_path / "out" / "report.xlsx"))


def _widths(chart: Any, key: str) -> list[float]:
    return [float(w) for w in chart.bars[key].opts["width"]]


def _or_zero(values: list[float | None]) -> list[float]:
    return [v or 0.0 for v in values]


def test_charts_and_tables_show_the_report(screen: ReportsScreen, county: County) -> None:
    report = build_report(county.db, county.catalogue)
    summaries = institution_summaries(report)
    total = summaries[-1]
    assert (total.doctors, total.sat_certification, total.passed_certification) == (4, 3, 2)
    progress = screen.progress_chart
    names = [pick("en", s.name_zh, s.name_en) for s in summaries]
    assert progress.categories == [
        f"{n} ({s.doctors})" for n, s in zip(names, summaries, strict=True)
    ]
    assert _widths(progress, "sat") == pytest.approx(
        [s.sat_certification / s.doctors for s in summaries]
    )
    assert _widths(progress, "passed") == pytest.approx(_or_zero([s.pass_rate for s in summaries]))
    assert _widths(progress, "certified")[-1] == pytest.approx(1 / 4)  # Wang; Zhao's revoked
    domains = screen.domain_chart
    assert domains.values["Total"] == [total.domain_rank_mean[d] for d in total.domain_rank_mean]
    assert len(domains.bars) == 1 + len(summaries[:-1])  # the total and three institutions
    kinds = screen.kind_chart
    shown = {c: i for i, c in enumerate(kinds.categories)}
    assert set(shown) == {"ECG AI", "Imaging AI", "Structured report AI"}
    for kind, rates in total.by_ai_kind.items():
        row = shown[
            {"ecg": "ECG AI", "image": "Imaging AI", "report": "Structured report AI"}[kind]
        ]
        assert kinds.values["over_reliance"][row] == rates.over_reliance_rate
        assert kinds.values["critical"][row] == rates.critical_error_rate
    assert max(_widths(kinds, "over_reliance")) > 0  # Li followed wrong ECG AI outputs
    assert max(_widths(kinds, "critical")) > 0  # and took an unsafe action once
    assert "4 doctors" in screen.figures.text() and "pass rate 67%" in screen.figures.text()
    _tables_show_the_export_columns(screen, county)


def _tables_show_the_export_columns(screen: ReportsScreen, county: County) -> None:
    report = build_report(county.db, county.catalogue)
    summaries = institution_summaries(report)
    expected = {
        "doctors": report.records,
        "institutions": summaries,
        "ai_kinds": ai_kind_rows(summaries),
        "domains": domain_rows(report),
    }
    for key, rows in expected.items():
        table = screen.tables[key]
        columns, _rows = screen.view.table(key)  # type: ignore[union-attr]
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert headers == [spec.header("en") for spec in columns]
        assert cell_texts(table) == [[display(s, row, "en") for s in columns] for row in rows]
    names = [row[0] for row in cell_texts(screen.tables["doctors"])]
    assert sorted(names) == sorted(["王建国", "李秀梅", "赵磊", "陈新"])


def _as_excel_shows(cell: Any, spec: Any) -> str:
    """The text Excel shows for a cell, from its value and number format; the screen
    writes "—" where a number or date has no value (Excel leaves the cell empty)."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return "—" if spec.numeric or spec.type == "date" else ""
    if fmt == "0.0%":
        return f"{value * 100:.1f}%"
    if fmt in ("0.0", "0.000"):
        return f"{value:.{len(fmt) - 2}f}"
    if fmt == "0":
        return str(int(value))
    if fmt == "yyyy-mm-dd":
        return value.date().isoformat()
    return str(value)


def test_xlsx_export_through_the_button_matches_the_tables(
    qtbot: Any, county: County, tmp_path: Path
) -> None:
    chooser = Chooser(tmp_path / "out" / "county.xlsx")
    screen = _open(qtbot, county, chooser)
    screen.export_buttons["xlsx"].click()
    qtbot.waitUntil(lambda: not screen.busy, timeout=20_000)
    assert chooser.offered[0].startswith("xiangyi-report-") and chooser.offered[0].endswith(".xlsx")
    target = tmp_path / "out" / "county.xlsx"
    assert "Saved" in screen.message.text() and "doctors: 4" in screen.message.text()
    book = load_workbook(target)
    for key, table in (
        ("doctors", screen.tables["doctors"]),
        ("institutions", screen.tables["institutions"]),
        ("ai_kinds", screen.tables["ai_kinds"]),
        ("domains", screen.tables["domains"]),
    ):
        sheet = book[SHEETS[key][1]]  # English: the screen runs in English here
        rows = list(sheet.iter_rows())
        header = [c.value for c in rows[0]]
        shown = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert header == shown
        columns, _rows = screen.view.table(key)  # type: ignore[union-attr]
        excel = [
            [_as_excel_shows(c, s) for c, s in zip(row, columns, strict=True)] for row in rows[1:]
        ]
        assert excel == cell_texts(table)
    with county.db.session() as session:
        events = [e for e in session.query(AuditEvent) if e.event == "report_exported"]
    assert [(e.actor_id, e.detail["kind"]) for e in events] == [(county.admin.id, "xlsx")]


def test_filters_by_institution_and_dates(
    qtbot: Any, screen: ReportsScreen, county: County, tmp_path: Path
) -> None:
    screen.place.setCurrentIndex(screen.place.findData(county.township.id))
    screen.use_start.setChecked(True)
    screen.start.setDate(QDate(2026, 3, 1))
    screen.use_end.setChecked(True)
    screen.end.setDate(QDate(2026, 3, 5))  # the practice cases, before any exam
    screen.show_button.click()
    qtbot.waitUntil(lambda: not screen.busy, timeout=20_000)
    view = screen.view
    assert view is not None and view.report.as_of == date(2026, 3, 5)
    names = sorted(row[0] for row in cell_texts(screen.tables["doctors"]))
    assert names == sorted(["王建国", "李秀梅", "陈新"])  # Zhao works in the community
    assert screen.progress_chart.categories[-1] == "Total (3)"
    assert _widths(screen.progress_chart, "sat") == [0.0, 0.0, 0.0]
    assert screen.progress_chart.values["passed"] == [None, None, None]
    assert "ECG AI" in screen.kind_chart.categories
    screen.choose_path = Chooser(tmp_path / "csv")  # a folder: the file is named for us
    screen.export_buttons["csv"].click()
    qtbot.waitUntil(lambda: not screen.busy, timeout=20_000)
    [written] = (tmp_path / "csv").iterdir()
    assert "20260301-20260305" in written.name and written.suffix == ".csv"
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 3
    screen.end.setDate(QDate(2026, 2, 1))  # before the start
    screen.show_button.click()
    assert "start date is after the end date" in screen.error.text()
    _bundle_times(screen, county, tmp_path)


def _bundle_times(screen: ReportsScreen, county: County, tmp_path: Path) -> None:
    """The last bundle written here shows beside the report."""
    from report_fixtures import PASSPHRASE

    from records import bundles
    from records.credentials import issuer

    assert cell_texts(screen.bundles)[0][2] == "never"
    key = issuer.unlock(county.data_dir, PASSPHRASE)
    bundles.export_bundle(county.db, tmp_path / "county.bundle", signer=key)
    screen.refresh()
    when = bundles.last_export(county.db)
    assert when is not None
    assert cell_texts(screen.bundles)[0][2] == when.astimezone().strftime("%Y-%m-%d %H:%M")


class _Blocker(QRunnable):
    """Keeps the only pool thread busy so an export waits in the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def run(self) -> None:
        self.release.wait(20)


def test_cancel_leaves_no_file(
    qtbot: Any, county: County, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="desktop.tasks")
    out = tmp_path / "out"
    screen = _open(qtbot, county, Chooser(out / "county.xlsx"))
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    blocker = _Blocker()
    pool.setMaxThreadCount(1)
    try:
        pool.start(blocker)
        screen.export_buttons["xlsx"].click()
        assert screen.busy and not screen.export_buttons["xlsx"].isEnabled()
        screen.dialog.findChild(QPushButton).click()  # Cancel, before the export has begun
        blocker.release.set()
        qtbot.waitUntil(lambda: not screen.busy, timeout=20_000)
    finally:
        blocker.release.set()
        pool.setMaxThreadCount(threads)
    assert "Nothing was written" in screen.message.text()
    # A stop on request is not logged as a failure.
    tasks = [r for r in caplog.records if r.name == "desktop.tasks"]
    assert [r.levelno for r in tasks] == [logging.INFO]
    assert "stopped on request" in tasks[0].getMessage()
    assert not out.exists() or not any(out.iterdir())
    assert screen.export_buttons["xlsx"].isEnabled()
    with county.db.session() as session:
        assert not [e for e in session.query(AuditEvent) if e.event == "report_exported"]


def test_only_an_administrator_has_the_screen(qtbot: Any, county: County) -> None:
    from driver import go_to, open_window, sign_in

    from desktop.workspace import NAV
    from records.accounts import AccountError
    from records.report_views import build_view, export_view

    window = open_window(county.data_dir)
    qtbot.addWidget(window)
    sign_in(window, "chenxin", LEARNER_PASSWORD)
    assert window.ctx.user.role == "learner"
    assert "reports" not in window.pages
    assert "reports" not in {key for key, _label in NAV["learner"] + NAV["trainer"]}
    shown = {window.nav.item(row).text() for row in range(window.nav.count())}
    assert "Reports" not in shown
    view = build_view(window.ctx.db, county.catalogue)
    with pytest.raises(AccountError):
        export_view(window.ctx.db, window.ctx.user, view, "xlsx", Path("x.xlsx"), county.catalogue)
    window.log_out()
    sign_in(window, "admin", "admin-pass-1")
    go_to(window, "reports")
    page = window.pages["reports"]
    qtbot.waitUntil(lambda: page.view is not None and not page.busy, timeout=20_000)
    assert page.tables["doctors"].rowCount() == 4
    window.log_out()
