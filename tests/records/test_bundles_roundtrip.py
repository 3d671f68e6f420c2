"""Record bundles: a clinic PC's records reach the county hub, once, with "last
exported / last imported" times (SQLite; two separate data folders)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bundle_fixtures import add_attempts, add_doctor, dump, fill, make_clinic, make_hub
from sqlalchemy import func, select

from records import accounts
from records.bundles import export_bundle, import_bundle, imports_by_device, last_export
from records.tables import Attempt, Credential, ExamEventRow, Revocation, User


def test_clinic_records_reach_the_hub_exactly_once(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河")
    fill(clinic)
    bundle = tmp_path / "usb" / "qinghe.xybundle"
    written = export_bundle(clinic.db, bundle, signer=clinic.key)
    assert written.path == bundle and bundle.is_file()
    assert written.counts["attempts"] == 6  # completed ones; the two open attempts stay home
    assert written.counts["exam_events"] == 6 and written.counts["credentials"] == 2
    assert last_export(clinic.db) is not None

    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    report = import_bundle(hub, bundle)
    assert report.signer == "清河" and report.device_id == clinic.device
    assert report.added["attempts"] == 6 and report.added["users"] == 3
    assert report.added["revocations"] == 1 and report.rejected["revocations"] == 0
    assert sum(report.skipped.values()) == 0

    with hub.session() as session:
        doctor = session.get(User, clinic.doctors[0].id)
        assert doctor is not None and doctor.display_name == "清河医生0"
        assert doctor.username == f"doc0@{clinic.device[:8]}"
        assert doctor.title == "乡村医生" and doctor.institution_id == clinic.institution_id
        assert session.scalar(select(func.count()).select_from(ExamEventRow)) == 6
        statuses = sorted(c.status for c in session.scalars(select(Credential)))
        assert statuses == ["revoked", "valid"]
    # Imported people cannot log in at the hub: their passwords stay on the clinic PC.
    assert not accounts.verify_password(doctor.password_hash, "password-123")

    before = dump(hub)
    again = import_bundle(hub, bundle)
    assert again.total_added == 0
    assert again.skipped["attempts"] == 6 and again.skipped["exam_events"] == 6
    assert dump(hub) == before
    (device,) = imports_by_device(hub)
    assert device.device_id == clinic.device and device.signer == "清河" and device.bundles == 1


def test_the_next_export_holds_only_what_is_new(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    old = datetime.now(UTC) - timedelta(days=3)
    add_attempts(clinic, clinic.doctors[0], 4, when=old)
    first = export_bundle(clinic.db, tmp_path / "1.xybundle", signer=clinic.key)
    assert first.since is None and first.counts["attempts"] == 4
    add_attempts(clinic, clinic.doctors[0], 2)
    newcomer = add_doctor(clinic, "newdoc", "新医生")
    second = export_bundle(clinic.db, tmp_path / "2.xybundle", signer=clinic.key)
    assert second.since is not None and second.counts["attempts"] == 2
    assert second.counts["users"] == 3  # people always travel: any order still merges

    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    assert import_bundle(hub, tmp_path / "2.xybundle").added["attempts"] == 2
    assert import_bundle(hub, tmp_path / "1.xybundle").added["attempts"] == 4
    with hub.session() as session:
        assert session.scalar(select(func.count()).select_from(Attempt)) == 6
        assert session.get(User, newcomer.id) is not None
    everything = export_bundle(clinic.db, tmp_path / "all.xybundle", signer=clinic.key,
                               everything=True)  # fmt: skip
    assert everything.counts["attempts"] == 6
    assert import_bundle(hub, tmp_path / "all.xybundle").total_added == 0


def test_a_cancelled_export_leaves_no_file_and_no_watermark(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    seen: list[tuple[int, int]] = []
    result = export_bundle(
        clinic.db,
        tmp_path / "out" / "b.xybundle",
        signer=clinic.key,
        progress=lambda done, total: seen.append((done, total)),
        cancel=lambda: len(seen) >= 2,
    )
    assert result.cancelled and result.path is None
    assert list((tmp_path / "out").iterdir()) == []
    assert last_export(clinic.db) is None


def test_a_revocation_arriving_before_its_certificate_still_revokes_it(tmp_path: Path) -> None:
    from bundle_fixtures import add_exam

    from records.credentials import revocation

    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    credential = add_exam(clinic, clinic.doctors[0])
    assert credential is not None
    export_bundle(clinic.db, tmp_path / "1.xybundle", signer=clinic.key)
    revocation.revoke(clinic.db, clinic.admin, credential.id, "信息有误", clinic.key)
    since = datetime.now(UTC)  # the revocation only, not the certificate again
    second = export_bundle(clinic.db, tmp_path / "2.xybundle", signer=clinic.key, since=since)
    assert second.counts["credentials"] == 0 and second.counts["revocations"] == 1

    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    import_bundle(hub, tmp_path / "2.xybundle")
    import_bundle(hub, tmp_path / "1.xybundle")
    with hub.session() as session:
        stored = session.get(Credential, credential.id)
        assert stored is not None and stored.status == "revoked"
        assert session.get(Revocation, credential.id) is not None


def test_imports_running_at_once_lose_nothing(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=2)
    paths = []
    for n in range(4):
        since = datetime.now(UTC)  # each bundle holds its own 25 attempts
        add_attempts(clinic, clinic.doctors[n % 2], 25)
        paths.append(tmp_path / f"{n}.xybundle")
        export_bundle(clinic.db, paths[-1], signer=clinic.key, since=since)
    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda p: import_bundle(hub, p), paths + paths))
    assert sum(r.added["attempts"] for r in reports) == 100
    assert sum(r.added["users"] for r in reports) == 3  # each person added exactly once
    with hub.session() as session:
        assert session.scalar(select(func.count()).select_from(Attempt)) == 100
