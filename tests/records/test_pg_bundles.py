"""Record bundles into the county hub on PostgreSQL: the round trip gives what SQLite
gives, double and shuffled imports give identical contents, a tampered bundle changes
nothing, and ten imports running at once lose and duplicate nothing."""

from __future__ import annotations

import io
import json
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from bundle_fixtures import (
    RECORD_TABLES,
    Clinic,
    add_attempts,
    add_doctor,
    add_exam,
    fill,
    make_clinic,
)
from postgres_fixtures import PostgresServer
from sqlalchemy import func, select

from records import accounts, institutions
from records.bundles import BundleRefused, export_bundle, import_bundle
from records.credentials import issuer
from records.db import Database, open_database
from records.tables import Attempt, BundleLogEntry, Credential, User

PASSWORD = "password-123"


def _canonical(value: Any) -> str:
    # JSON values compare by content: PostgreSQL may keep an object's keys in another
    # order than SQLite (rows merged through jsonb), which changes no record.
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return repr(value)


def contents(db: Database) -> dict[str, list[tuple[str, ...]]]:
    """Every record table, rows sorted: two hubs hold the same records exactly when their
    contents are equal."""
    out = {}
    with db.session() as session:
        for table in RECORD_TABLES:
            rows = session.execute(select(*table.__table__.columns)).all()
            out[table.__tablename__] = sorted(tuple(map(_canonical, row)) for row in rows)
    return out


class Hub:
    """A county hub with its administrator, trusting the clinics' issuing keys."""

    def __init__(self, folder: Path, url: str | None, clinics: list[Clinic]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.url = folder, url
        self.db = open_database(folder, url)
        self.admin = accounts.create_user(
            self.db, "countyadmin", "县卫健委管理员", PASSWORD, "admin"
        )
        for clinic in clinics:
            issuer.trust_issuer(self.db, self.admin, clinic.key.public)

    def records(self) -> dict[str, list[tuple[str, ...]]]:
        """The record tables without the hub's own administrator (its IDs are random)."""
        mine = repr(self.admin.id)
        return {
            table: [row for row in rows if mine not in row]
            for table, rows in contents(self.db).items()
        }

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def clinics(tmp_path: Path) -> list[Clinic]:
    made = [make_clinic(tmp_path / f"clinic{n}", f"青山{n}") for n in range(2)]
    for clinic in made:
        fill(clinic)
    yield made
    for clinic in made:
        clinic.db.close()


def _export(clinic: Clinic, path: Path, *, everything: bool = False) -> Path:
    result = export_bundle(clinic.db, path, signer=clinic.key, everything=everything)
    assert result.path == path
    return path


def _count(db: Database, what: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(what)) or 0)


def test_round_trip_into_postgresql_gives_what_sqlite_gives(
    clinics: list[Clinic], pg_url: str, tmp_path: Path
) -> None:
    bundles = [_export(c, tmp_path / f"b{n}.xybundle") for n, c in enumerate(clinics)]
    pg_hub = Hub(tmp_path / "pg-hub", pg_url, clinics)
    sqlite_hub = Hub(tmp_path / "sqlite-hub", None, clinics)
    try:
        for bundle in bundles:
            on_pg = import_bundle(pg_hub.db, bundle)
            on_sqlite = import_bundle(sqlite_hub.db, bundle)
            assert (on_pg.added, on_pg.skipped) == (on_sqlite.added, on_sqlite.skipped)
            assert on_pg.added["attempts"] == 2 * 3 and on_pg.added["credentials"] == 2
        assert pg_hub.records() == sqlite_hub.records()
        completed = sum(
            _count(c.db, select(Attempt).where(Attempt.status == "completed").subquery())
            for c in clinics
        )
        assert _count(pg_hub.db, Attempt) == completed
        with pg_hub.db.session() as session:
            statuses = sorted(session.scalars(select(Credential.status)))
            hub_users = set(session.scalars(select(User.username)))
        assert statuses == ["revoked", "revoked", "valid", "valid"]
        assert {f"doc0@{c.device[:8]}" for c in clinics} <= hub_users
    finally:
        pg_hub.close()
        sqlite_hub.close()


def _three_bundles(clinics: list[Clinic], folder: Path) -> list[Path]:
    """Clinic 0 twice (the second bundle overlaps the first by the export margin, and a
    profile edit in between), clinic 1 once."""
    first, second = clinics
    one = _export(first, folder / "one.xybundle")
    doctor = add_doctor(first, "doc9", "新来的医生")
    add_attempts(first, doctor, 4)
    add_exam(first, doctor)
    institutions.set_professional_details(
        first.db, first.admin, first.doctors[0].id, title="主治医师", department="全科"
    )
    two = _export(first, folder / "two.xybundle")
    return [one, two, _export(second, folder / "three.xybundle")]


