"""The desktop app at the county hub: the same window runs on PostgreSQL (``--db``)."""

from __future__ import annotations

from pathlib import Path

from driver import add_account, create_first_admin, sign_in, wait_until

from desktop.shell import MainWindow
from records import accounts
from records.db import DB_FILE, open_database


def test_app_signs_in_and_adds_an_account_on_postgresql(
    qtbot, data_dir: Path, pg_empty_url: str
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(data_dir, pg_empty_url)
    qtbot.addWidget(window)
    window.show()
    window.open_database()
    wait_until(lambda: window.ctx is not None)
    assert window.ctx is not None and not window.ctx.db.is_sqlite
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    wait_until(lambda: window.stack.currentWidget() is window.workspace)
    add_account(window, "wangjg", "王建国", "secret123", "learner")
    window.close()
    window.ctx.db.close()
    hub = open_database(data_dir, pg_empty_url)
    try:
        stored = [(u.username, u.display_name, u.role) for u in accounts.list_users(hub)]
    finally:
        hub.close()
    assert stored == [("admin", "张主任", "admin"), ("wangjg", "王建国", "learner")]
    assert not (data_dir / DB_FILE).exists()
