"""The county hub's schema on PostgreSQL: migrations up and down match SQLite step by
step, the models match the migrated schema, refusals are clear, and the headless CLI
works with ``--db postgresql://...``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from records import db as storage
from records.migrations import HEAD_REVISION, KNOWN_REVISIONS
from records.tables import AuditEvent, Base

XIANGYI = Path(sys.executable).parent / "xiangyi"


def _shape(engine: Engine) -> dict[str, list[str]]:
    """Tables with their columns, indexes and unique keys: what a migration step leaves.
    (PostgreSQL also lists a unique constraint's own index; SQLite names none.)"""
    with engine.connect() as conn:
        found = inspect(conn)
        return {
            table: sorted(c["name"] for c in found.get_columns(table))
            + sorted(
                f"index:{i['name']}"
                for i in found.get_indexes(table)
                if "duplicates_constraint" not in i
            )
            + sorted(f"unique:{u['column_names']}" for u in found.get_unique_constraints(table))
            for table in sorted(found.get_table_names())
        }


def _downgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _walk_down(engine: Engine) -> list[tuple[str | None, dict[str, list[str]]]]:
    storage.migrate(engine)
    steps = [(storage.current_revision(engine), _shape(engine))]
    for revision in [*reversed(KNOWN_REVISIONS[:-1]), "base"]:
        _downgrade(engine, revision)
        steps.append((storage.current_revision(engine), _shape(engine)))
    storage.migrate(engine)
    return steps


def test_migrations_up_and_down_match_sqlite(pg_empty_url: str, tmp_path: Path) -> None:
    hub = storage.make_engine(pg_empty_url)
    clinic = storage.make_engine(storage.sqlite_url(tmp_path / "clinic.sqlite3"))
    try:
        on_postgresql, on_sqlite = _walk_down(hub), _walk_down(clinic)
        assert [r for r, _ in on_postgresql] == [*reversed(KNOWN_REVISIONS), None]
        assert on_postgresql[-1][1] == {"alembic_version": ["version_num"]}
        assert on_postgresql == on_sqlite
        assert storage.current_revision(hub) == HEAD_REVISION
        with hub.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        hub.dispose()
        clinic.dispose()


def test_newer_hub_schema_is_refused_and_left_alone(pg_url: str, data_dir: Path) -> None:
    database = storage.open_database(data_dir, pg_url)
    assert not database.is_sqlite and database.path is None
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.close()
    with pytest.raises(storage.NewerDatabase, match="9999"):
        storage.open_database(data_dir, pg_url)
    engine = storage.make_engine(pg_url)
    assert storage.current_revision(engine) == "9999"
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://hub:s3cret-pw@/nowhere?host=/nonexistent", "cannot be reached"),
        ("postgresql://hub@/x?host=/tmp&port=not-a-port", "not understood"),
        ("mysql://hub@county/records", "not understood"),
        ("no url at all", "not understood"),
    ],
)
def test_a_wrong_hub_address_is_a_clear_message(
    url: str, message: str, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(storage.StorageError, match=message) as raised:
        storage.open_database(data_dir, url)
    assert "s3cret-pw" not in str(raised.value) and "s3cret-pw" not in caplog.text
    assert list(data_dir.iterdir()) == []


def _cli(url: str, data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), "--data-dir", str(data_dir), "--db", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_upgrades_and_manages_accounts_on_the_hub(pg_empty_url: str, data_dir: Path) -> None:
    upgraded = _cli(pg_empty_url, data_dir, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"schema {HEAD_REVISION}" in upgraded.stdout
    added = _cli(
        pg_empty_url,
        data_dir,
        *("users", "add", "county-admin", "--name", "县卫健委管理员", "--role", "admin"),
        "--password-stdin",
        stdin="county-pass-1\n",
    )
    assert added.returncode == 0, added.stderr
    listed = _cli(pg_empty_url, data_dir, "users", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\n")[0].split("\t")[:2] == ["county-admin", "县卫健委管理员"]
    assert not (data_dir / storage.DB_FILE).exists()  # nothing went to a local SQLite file
    refused = _cli("postgresql://hub@/x?host=/nonexistent", data_dir, "users", "list")
    assert refused.returncode == 1 and "cannot be reached" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_times_come_back_in_utc_from_a_server_in_beijing_time(pg_db: storage.Database) -> None:
    beijing = timezone(timedelta(hours=8))
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SHOW TimeZone")).scalar() == "Asia/Shanghai"
    with pg_db.session() as session:
        session.add(AuditEvent(id="naive", event="e", at=datetime(2026, 1, 5, 23, 30)))
        in_beijing = datetime(2026, 1, 6, 7, 30, tzinfo=beijing)
        session.add(AuditEvent(id="aware", event="e", at=in_beijing))
    with pg_db.session() as session:
        stored = {e.id: e.at for e in session.query(AuditEvent)}
    with pg_db.engine.connect() as conn:
        utc_text = conn.execute(
            text("SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI') FROM audit_events")
        ).scalars()
        assert set(utc_text) == {"23:30"}  # a naive time is UTC, as on SQLite
    expected = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    assert stored == {"naive": expected, "aware": expected}
    assert {at.isoformat() for at in stored.values()} == {"2026-01-05T23:30:00+00:00"}
