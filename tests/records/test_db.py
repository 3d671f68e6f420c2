"""Storage: WAL, migrations with a backup first, corrupt and newer databases refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from records import db as storage
from records.migrations import HEAD_REVISION, KNOWN_REVISIONS


def test_new_database_is_migrated_to_head_in_wal_mode(data_dir: Path) -> None:
    database = storage.open_database(data_dir)
    try:
        assert storage.current_revision(database.engine) == HEAD_REVISION
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert (data_dir / storage.DB_FILE).exists()
    finally:
        database.close()


def test_known_revisions_match_alembic_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == HEAD_REVISION
    assert {s.revision for s in scripts.walk_revisions()} == set(KNOWN_REVISIONS)


def test_backup_is_taken_before_a_migration(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = storage.open_database(data_dir)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'old0'"))
    database.close()
    # Pretend 'old0' is an earlier schema this version knows and can upgrade from.
    monkeypatch.setattr(storage, "KNOWN_REVISIONS", ("old0", *KNOWN_REVISIONS))
    migrated: list[str] = []
    monkeypatch.setattr(storage, "migrate", lambda engine, revision="head": migrated.append("x"))
    storage.open_database(data_dir).close()
    backups = list((data_dir / "backups").glob("*.sqlite3"))
    assert migrated == ["x"]
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("old0",)
    copy.close()


def test_newer_database_is_refused_and_left_alone(data_dir: Path) -> None:
    database = storage.open_database(data_dir)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.close()
    before = (data_dir / storage.DB_FILE).read_bytes()
    with pytest.raises(storage.NewerDatabase) as info:
        storage.open_database(data_dir)
    assert "9999" in str(info.value)
    assert (data_dir / storage.DB_FILE).read_bytes() == before
    assert not list((data_dir / "backups").glob("*"))


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000]
)
def test_corrupt_file_is_refused_and_kept(data_dir: Path, content: bytes) -> None:
    path = data_dir / storage.DB_FILE
    path.write_bytes(content)
    with pytest.raises(storage.CorruptDatabase) as info:
        storage.open_database(data_dir)
    assert str(path) in str(info.value)
    assert path.read_bytes() == content


def test_damaged_file_set_aside_and_backup_restored(data_dir: Path) -> None:
    from records import accounts

    database = storage.open_database(data_dir)
    accounts.create_user(database, "admin", "Admin", "secret123", "admin")
    database.close()
    backup = storage.backup_sqlite(data_dir / storage.DB_FILE, data_dir / "backups", "manual")
    (data_dir / storage.DB_FILE).write_bytes(b"garbage" * 100)
    assert storage.latest_backup(data_dir) == backup
    storage.restore_backup(backup, data_dir)
    kept = list(data_dir.glob("xiangyi-damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 100
    database = storage.open_database(data_dir)
    assert [u.username for u in accounts.list_users(database)] == ["admin"]
    database.close()


def test_session_rolls_back_on_error(db: storage.Database) -> None:
    from records.tables import Setting

    with pytest.raises(RuntimeError), db.session() as session:
        session.add(Setting(key="k", value="v"))
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.get(Setting, "k") is None


@pytest.mark.parametrize("url", ["postgresql://hub@/xiangyi", "postgres://hub@localhost/x"])
def test_clinic_build_names_the_missing_postgresql_driver(
    data_dir: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clinic build leaves psycopg out (packaging/xiangyi.spec): say which build to use.
    monkeypatch.setattr(storage, "postgresql_available", lambda: False)
    with pytest.raises(storage.StorageError, match="it is the clinic build") as caught:
        storage.open_database(data_dir, url)
    assert "xiangyi-county" in str(caught.value)


def test_postgresql_driver_is_found_in_a_source_install() -> None:
    assert storage.postgresql_available()


def test_a_missing_data_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    database = storage.open_database(folder)
    try:
        assert (folder / storage.DB_FILE).is_file()
    finally:
        database.close()


def test_a_database_sqlite_cannot_create_is_not_called_damaged(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when the folder is read-only or the disk full: SQLite cannot open a new file.
    def refuse(_engine: object) -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open"))

    monkeypatch.setattr(storage, "current_revision", refuse)
    with pytest.raises(storage.StorageError, match="cannot be created: unable to open") as caught:
        storage.open_database(data_dir)
    assert not isinstance(caught.value, storage.CorruptDatabase)


def test_a_data_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(storage.StorageError, match="cannot be created") as caught:
        storage.open_database(blocker / "inner")
    assert not isinstance(caught.value, storage.CorruptDatabase)
    assert blocker.read_text() == "not a folder"
