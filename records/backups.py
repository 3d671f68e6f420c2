"""Backups of the SQLite database: one-off copies to a chosen file, automatic rotating
copies in ``<data_dir>/backups``, and a restore that checks the file first.

Every copy is a consistent snapshot taken while the app (or another session) keeps
writing: ``VACUUM INTO`` reads inside one read transaction, which WAL lets writers run
beside. A restore writes the checked copy into the live file through SQLite's backup API,
a single write transaction, so other open connections see either the old database or
the restored one, never a mixture. PostgreSQL (the county hub) is backed up with
``pg_dump`` by the server's administrator; the functions here say so instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from records import audit, settings
from records.db import SQLITE_MAGIC, Database, open_database
from records.migrations import KNOWN_REVISIONS
from records.tables import User
from xiangyi.i18n import N_, _
from xiangyi.paths import backup_dir

AUTO = "auto"
BEFORE_RESTORE = "before-restore"
KEEP_SETTING = "backup_keep"
AUTO_SETTING = "backup_auto"
DEFAULT_KEEP = 7
MAX_KEEP = 100
DAILY = timedelta(hours=24)
# A start-up backup is skipped when one is this fresh (a PC restarted after a power cut).
START_GAP = timedelta(minutes=30)
# Tables every Xiangyi database has had since the first revision.
XIANGYI_TABLES = frozenset({"alembic_version", "users", "audit_events", "settings"})
KIND_LABELS = {
    "auto": N_("Automatic"),
    "before-restore": N_("Before a restore"),
    "before-upgrade": N_("Before an upgrade"),
    "manual": N_("Manual"),
}
_log = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore was refused or failed; ``str()`` is a translated message and
    nothing was changed."""


@dataclass(frozen=True)
class BackupFile:
    """A backup in the backups folder."""

    path: Path
    size: int
    created: datetime
    kind: str  # a key of KIND_LABELS


@dataclass(frozen=True)
class BackupCheck:
    """What a checked backup file holds."""

    path: Path
    revision: str
    size: int
    users: int
    attempts: int


@dataclass(frozen=True)
class Restored:
    """The reopened database after a restore, and the safety copy of the one replaced."""

    database: Database
    safety_backup: Path
    check: BackupCheck


def postgres_message() -> str:
    return _(
        "This database is on a PostgreSQL server. Its backups are made with pg_dump by the "
        "server's administrator; Xiangyi does not back it up or restore it."
    )


def human_size(size: int) -> str:
    """A file size for people: KB below a megabyte, else MB with one decimal."""
    if size < 1024 * 1024:
        return _("{n} KB").format(n=max(1, round(size / 1024)))
    return _("{n} MB").format(n=f"{size / (1024 * 1024):.1f}")


def database_file(db: Database) -> Path:
    """The SQLite file of ``db``; BackupError for a server database."""
    if not db.is_sqlite or db.path is None:
        raise BackupError(postgres_message())
    return db.path


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")


def snapshot(source: Path, target: Path) -> Path:
    """Write a consistent copy of ``source`` to ``target`` (replaced only once the copy
    is complete and passes SQLite's quick check)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        connection = sqlite3.connect(source, timeout=30)
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))
        finally:
            connection.close()
        copy = sqlite3.connect(partial)
        try:
            found = copy.execute("PRAGMA quick_check").fetchall()
        finally:
            copy.close()
        if found != [("ok",)]:
            raise BackupError(_("The copy could not be checked; no backup was written."))
        os.replace(partial, target)
    except sqlite3.Error as exc:
        _log.exception("Backup of %s to %s failed", source, target)
        raise BackupError(_("The backup failed: {error}").format(error=exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    _log.info("Backed up %s to %s", source, target)
    return target


def backup_to(db: Database, target: Path, *, actor: User | None = None) -> Path:
    """Back the database up to ``target`` (one click in the app); audited."""
    snapshot(database_file(db), target)
    with db.session() as session:
        audit.record(
            session,
            "database_backed_up",
            actor_id=actor.id if actor else None,
            subject=target.name[:128],
            path=str(target),
            size=target.stat().st_size,
        )
    return target


# --- automatic rotating backups ------------------------------------------------------------


def backup_settings(db: Database) -> tuple[bool, int]:
    """Whether automatic backups run, and how many are kept."""
    enabled = settings.get(db, AUTO_SETTING, "1") != "0"
    try:
        keep = int(settings.get(db, KEEP_SETTING) or DEFAULT_KEEP)
    except ValueError:
        keep = DEFAULT_KEEP
    return enabled, min(max(keep, 1), MAX_KEEP)


def set_backup_settings(db: Database, actor: User, *, enabled: bool, keep: int) -> None:
    """Change the automatic backup settings (administrators only; audited)."""
    _require_admin(actor)
    if not 1 <= keep <= MAX_KEEP:
        raise BackupError(_("Keep between 1 and {most} automatic backups.").format(most=MAX_KEEP))
    settings.put(db, AUTO_SETTING, "1" if enabled else "0")
    settings.put(db, KEEP_SETTING, str(keep))
    with db.session() as session:
        audit.record(
            session, "backup_settings_changed", actor_id=actor.id, enabled=enabled, keep=keep
        )


def kind_of(path: Path) -> str:
    name = path.stem
    if f"-{AUTO}-" in name:
        return "auto"
    if f"-{BEFORE_RESTORE}-" in name:
        return "before-restore"
    if "-before-" in name:
        return "before-upgrade"
    return "manual"


def list_backups(data_dir: Path) -> list[BackupFile]:
    """The backups in the backups folder, newest first."""
    found = []
    for path in backup_dir(data_dir).glob("*.sqlite3"):
        stat = path.stat()
        created = datetime.fromtimestamp(stat.st_mtime, UTC)
        found.append(BackupFile(path, stat.st_size, created, kind_of(path)))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def rotate(data_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest automatic backups (others are never deleted)."""
    automatic = [b for b in list_backups(data_dir) if b.kind == "auto"]
    removed = []
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def automatic_backup_due(db: Database, *, at_start: bool, now: datetime | None = None) -> bool:
    """True when automatic backups are on and the newest is older than a day (or, at
    start-up, older than START_GAP)."""
    if not db.is_sqlite or db.path is None or not backup_settings(db)[0]:
        return False
    now = now or datetime.now(UTC)
    newest = next((b for b in list_backups(db.data_dir) if b.kind == "auto"), None)
    if newest is None:
        return True
    return now - newest.created >= (START_GAP if at_start else DAILY)


