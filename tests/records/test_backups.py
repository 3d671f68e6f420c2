"""Backups: consistent while another process writes, a checked restore with a safety copy,
refusals that change nothing, automatic rotation, and PostgreSQL explained."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from records import accounts, backups
from records.db import DB_FILE, Database, open_database
from records.tables import AuditEvent, User

WRITER = Path(__file__).with_name("backup_writer.py")


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


@pytest.fixture
def admin(db: Database) -> User:
    return accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")


@pytest.fixture
def writer(data_dir: Path, admin: User, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A second process that writes an attempt per transaction until told to stop."""
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), admin.id, str(stop), str(ready)]
    )
    _wait_for(lambda: ready.exists() or process.poll() is not None)
    assert process.poll() is None, "the writer process ended early"
    yield process
    stop.touch()
    assert process.wait(timeout=30) == 0


def _consistent(path: Path) -> int:
    """Check a database file: integrity ok, every attempt complete, and as many attempts
    as the writer's counter says (no half transaction). Returns the attempt count."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        connection.execute("BEGIN")  # one read snapshot for the rows and the counter
        rows = connection.execute(
            "SELECT case_id, answers, score FROM attempts WHERE pack_id = 'writer'"
        ).fetchall()
        counter = connection.execute("SELECT value FROM settings WHERE key='written'").fetchone()
    finally:
        connection.close()
    assert counter is not None and int(counter[0]) == len(rows)
    for case_id, answers, score in rows:
        number = case_id.split("-")[1]
        assert answers.count(f"answer {number}") == 5 and number in score
    return len(rows)


def _fingerprint(db: Database) -> str:
    """What the database holds, to prove a refused restore changed nothing."""
    connection = sqlite3.connect(db.path)  # type: ignore[arg-type]
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    return hashlib.sha256(dump.encode()).hexdigest()


def test_backup_and_restore_while_another_process_writes(
    db: Database, data_dir: Path, admin: User, writer: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    target = tmp_path / "chosen" / "county-backup.sqlite3"
    backups.backup_to(db, target, actor=admin)
    in_backup = _consistent(target)
    assert in_backup >= 20
    assert backups.check_backup(target).attempts >= in_backup

    # The writer goes on; restoring puts the database back to the backup's content.
    _wait_for(lambda: _consistent(data_dir / DB_FILE) > in_backup + 10)
    restored = backups.restore(db, target, actor=admin)
    try:
        assert restored.check.revision
        assert backups.kind_of(restored.safety_backup) == "before-restore"
        assert _consistent(restored.safety_backup) > in_backup + 10  # the replaced database
        with restored.database.session() as session:
            events = [e.event for e in session.scalars(select(AuditEvent))]
        assert "database_restored" in events
        # The restored database starts from the backup; the writer carries on from there.
        connection = sqlite3.connect(data_dir / DB_FILE)
        cases = {row[0] for row in connection.execute("SELECT case_id FROM attempts")}
        connection.close()
        assert {f"case-{n}" for n in range(1, in_backup + 1)} <= cases
    finally:
        restored.database.close()
    _wait_for(lambda: _consistent(data_dir / DB_FILE) > in_backup + 5)


def _newer_schema_copy(db: Database, tmp_path: Path) -> Path:
    path = backups.snapshot(db.path, tmp_path / "newer.sqlite3")  # type: ignore[arg-type]
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    return path


def _damaged_copy(db: Database, tmp_path: Path) -> Path:
    path = backups.snapshot(db.path, tmp_path / "damaged.sqlite3")  # type: ignore[arg-type]
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)  # keep the header, spoil the pages
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda db, tmp: tmp / "missing.sqlite3", "does not exist"),
        (lambda db, tmp: _text_file(tmp), "not a Xiangyi database"),
        (lambda db, tmp: _foreign_db(tmp), "not a Xiangyi database"),
        (_newer_schema_copy, r"newer version of Xiangyi \(schema 9999\)"),
        (_damaged_copy, "is damaged"),
    ],
    ids=["missing", "text", "other-sqlite", "newer", "damaged"],
)
def test_restore_refuses_and_changes_nothing(
    db: Database, data_dir: Path, admin: User, tmp_path: Path, make: object, message: str
) -> None:
    source = make(db, tmp_path)  # type: ignore[operator]
    before = _fingerprint(db)
    files_before = sorted(p.name for p in (data_dir / "backups").glob("*"))
    with pytest.raises(backups.BackupError, match=message) as refused:
        backups.restore(db, source, actor=admin)
    assert "nothing was changed" in str(refused.value) or "does not exist" in str(refused.value)
    assert _fingerprint(db) == before
    assert sorted(p.name for p in (data_dir / "backups").glob("*")) == files_before
    assert accounts.list_users(db)  # still open and usable


def _text_file(folder: Path) -> Path:
    path = folder / "notes.sqlite3"
    path.write_text("这不是数据库 not a database\n" * 50, encoding="utf-8")
    return path


def _foreign_db(folder: Path) -> Path:
    path = folder / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE patients (id INTEGER, name TEXT)")
    connection.commit()
    connection.close()
    return path


def test_restore_needs_an_administrator(db: Database, tmp_path: Path) -> None:
    learner = accounts.create_user(db, "li", "李医生", "learner-pass-1", "learner")
    copy = backups.snapshot(db.path, tmp_path / "copy.sqlite3")  # type: ignore[arg-type]
    with pytest.raises(backups.BackupError, match="Only an administrator"):
        backups.restore(db, copy, actor=learner)


def test_automatic_backups_rotate_and_follow_settings(db: Database, admin: User) -> None:
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    backups.set_backup_settings(db, admin, enabled=True, keep=3)
    made = []
    for day in range(5):
        now = start + timedelta(days=day)
        path = backups.automatic_backup(db, now=now)
        assert path is not None
        stamp = now.timestamp()
        os.utime(path, (stamp, stamp))  # the file's date is what the list shows
        made.append(path)
        # Not due again the same day, nor at a start-up minutes later.
        assert backups.automatic_backup(db, now=now + timedelta(hours=1)) is None
        assert backups.automatic_backup(db, at_start=True, now=now + timedelta(minutes=5)) is None
    listed = backups.list_backups(db.data_dir)
    assert [b.path for b in listed] == list(reversed(made[-3:]))
    assert all(b.kind == "auto" and b.size > 0 for b in listed)
    assert listed[0].created == start + timedelta(days=4)
    backups.set_backup_settings(db, admin, enabled=False, keep=3)
    assert backups.automatic_backup(db, now=start + timedelta(days=9)) is None
    with pytest.raises(backups.BackupError, match="between 1 and 100"):
        backups.set_backup_settings(db, admin, enabled=True, keep=0)


def test_restore_of_an_older_backup_keeps_other_backups(
    db: Database, data_dir: Path, admin: User, tmp_path: Path
) -> None:
    manual = backups.backup_to(db, tmp_path / "before-li.sqlite3", actor=admin)
    accounts.create_user(db, "li", "李医生", "learner-pass-1", "learner", actor_id=admin.id)
    restored = backups.restore(db, manual, actor=admin)
    try:
        names = [u.username for u in accounts.list_users(restored.database)]
        assert names == ["admin"]
        kinds = [b.kind for b in backups.list_backups(data_dir)]
        assert kinds == ["before-restore"]
        again = open_database(data_dir)
        assert [u.username for u in accounts.list_users(again)] == ["admin"]
        again.close()
        safety = sqlite3.connect(restored.safety_backup)
        assert safety.execute("SELECT count(*) FROM users").fetchone()[0] == 2
        safety.close()
    finally:
        restored.database.close()


def test_postgresql_is_explained_not_backed_up(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    server = Database(create_engine("postgresql://hub.invalid/xiangyi"), None, tmp_path)
    with pytest.raises(backups.BackupError, match="pg_dump"):
        backups.backup_to(server, tmp_path / "x.sqlite3")
    assert backups.automatic_backup(server) is None
