"""Backups through the administrator's screen: a one-click backup to a chosen file, a
restore that checks the file, keeps a safety copy and reopens the database, refusals
that change nothing, the automatic backup settings, PostgreSQL explained; and the
``xiangyi db`` commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from admin_helpers import Files, admin_window, answer, dialog
from driver import add_account, click, go_to, sign_in

from desktop.cli import main as cli_main
from records import accounts, backups
from records.db import DB_FILE, Database
from records.tables import AuditEvent

pytestmark = pytest.mark.usefixtures("no_dangling_threads")


def _events(db: Database) -> list[str]:
    with db.session() as session:
        return [e.event for e in session.query(AuditEvent).order_by(AuditEvent.at)]


def test_backup_then_restore_through_the_screen(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = Files(monkeypatch)
    window = admin_window(qtbot, data_dir)
    go_to(window, "backups")
    page = window.pages["backups"]
    assert not page.notice.isVisible()

    chosen = tmp_path / "usb" / "county.sqlite3"
    chooser.save.append(chosen)
    click(page.backup_button)
    answer(qtbot, "saved_box", yes=False)
    assert str(chosen) in page.message.text()
    copy = sqlite3.connect(chosen)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT username FROM users").fetchall() == [("admin",)]
    copy.close()
    assert "database_backed_up" in _events(window.ctx.db)

    add_account(window, "li", "李医生", "learner-pass-1", "learner")
    assert len(accounts.list_users(window.ctx.db)) == 2
    go_to(window, "backups")
    old_db = window.ctx.db
    chooser.open.append(chosen)
    click(page.restore_button)
    qtbot.waitUntil(lambda: dialog("restore_box") is not None)
    assert "1 accounts" in dialog("restore_box").text()
    answer(qtbot, "restore_box")
    answer(qtbot, "restored_box")

    # Signed out, on the restored database: the account added after the backup is gone.
    assert window.ctx.user is None
    assert window.stack.currentWidget() is window.login
    assert window.ctx.db is not old_db
    assert [u.username for u in accounts.list_users(window.ctx.db)] == ["admin"]
    assert "database_restored" in _events(window.ctx.db)
    safety = [b for b in backups.list_backups(data_dir) if b.kind == "before-restore"]
    assert len(safety) == 1
    kept = sqlite3.connect(safety[0].path)
    assert kept.execute("SELECT count(*) FROM users").fetchone() == (2,)
    kept.close()
    sign_in(window, "admin", "admin-pass-1")
    assert window.ctx.user is not None
    go_to(window, "backups")
    assert window.pages["backups"].table.rowCount() == 1
    click(window.pages["backups"].folder_button)
    assert chooser.shown[-1].parent == data_dir / "backups"


def test_restore_refuses_bad_files_and_changes_nothing(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = Files(monkeypatch)
    window = admin_window(qtbot, data_dir)
    go_to(window, "backups")
    page = window.pages["backups"]
    text = tmp_path / "notes.sqlite3"
    text.write_text("乡医 not a database\n" * 40, encoding="utf-8")
    newer = backups.snapshot(data_dir / DB_FILE, tmp_path / "newer.sqlite3")
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = (data_dir / DB_FILE).read_bytes()
    for path, message in (
        (text, "is not a Xiangyi database"),
        (newer, "newer version of Xiangyi"),
    ):
        chooser.open.append(path)
        click(page.restore_button)
        qtbot.waitUntil(lambda: page.error.isVisible() and not page.busy)
        assert message in page.error.text()
        assert dialog("restore_box") is None
    assert window.ctx.user is not None
    assert not list((data_dir / "backups").glob("*.sqlite3"))
    assert [u.username for u in accounts.list_users(window.ctx.db)] == ["admin"]
    assert (data_dir / DB_FILE).read_bytes()[:100] == before[:100]


def test_automatic_backup_settings_and_list(qtbot, data_dir: Path) -> None:
    window = admin_window(qtbot, data_dir)
    go_to(window, "backups")
    page = window.pages["backups"]
    assert page.auto.isChecked() and page.keep.value() == backups.DEFAULT_KEEP
    backups.automatic_backup(window.ctx.db)
    page.refresh()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Automatic"
    assert page.table.item(0, 2).text().endswith("KB")
    page.keep.setValue(3)
    page.auto.setChecked(False)
    click(page.save_button)
    assert backups.backup_settings(window.ctx.db) == (False, 3)
    assert "backup_settings_changed" in _events(window.ctx.db)
    page.table.selectRow(0)
    assert page.restore_selected.isEnabled()
    # Restoring the automatic backup from the list: checked, confirmed, signed out.
    click(page.restore_selected)
    answer(qtbot, "restore_box")
    answer(qtbot, "restored_box")
    assert window.ctx.user is None
    assert backups.backup_settings(window.ctx.db) == (True, backups.DEFAULT_KEEP)


def test_postgresql_is_explained(qtbot, tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from desktop.context import AppContext
    from desktop.screens.admin import BackupsScreen

    server = Database(create_engine("postgresql+psycopg://hub.invalid/xiangyi"), None, tmp_path)
    page = BackupsScreen(AppContext(data_dir=tmp_path, db=server))
    qtbot.addWidget(page)
    page.show()
    assert page.notice.isVisible() and "pg_dump" in page.notice.text()
    assert not page.now_box.isEnabled() and not page.auto_box.isEnabled()


def _cli(data_dir: Path, *args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli_main(["--lang", "en", "--data-dir", str(data_dir), *args])


def test_cli_backup_restore_and_list(
    data_dir: Path, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    accounts.create_user(db, "li", "李医生", "learner-pass-1", "learner", actor_id=admin.id)
    target = tmp_path / "cli.sqlite3"
    assert _cli(data_dir, "db", "backup", str(target), monkeypatch=monkeypatch) == 0
    assert "Backed up the database" in capsys.readouterr().out
    # A learner cannot restore; a damaged file is refused; nothing changes.
    learner = ["--as", "li", "--password-stdin"]
    code = _cli(
        data_dir,
        "db",
        "restore",
        str(target),
        *learner,
        stdin="learner-pass-1\n",
        monkeypatch=monkeypatch,
    )
    assert code == 1 and "Only an administrator" in capsys.readouterr().err
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(target.read_bytes()[:4096] + b"\x00\xff" * 8192)
    admin_args = ["--as", "admin", "--password-stdin"]
    code = _cli(
        data_dir,
        "db",
        "restore",
        str(damaged),
        *admin_args,
        stdin="admin-pass-1\n",
        monkeypatch=monkeypatch,
    )
    assert code == 1 and "is damaged" in capsys.readouterr().err
    assert not list((data_dir / "backups").glob("*.sqlite3"))
    code = _cli(
        data_dir,
        "db",
        "restore",
        str(target),
        *admin_args,
        stdin="admin-pass-1\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "kept as" in capsys.readouterr().out
    assert _cli(data_dir, "db", "backups", monkeypatch=monkeypatch) == 0
    listing = capsys.readouterr().out
    assert "Before a restore" in listing and "the newest 7 kept" in listing


def test_automatic_backup_runs_off_the_ui_thread_once_due(qtbot, data_dir: Path) -> None:
    window = admin_window(qtbot, data_dir)
    runner = window.automatic_backups
    assert runner.timer.isActive()
    runner.run(at_start=True)
    qtbot.waitUntil(lambda: not runner.running)
    made = backups.list_backups(data_dir)
    assert [b.kind for b in made] == ["auto"]
    runner.run(at_start=True)  # one was just taken: not due again
    qtbot.waitUntil(lambda: not runner.running)
    assert len(backups.list_backups(data_dir)) == 1
    window.hide()
    backups.set_backup_settings(window.ctx.db, window.ctx.user, enabled=True, keep=5)
    runner.run(at_start=False)
    assert not runner.running  # a closed window backs nothing up