def automatic_backup(
    db: Database, *, at_start: bool = False, now: datetime | None = None
) -> Path | None:
    """Take an automatic backup if one is due, then keep only the newest N."""
    if not automatic_backup_due(db, at_start=at_start, now=now):
        return None
    source = database_file(db)
    target = backup_dir(db.data_dir) / f"{source.stem}-{AUTO}-{_stamp(now)}.sqlite3"
    snapshot(source, target)
    rotate(db.data_dir, backup_settings(db)[1])
    return target


# --- checking and restoring ------------------------------------------------------------------


def _require_admin(actor: User | None) -> None:
    if actor is None or actor.role != "admin":
        raise BackupError(_("Only an administrator can do this."))


def _not_xiangyi(path: Path) -> BackupError:
    return BackupError(
        _("{name} is not a Xiangyi database or backup; nothing was changed.").format(name=path.name)
    )


def _stage(source: Path, folder: Path) -> tuple[Path, BackupCheck]:
    """Copy ``source`` into ``folder`` (the chosen file itself is never opened for
    writing) and check the copy; BackupError says what is wrong."""
    if not source.is_file():
        raise BackupError(_("The file {path} does not exist.").format(path=source))
    with source.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise _not_xiangyi(source)
    staged = folder / "restore.sqlite3"
    shutil.copyfile(source, staged)
    wal = source.with_name(source.name + "-wal")
    if wal.is_file():  # a copy of a live database: its latest changes are in the WAL
        shutil.copyfile(wal, staged.with_name(staged.name + "-wal"))
    damaged = BackupError(
        _("{name} is damaged and cannot be restored; nothing was changed.").format(name=source.name)
    )
    connection = sqlite3.connect(staged)
    try:
        if connection.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise damaged
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables >= XIANGYI_TABLES:
            raise _not_xiangyi(source)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise _not_xiangyi(source)
        revision = str(row[0])
        if revision not in KNOWN_REVISIONS:
            raise BackupError(
                _(
                    "{name} was written by a newer version of Xiangyi (schema {revision}). "
                    "Install the newer version to restore it; nothing was changed."
                ).format(name=source.name, revision=revision)
            )
        users = connection.execute("SELECT count(*) FROM users").fetchone()[0]
        attempts = 0
        if "attempts" in tables:
            attempts = connection.execute("SELECT count(*) FROM attempts").fetchone()[0]
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.DatabaseError as exc:
        raise damaged from exc
    finally:
        connection.close()
    return staged, BackupCheck(source, revision, source.stat().st_size, users, attempts)


def check_backup(source: Path) -> BackupCheck:
    """Check that ``source`` is an intact Xiangyi database this version can open."""
    with tempfile.TemporaryDirectory(prefix="xiangyi-check-") as folder:
        return _stage(source, Path(folder))[1]


def _copy_into(source: Path, target: Path) -> None:
    """Write ``source`` into the live database ``target`` in one write transaction."""
    origin = sqlite3.connect(source)
    live = sqlite3.connect(target, timeout=30)
    try:
        page_size = live.execute("PRAGMA page_size").fetchone()[0]
        if origin.execute("PRAGMA page_size").fetchone()[0] != page_size:
            # The backup API cannot change the page size of a WAL database.
            origin.execute(f"PRAGMA page_size={int(page_size)}")
            origin.execute("VACUUM")
        # Page 1 carries the journal mode: a copy in rollback mode would switch the live
        # file out of WAL under the feet of the connections that have it open.
        mode = live.execute("PRAGMA journal_mode").fetchone()[0]
        origin.execute(f"PRAGMA journal_mode={'WAL' if mode == 'wal' else 'DELETE'}")
        origin.backup(live)
    finally:
        live.close()
        origin.close()


def restore(db: Database, source: Path, *, actor: User) -> Restored:
    """Replace the database with the backup ``source`` after checking it, keeping a
    safety backup of the current database first. ``db`` is closed; use the returned
    database (migrated if the backup is from an older version). Audited in the restored
    database."""
    _require_admin(actor)
    target = database_file(db)
    folder = backup_dir(db.data_dir)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=folder) as staging:
        staged, found = _stage(source, Path(staging))
        safety = snapshot(target, folder / f"{target.stem}-{BEFORE_RESTORE}-{_stamp()}.sqlite3")
        db.close()
        try:
            _copy_into(staged, target)
        except sqlite3.Error as exc:
            _log.exception("Restoring %s failed", source)
            raise BackupError(
                _("The restore failed and the database was left as it was: {error}").format(
                    error=exc
                )
            ) from exc
    try:
        reopened = open_database(db.data_dir)
    except Exception:
        _log.exception("The restored database could not be opened; putting the old one back")
        _copy_into(safety, target)
        raise
    with reopened.session() as session:
        audit.record(
            session,
            "database_restored",
            actor_id=actor.id,
            subject=source.name[:128],
            revision=found.revision,
            safety_backup=str(safety),
        )
    return Restored(reopened, safety, found)
