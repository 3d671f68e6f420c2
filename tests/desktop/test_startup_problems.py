"""A damaged or newer database: a clear message, the file kept, a safe way out."""

from __future__ import annotations

import time
from pathlib import Path

from driver import wait_until
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from desktop.shell import MainWindow
from records import accounts
from records.db import DB_FILE, backup_sqlite, open_database
from xiangyi.i18n import _


def _answer_dialog(button_text: str, seen: list[str], timeout_s: float = 20.0) -> None:
    """Click ``button_text`` on the next modal message box that has it, remembering its text.

    Boxes without the button are left for another answer; after ``timeout_s`` the box is
    rejected so that a wrong dialog fails the test instead of hanging it.
    """
    deadline = time.monotonic() + timeout_s

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            # Qt names its standard OK button in the language of any Qt translator left
            # installed by an earlier test; find it by role instead.
            ok = box.button(QMessageBox.StandardButton.Ok) if button_text == "OK" else None
            for button in box.buttons():
                if button is ok or button.text().replace("&", "") == button_text:
                    seen.append(box.text())
                    button.click()
                    return
            if time.monotonic() > deadline:
                seen.append(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")
                box.reject()
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_corrupt_database_offers_backup_and_keeps_file(qtbot, data_dir: Path) -> None:
    database = open_database(data_dir)
    accounts.create_user(database, "admin", "Admin", "admin-pass-1", "admin")
    database.close()
    backup_sqlite(data_dir / DB_FILE, data_dir / "backups", "daily")
    damaged = b"\x00garbage" * 500
    (data_dir / DB_FILE).write_bytes(damaged)

    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    _answer_dialog(_("Restore the latest backup"), seen)
    window.open_database()
    wait_until(lambda: window.ctx is not None)
    assert str(data_dir / DB_FILE) in seen[0]
    kept = list(data_dir.glob("xiangyi-damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert window.login.sign_in.isEnabled()  # the restored database has its administrator
    window.close()


def test_corrupt_database_start_fresh_keeps_damaged_copy(qtbot, data_dir: Path) -> None:
    (data_dir / DB_FILE).write_bytes(b"not sqlite" * 100)
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    _answer_dialog(_("Start a new database (keep the damaged file)"), seen)
    QTimer.singleShot(300, lambda: _answer_dialog("OK", seen))
    window.open_database()
    wait_until(lambda: window.ctx is not None)
    assert window.stack.currentWidget() is window.first_admin
    assert [p.read_bytes() for p in data_dir.glob("xiangyi-damaged-*")] == [b"not sqlite" * 100]
    assert not [s for s in seen if s.startswith("no button")], seen
    window.close()


def test_newer_database_refused_without_change(qtbot, data_dir: Path) -> None:
    database = open_database(data_dir)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.close()
    before = (data_dir / DB_FILE).read_bytes()
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    _answer_dialog(_("Quit"), seen)
    window.open_database()
    wait_until(lambda: bool(seen))
    wait_until(lambda: not window.isVisible())
    assert "9999" in seen[0]
    assert window.ctx is None
    assert (data_dir / DB_FILE).read_bytes() == before
