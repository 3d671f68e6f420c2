"""The one storage entry point: open, check, back up and migrate the database.

SQLite in the data directory by default (WAL, synchronous=FULL so a committed
answer survives a power cut); any SQLAlchemy URL (PostgreSQL at the county hub)
works through the same code. Alembic is imported only when a migration is due.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from records.migrations import HEAD_REVISION, KNOWN_REVISIONS
from xiangyi.i18n import _
from xiangyi.paths import backup_dir

DB_FILE = "xiangyi.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
_log = logging.getLogger(__name__)


class StorageError(Exception):
    """A database problem the user must act on; ``str()`` is a translated message."""


class CorruptDatabase(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The database file {path} is damaged and cannot be read. It has been left "
                "untouched. You can restore a backup or start a new database."
            ).format(path=path)
        )
        self.path = path


class NewerDatabase(StorageError):
    def __init__(self, revision: str) -> None:
        super().__init__(
            _(
                "This database was written by a newer version of Xiangyi (schema {revision}). "
                "Install the newer version; this one will not change the database."
            ).format(revision=revision)
        )
        self.revision = revision


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """An open, migrated database. Use ``session()`` for every unit of work."""

    def __init__(self, engine: Engine, path: Path | None, data_dir: Path) -> None:
        self.engine = engine
        self.path = path
        self.data_dir = data_dir

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def postgresql_available() -> bool:
    """Whether this installation has the PostgreSQL driver: the county build and a
    source install do; the clinic build leaves it out (packaging/README.md)."""
    import importlib.util

    return importlib.util.find_spec("psycopg") is not None


def with_driver(url: str) -> str:
    """``postgresql://`` (what an administrator types) means psycopg 3, the driver
    Xiangyi installs; SQLAlchemy's own default for that scheme would be psycopg2."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str) -> Engine:
    url = with_driver(url)
    if url.startswith("sqlite"):
        # The engine may be created on a worker thread and used on the UI thread.
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # preserve_rowcount: with psycopg an executemany's row count (e.g. the rows an INSERT …
    # ON CONFLICT DO NOTHING really added) reads -1 once the cursor closes; SQLite keeps
    # it. Kept, code that counts rows works the same on both.
    return create_engine(url, pool_pre_ping=True, execution_options={"preserve_rowcount": True})


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, without touching it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise CorruptDatabase(path)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def backup_sqlite(path: Path, dest_dir: Path, reason: str) -> Path:
    """A consistent copy (SQLite's online backup API, safe while in use)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"{path.stem}-{reason}-{stamp}.sqlite3"
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    _log.info("Backed up %s to %s (%s)", path, target, reason)
    return target


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply alembic migrations up to ``revision`` (imported lazily: it is slow)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_database(data_dir: Path, url: str | None = None) -> Database:
    """Open (creating or migrating as needed) the database for ``data_dir``.

    Raises CorruptDatabase or NewerDatabase with a message for the user; neither
    case changes the file.
    """
    path: Path | None = None
    if url is None:
        path = data_dir / DB_FILE
        check_sqlite_file(path)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                _("The data folder {path} cannot be created: {error}").format(
                    path=data_dir, error=exc.strerror or exc
                )
            ) from exc
        url = sqlite_url(path)
    if url.startswith(("postgresql", "postgres:")) and not postgresql_available():
        raise StorageError(
            _(
                "This copy of Xiangyi cannot open a PostgreSQL database: it is the clinic "
                "build, which has no PostgreSQL driver. The county hub runs the county "
                "build (xiangyi-county); see the administrator guide."
            )
        )
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StorageError(
            _("The database address is not understood: {error}").format(error=exc)
        ) from exc
    try:
        revision = current_revision(engine)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        # The URL may hold the hub's password: never write it to the log.
        _log.exception("Cannot read database %s", path or engine.url.render_as_string(True))
        reason = exc.orig or exc  # the driver's own words, without SQLAlchemy's wrapping
        if path is not None and path.exists() and path.stat().st_size > 0:
            raise CorruptDatabase(path) from exc
        if path is not None:  # no file yet, and SQLite cannot make one (permissions, disk)
            raise StorageError(
                _("The database {path} cannot be created: {error}").format(path=path, error=reason)
            ) from exc
        raise StorageError(
            _("The database cannot be reached: {error}").format(error=reason)
        ) from exc
    if revision is not None and revision not in KNOWN_REVISIONS:
        engine.dispose()
        raise NewerDatabase(revision)
    if revision != HEAD_REVISION:
        if path is not None and revision is not None:
            backup_sqlite(path, backup_dir(data_dir), f"before-{HEAD_REVISION}")
        migrate(engine)
    return Database(engine, path, data_dir)


def set_aside_corrupt(path: Path) -> Path:
    """Rename a damaged file so a new database can start; nothing is deleted."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
    shutil.move(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.move(side, target.with_name(target.name + suffix))
    return target


def latest_backup(data_dir: Path) -> Path | None:
    backups = sorted(backup_dir(data_dir).glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    return backups[-1] if backups else None


def restore_backup(backup: Path, data_dir: Path) -> None:
    """Put ``backup`` in place of the database; a damaged current file is set aside first."""
    check_sqlite_file(backup)
    target = data_dir / DB_FILE
    if target.exists():
        set_aside_corrupt(target)
    shutil.copy2(backup, target)