def test_double_and_shuffled_imports_give_identical_hubs(
    clinics: list[Clinic], pg_server: PostgresServer, tmp_path: Path
) -> None:
    bundles = _three_bundles(clinics, tmp_path)
    urls = []
    for name in ("in_order", "shuffled"):
        pg_server.create_database(f"{name}_{tmp_path.name[-12:]}", template="xiangyi_head")
        urls.append(pg_server.url(f"{name}_{tmp_path.name[-12:]}"))
    in_order = Hub(tmp_path / "hub-a", urls[0], clinics)
    shuffled = Hub(tmp_path / "hub-b", urls[1], clinics)
    try:
        first = [import_bundle(in_order.db, b).total_added for b in bundles]
        assert all(first) and first[1] < sum(len(t) for t in contents(clinics[0].db).values())
        merged = in_order.records()
        again = [import_bundle(in_order.db, b) for b in bundles]
        assert [r.total_added for r in again] == [0, 0, 0]
        assert in_order.records() == merged
        order = bundles[::-1]
        random.Random(4).shuffle(order)
        for bundle in [*order, *order]:
            import_bundle(shuffled.db, bundle)
        assert shuffled.records() == merged
        with shuffled.db.session() as session:
            doctor = session.scalars(select(User).where(User.id == clinics[0].doctors[0].id)).one()
        assert (doctor.title, doctor.department) == ("主治医师", "全科")  # the newer edit
        assert _count(shuffled.db, BundleLogEntry) == 6
    finally:
        in_order.close()
        shuffled.close()
        for url in urls:
            pg_server.drop_database(url.split("/")[-1].split("?")[0])


def test_a_tampered_or_foreign_bundle_changes_nothing(
    clinics: list[Clinic], pg_url: str, tmp_path: Path
) -> None:
    good = _export(clinics[0], tmp_path / "good.xybundle")
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.xybundle"
    tampered.write_bytes(bytes(data))
    hub = Hub(tmp_path / "hub", pg_url, clinics[1:])  # trusts clinic 1 only
    try:
        before = hub.records()
        for bundle in (tampered, good):  # changed; signed by a key the hub does not trust
            with pytest.raises(BundleRefused, match="Nothing was changed"):
                import_bundle(hub.db, bundle)
        assert hub.records() == before
        assert _count(hub.db, BundleLogEntry) == 0
    finally:
        hub.close()


def test_ten_concurrent_imports_lose_and_duplicate_nothing(
    tmp_path: Path, pg_server: PostgresServer, pg_url: str
) -> None:
    clinics = [make_clinic(tmp_path / f"c{n}", f"县{n}", doctors=2) for n in range(4)]
    bundles: list[Path] = []
    for n, clinic in enumerate(clinics):
        fill(clinic, attempts=25)
        bundles.append(_export(clinic, tmp_path / f"c{n}-a.xybundle"))
        add_attempts(clinic, clinic.doctors[0], 10)
        bundles.append(_export(clinic, tmp_path / f"c{n}-b.xybundle"))  # overlaps -a
    bundles += [bundles[0], bundles[5]]  # the same files twice, at the same time
    assert len(bundles) == 10
    hub = Hub(tmp_path / "hub", pg_url, clinics)
    hub.db.close()  # every importer opens its own engine
    reports: list[Any] = []
    failures: list[BaseException] = []
    start = threading.Barrier(len(bundles))

    def importer(bundle: Path) -> None:
        database = open_database(tmp_path / "hub", pg_url)
        try:
            start.wait(timeout=60)
            reports.append(import_bundle(database, bundle))
        except BaseException as exc:
            failures.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=importer, args=(b,)) for b in bundles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    assert len(reports) == 10
    hub.db = open_database(tmp_path / "hub", pg_url)
    sequential = Hub(tmp_path / "sequential", None, clinics)
    try:
        for bundle in bundles:
            import_bundle(sequential.db, bundle)
        assert hub.records() == sequential.records()
        attempts = sum(r.added.get("attempts", 0) for r in reports)
        expected = sum(2 * 25 + 10 for _ in clinics)
        assert attempts == expected == _count(hub.db, Attempt)
        assert _count(hub.db, BundleLogEntry) == 10
    finally:
        hub.close()
        sequential.close()
        for clinic in clinics:
            clinic.db.close()


def _cli(
    monkeypatch: pytest.MonkeyPatch, url: str, data_dir: Path, *args: str, stdin: str = ""
) -> int:
    """The ``xiangyi`` command in this process (its start-up is tested in test_pg_schema)."""
    from desktop import cli

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["--data-dir", str(data_dir), "--db", url, "--lang", "en", *args])


def test_county_administrator_imports_with_the_cli(
    clinics: list[Clinic],
    pg_empty_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = _export(clinics[0], tmp_path / "clinic0.xybundle")
    hub_dir = tmp_path / "hub"
    admin = ("--as", "countyadmin", "--password-stdin")
    first_admin = ("users", "add", "countyadmin", "--name", "县卫健委管理员", "--role", "admin")
    clinic_key = str(issuer.key_files(clinics[0].data_dir)[1])
    steps = [
        ((*first_admin, "--password-stdin"), PASSWORD),
        (("keys", "issuer", "trust", clinic_key, *admin), PASSWORD),
        (("bundle", "import", str(bundle), str(bundle), *admin), PASSWORD),
        (("bundle", "status"), ""),
    ]
    outputs = []
    for args, secret in steps:
        code = _cli(monkeypatch, pg_empty_url, hub_dir, *args, stdin=secret + "\n")
        printed = capsys.readouterr()
        assert code == 0, (args, printed.err)
        outputs.append(printed.out)
    first, second = outputs[2].strip().split("\n")  # users add also created the tables
    assert "already here 0" in first and "added nothing" in second
    assert "Last imported from 青山0" in outputs[3] and "1 bundle(s)" in outputs[3]
    hub = open_database(hub_dir, pg_empty_url)
    try:
        assert _count(hub, Attempt) == 2 * 3 and _count(hub, BundleLogEntry) == 2
    finally:
        hub.close()
