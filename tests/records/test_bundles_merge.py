"""Merging is idempotent and order-free: the hub ends with the same records whatever
order bundles from three clinics arrive in, however often; personal details merge field
by field, the newer change winning and the older kept in history."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bundle_fixtures import (
    Clinic,
    add_attempts,
    add_exam,
    dump,
    empty_hub,
    fill,
    make_clinic,
    signers,
)
from sqlalchemy import select

from records import accounts, institutions, profiles
from records.bundles import export_bundle, import_bundle
from records.learning import save_reading
from records.tables import LessonProgress, ProfileChange, User


def _bundles(tmp_path: Path) -> tuple[list[Clinic], list[Path]]:
    """Three clinics, each exporting three times with new work and edits in between."""
    clinics = [
        make_clinic(tmp_path / f"c{n}", name) for n, name in enumerate(("东村", "西村", "南村"))
    ]
    paths: list[Path] = []
    for round_ in range(3):
        for n, clinic in enumerate(clinics):
            if round_ == 0:
                fill(clinic, attempts=2)
            else:
                doctor = clinic.doctors[round_ % 2]
                add_attempts(clinic, doctor, 2)
                add_exam(clinic, doctor, issue=round_ == 1)
                save_reading(clinic.db, doctor.id, "m1", "l1", position=1.0, active_seconds=30,
                             completed=True)  # fmt: skip
                institutions.set_professional_details(
                    clinic.db, clinic.admin, doctor.id, institution_id=clinic.institution_id,
                    practising_number=f"R{round_}", title="主治医师",
                )  # fmt: skip
            path = tmp_path / "usb" / f"{n}-{round_}.xybundle"
            # Every third export starts from the beginning: overlap must be harmless.
            export_bundle(clinic.db, path, signer=clinic.key, everything=round_ == 2 and n == 0)
            paths.append(path)
    return clinics, paths


def test_any_order_and_double_imports_give_the_same_hub(tmp_path: Path) -> None:
    clinics, paths = _bundles(tmp_path)
    trusted = signers(clinics)
    dumps = []
    for trial, order in enumerate(
        (paths, list(reversed(paths)), random.Random(7).sample(paths, k=len(paths)))
    ):
        hub = empty_hub(tmp_path / f"hub{trial}")
        for path in order:
            import_bundle(hub, path, trusted=trusted)
        if trial == 2:  # and everything once more
            reports = [import_bundle(hub, path, trusted=trusted) for path in paths]
            assert all(report.total_added == 0 for report in reports)
        dumps.append(dump(hub))
        hub.close()
    assert dumps[0] == dumps[1] == dumps[2]
    # Nothing lost: every final record of every clinic is at the hub.
    for clinic in clinics:
        own = dump(clinic.db)
        for table in ("attempts", "exam_events", "credentials", "revocations"):
            home = {row[0] for row in own[table]}
            hub_rows = {row[0] for row in dumps[0][table]}
            if table == "attempts":  # open attempts stay at home until completed
                home = {row[0] for row in own[table] if "'completed'" in row}
            assert home <= hub_rows, table


def test_newer_change_wins_field_by_field_and_history_is_kept(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    doctor = clinic.doctors[0]
    first = tmp_path / "1.xybundle"
    export_bundle(clinic.db, first, signer=clinic.key)
    accounts.set_display_name(clinic.db, clinic.admin, doctor.id, "王建国")
    institutions.set_professional_details(
        clinic.db, clinic.admin, doctor.id, practising_number="NEW-1",
        institution_id=clinic.institution_id, title="乡村医生",
    )  # fmt: skip
    second = tmp_path / "2.xybundle"
    export_bundle(clinic.db, second, signer=clinic.key)

    trusted = signers([clinic])
    hubs = []
    for n, order in enumerate(((first, second), (second, first))):
        hub = empty_hub(tmp_path / f"hub{n}")
        for path in order:
            import_bundle(hub, path, trusted=trusted)
        with hub.session() as session:
            user = session.get(User, doctor.id)
            assert user is not None
            assert user.display_name == "王建国" and user.practising_number == "NEW-1"
            assert user.title == "乡村医生"  # unchanged field: still the first value
            names = [c.value for c in profiles.history(session, doctor.id)
                     if c.field == "display_name"]  # fmt: skip
            assert names == ["清河医生0", "王建国"]
        hubs.append(dump(hub))
    assert hubs[0] == hubs[1]


def test_an_edit_at_the_hub_and_an_older_one_from_the_clinic(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    doctor = clinic.doctors[0]
    # The clinic's edit is older than the hub's, but arrives later: the hub's stays.
    institutions.set_professional_details(
        clinic.db, clinic.admin, doctor.id, department="全科", institution_id=clinic.institution_id,
        title="乡村医生",
    )  # fmt: skip
    with clinic.db.session() as session:
        for change in session.scalars(
            select(ProfileChange).where(ProfileChange.field == "department")
        ):
            change.changed_at = datetime.now(UTC) - timedelta(days=1)
    path = tmp_path / "b.xybundle"
    export_bundle(clinic.db, path, signer=clinic.key)
    hub = empty_hub(tmp_path / "hub")
    admin = accounts.create_user(hub, "countyadmin", "县管理员", "password-123", "admin")
    import_bundle(hub, path, trusted=signers([clinic]))
    institutions.set_professional_details(
        hub, admin, doctor.id, department="内科", institution_id=clinic.institution_id,
        title="乡村医生",
    )  # fmt: skip
    report = import_bundle(hub, path, trusted=signers([clinic]))
    assert report.total_added == 0
    with hub.session() as session:
        user = session.get(User, doctor.id)
        assert user is not None and user.department == "内科"
        departments = [c.value for c in profiles.history(session, doctor.id)
                       if c.field == "department"]  # fmt: skip
        assert departments == ["全科", "内科"]


def test_the_newer_lesson_reading_wins(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    doctor = clinic.doctors[0]
    save_reading(clinic.db, doctor.id, "m1", "l1", position=0.2, active_seconds=10)
    early = tmp_path / "1.xybundle"
    export_bundle(clinic.db, early, signer=clinic.key)
    save_reading(clinic.db, doctor.id, "m1", "l1", position=1.0, active_seconds=50, completed=True)
    late = tmp_path / "2.xybundle"
    export_bundle(clinic.db, late, signer=clinic.key)
    hub = empty_hub(tmp_path / "hub")
    import_bundle(hub, late, trusted=signers([clinic]))
    report = import_bundle(hub, early, trusted=signers([clinic]))
    assert report.updated["lesson_progress"] == 0 and report.skipped["lesson_progress"] == 1
    with hub.session() as session:
        (row,) = session.scalars(select(LessonProgress)).all()
        assert row.position == 1.0 and row.active_seconds == 60 and row.completed_at is not None
    hub2 = empty_hub(tmp_path / "hub2")
    import_bundle(hub2, early, trusted=signers([clinic]))
    assert import_bundle(hub2, late, trusted=signers([clinic])).updated["lesson_progress"] == 1
    assert dump(hub) == dump(hub2)


def test_migration_seeds_the_history_of_existing_people(data_dir: Path) -> None:
    from sqlalchemy import text

    from records.db import make_engine, migrate, open_database, sqlite_url

    engine = make_engine(sqlite_url(data_dir / "xiangyi.sqlite3"))
    migrate(engine, "0006")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('device_id', 'dev1')"))
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, role, password_hash, active, "
                "failed_logins, created_at, language, title) VALUES ('u1', 'wang', '王医生', "
                "'learner', 'x', 1, 0, '2025-01-01 00:00:00', 'zh_CN', '主治医师')"
            )
        )
    engine.dispose()
    db = open_database(data_dir)
    try:
        with db.session() as session:
            changes = profiles.history(session, "u1")
            assert {(c.field, c.value, c.device_id) for c in changes} == {
                ("display_name", "王医生", "dev1"),
                ("title", "主治医师", "dev1"),
            }
            assert changes[0].changed_at == datetime(2025, 1, 1, tzinfo=UTC)
    finally:
        db.close()
