"""A real PostgreSQL server for the county-hub tests, from the Debian package's binaries.

One server per test session, in a temporary folder, listening on a Unix socket only (no
TCP port: nothing clashes with another run and the suite's no-network rule holds).
PostgreSQL refuses to run as root, so under root the server runs as the system user
``xiangyi-pg`` (created on first use). Each test gets a database of its own.

When the binaries are missing the fixtures FAIL (never skip): ``make test`` installs the
``postgresql`` package.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SYSTEM_USER = "xiangyi-pg"
ROLE = "xiangyi"  # the superuser role initdb creates; trust authentication on the socket
FOLDER_PREFIX = "xiangyi-pg-"
OWNER_FILE = "owner.pid"  # the test run's process: its server is stopped if it dies
TEMPLATE = "xiangyi_head"  # a database migrated to head once, copied for each test
MISSING = (
    "The PostgreSQL server binaries (initdb, pg_ctl) are not installed. Run `make test`, "
    "which installs the Debian package 'postgresql', or `apt-get install postgresql`."
)
# A throw-away server: durability is not under test here, speed is.
SETTINGS = """
listen_addresses = ''
unix_socket_directories = '{socket_dir}'
max_connections = 60
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
# A county hub in China: timestamps must still come back in UTC, as from SQLite.
timezone = 'Asia/Shanghai'
"""


def find_bin_dir() -> Path | None:
    """The newest installed server's bin folder (``XIANGYI_PG_BIN`` overrides)."""
    if override := os.environ.get("XIANGYI_PG_BIN"):
        return Path(override)
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "pg_ctl").exists()]
    if not candidates:
        return None
    return max(candidates, key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SYSTEM_USER, "--", *command]


def _ensure_system_user() -> None:
    """Create the unprivileged account the server runs as (root only)."""
    if os.geteuid() != 0:
        return
    found = subprocess.run(["id", "-u", SYSTEM_USER], capture_output=True, check=False)
    if found.returncode == 0:
        return
    made = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
        capture_output=True,
        text=True,
        check=False,
    )
    # 9: created meanwhile by a parallel run.
    if made.returncode not in (0, 9):
        pytest.fail(f"cannot create the system user {SYSTEM_USER}: {made.stderr}")


def _run(command: list[str], what: str, folder: Path, log: Path | None = None) -> None:
    # Run from the server's folder: the server user may not enter the checkout's folder.
    done = subprocess.run(
        _as_server_user(command),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=folder,
    )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        pytest.fail(f"PostgreSQL {what} failed:\n{done.stdout}\n{done.stderr}\n{tail}")


@dataclass
class PostgresServer:
    """A running server: its folder (also the socket directory) and binaries."""

    folder: Path
    bin_dir: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str, driver: str = "postgresql") -> str:
        """A SQLAlchemy URL; plain ``postgresql://`` is what a user types on the CLI."""
        return f"{driver}://{ROLE}@/{database}?host={self.folder}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(
            host=str(self.folder), user=ROLE, dbname=database, autocommit=True
        ) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def create_database(self, name: str, template: str = "template0") -> None:
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\'')

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_orphans(bin_dir: Path) -> None:
    """Stop the servers of test runs that died without stopping theirs (a crash in a Qt
    test, a killed CI job); servers of runs still going are left alone."""
    for owner in Path("/tmp").glob(f"{FOLDER_PREFIX}*/{OWNER_FILE}"):
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            stop_server(PostgresServer(owner.parent, bin_dir))


def start_server(bin_dir: Path) -> PostgresServer:
    """initdb + pg_ctl start in a fresh folder under /tmp (short: the socket path is
    limited to ~100 bytes), owned by the unprivileged server user."""
    _ensure_system_user()
    stop_orphans(bin_dir)
    # /tmp, not $TMPDIR: it must be short and open to the server user.
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir="/tmp"))
    (folder / OWNER_FILE).write_text(str(os.getpid()))
    if os.geteuid() == 0:
        shutil.chown(folder, SYSTEM_USER, SYSTEM_USER)
    server = PostgresServer(folder, bin_dir)
    _run(
        [
            *(str(bin_dir / "initdb"), "-D", str(server.data), "-U", ROLE, "--auth=trust"),
            *("--encoding=UTF8", "--no-locale", "--no-sync"),
        ],
        "initdb",
        folder,
    )
    conf = server.data / "postgresql.conf"
    with conf.open("a", encoding="utf-8") as handle:  # appending keeps the file's owner
        handle.write(SETTINGS.format(socket_dir=folder))
    log = folder / "server.log"
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(server.data),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "start",
        ],
        "start",
        folder,
        log,
    )
    return server


def stop_server(server: PostgresServer) -> None:
    subprocess.run(
        _as_server_user(
            [str(server.bin_dir / "pg_ctl"), "-D", str(server.data), "-m", "fast", "-w", "stop"]
        ),
        capture_output=True,
        check=False,
        timeout=120,
        cwd=server.folder,
    )
    shutil.rmtree(server.folder, ignore_errors=True)


def _migrated_template(server: PostgresServer) -> None:
    """Migrate one database to head; tests copy it (CREATE DATABASE is quicker than
    running the migrations for every test)."""
    from records.db import open_database

    server.create_database(TEMPLATE)
    scratch = Path(tempfile.mkdtemp(prefix="xiangyi-pg-data-"))
    try:
        open_database(scratch, server.url(TEMPLATE)).close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (fails, never skips, when it is not installed)."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        pytest.fail(MISSING)
    server = start_server(bin_dir)
    try:
        _migrated_template(server)
        yield server
    finally:
        stop_server(server)


_numbers = itertools.count()


def _database_name() -> str:
    return f"t{os.getpid()}_{next(_numbers)}"


@pytest.fixture
def pg_empty_url(pg_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database (no schema yet) for this test."""
    name = _database_name()
    pg_server.create_database(name)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """The URL of a new database already migrated to head, for this test."""
    name = _database_name()
    pg_server.create_database(name, template=TEMPLATE)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def pg_db(pg_url: str, data_dir: Path) -> Iterator[object]:
    """An open Database on this test's PostgreSQL database (the hub's ``db``)."""
    from records.db import open_database

    database = open_database(data_dir, pg_url)
    yield database
    database.close()
