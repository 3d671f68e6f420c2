"""Installing packs: trust, all-or-nothing installs, upgrades, removal, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pack_fixtures import build, make_key, pack_folder, rewrite_member, sign, signed_pack
from sqlalchemy import func, select

from records import accounts, packs
from records.db import Database
from records.packs import PackInstallError
from records.tables import Attempt, AuditEvent, InstalledPack, TrustedKey, User


@pytest.fixture
def admin(db: Database) -> User:
    return accounts.create_user(db, "admin", "Admin", "admin-pass-1", "admin")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path, Any]:
    return make_key(tmp_path / "keys")


@pytest.fixture
def trusted(db: Database, admin: User, keys: tuple[Path, Path, Any]) -> Path:
    from case_bank.signing import read_public_key

    packs.trust_key(db, admin, read_public_key(keys[1]))
    return keys[0]


def _snapshot(db: Database, data_dir: Path) -> tuple[Any, ...]:
    with db.session() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        rows = [(r.id, r.version, r.folder) for r in session.scalars(select(InstalledPack))]
    files = sorted(p.relative_to(data_dir).as_posix() for p in (data_dir / "packs").rglob("*"))
    return events, rows, files


def _events(db: Database, name: str) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.event == name)))


def test_trust_and_untrust_are_admin_only_and_audited(
    db: Database, admin: User, keys: tuple[Path, Path, Any]
) -> None:
    from case_bank.signing import read_public_key

    key = read_public_key(keys[1])
    learner = accounts.create_user(db, "wang", "Wang", "learner-pass", "learner", actor_id=admin.id)
    with pytest.raises(PackInstallError, match="administrator"):
        packs.trust_key(db, learner, key)
    packs.trust_key(db, admin, key)
    with pytest.raises(PackInstallError, match="already trusted"):
        packs.trust_key(db, admin, key)
    assert [k.fingerprint for k in packs.trusted_keys(db)] == [key.fingerprint]
    assert packs.is_trusted(db, key.fingerprint)
    packs.untrust_key(db, admin, key.fingerprint.replace(" ", ""))
    assert packs.trusted_keys(db) == []
    assert [e.subject for e in _events(db, "key_trusted")] == [key.fingerprint]
    assert [e.actor_id for e in _events(db, "key_untrusted")] == [admin.id]


def test_trusted_pack_installs_and_is_recorded(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    archive_path = signed_pack(tmp_path, trusted)
    row = packs.install_pack(db, data_dir, archive_path)
    assert (row.id, row.version, row.trusted, row.signer) == ("ecg-basics", 1, True, "trainer")
    assert row.title_en == "ECG AI basics"
    folders = packs.installed_pack_folders(db, data_dir)
    assert folders == [data_dir / "packs" / "ecg-basics-v1"]
    assert (folders[0] / "cases" / "ecg-af-001.yaml").is_file()
    assert not list((data_dir / "packs").glob(".staging-*"))
    [event] = _events(db, "pack_installed")
    assert event.subject == "ecg-basics" and event.detail["trusted"] is True
    from case_bank.pack import load_pack

    assert load_pack(folders[0]).valid


def test_untrusted_signature_is_refused_and_nothing_changes(
    db: Database, data_dir: Path, tmp_path: Path, admin: User, keys: tuple[Path, Path, Any]
) -> None:
    archive_path = signed_pack(tmp_path, keys[0])  # signed, but the key is not trusted
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError, match="not trusted"):
        packs.install_pack(db, data_dir, archive_path)
    assert _snapshot(db, data_dir) == before


def test_unsigned_pack_needs_an_administrator_and_is_audited(
    db: Database, data_dir: Path, tmp_path: Path, admin: User
) -> None:
    path = tmp_path / "unsigned.xypack"
    build(pack_folder(tmp_path / "src"), path)
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError, match="not signed"):
        packs.install_pack(db, data_dir, path)
    learner = accounts.create_user(db, "wang", "Wang", "learner-pass", "learner", actor_id=admin.id)
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError, match="administrator"):
        packs.install_pack(db, data_dir, path, actor=learner, allow_untrusted=True)
    assert _snapshot(db, data_dir) == before
    row = packs.install_pack(db, data_dir, path, actor=admin, allow_untrusted=True)
    assert row.trusted is False and row.installed_by == admin.id and row.signer is None
    [event] = _events(db, "pack_untrusted_allowed")
    assert event.actor_id == admin.id and event.detail["signed"] is False


def test_newer_version_replaces_older_and_attempts_keep_their_version(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path, admin: User
) -> None:
    packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted, version=1))
    with db.session() as session:
        session.add(
            Attempt(
                user_id=admin.id, pack_id="ecg-basics", pack_version=1, case_id="ecg-af-001",
                case_version=1, stage="decision",
            )
        )  # fmt: skip
    row = packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted, version=2))
    assert row.version == 2
    assert sorted(p.name for p in (data_dir / "packs").iterdir()) == ["ecg-basics-v2"]
    with db.session() as session:
        attempt = session.scalars(select(Attempt)).one()
        assert (attempt.pack_version, attempt.case_version) == (1, 1)
    assert _events(db, "pack_installed")[-1].detail["replaced"] == 1


def test_older_or_same_version_is_refused_unless_reinstalling(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted, version=2))
    older = signed_pack(tmp_path, trusted, version=1)
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError, match="not newer"):
        packs.install_pack(db, data_dir, older)
    same = signed_pack(tmp_path, trusted, version=2, name="again")
    with pytest.raises(PackInstallError, match="not newer"):
        packs.install_pack(db, data_dir, same)
    assert _snapshot(db, data_dir) == before
    row = packs.install_pack(db, data_dir, same, reinstall=True)
    assert row.version == 2
    assert sorted(p.name for p in (data_dir / "packs").iterdir()) == ["ecg-basics-v2"]


def test_file_changed_after_signing_is_refused(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    path = signed_pack(tmp_path, trusted)
    rewrite_member(path, "assets/ecg-af-001.csv", b"II\n0.0\n")
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError, match=r"assets/ecg-af-001\.csv"):
        packs.install_pack(db, data_dir, path)
    assert _snapshot(db, data_dir) == before
    found = packs.verify_archive(db, path)
    assert not found.intact and not found.ok


def test_changed_manifest_breaks_the_signature(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    path = signed_pack(tmp_path, trusted)
    import zipfile

    with zipfile.ZipFile(path) as zf:
        manifest = zf.read("manifest.json")
    rewrite_member(path, "manifest.json", manifest.replace(b'"version": 1', b'"version": 9'))
    with pytest.raises(PackInstallError, match="not valid"):
        packs.install_pack(db, data_dir, path)
    assert not packs.installed_packs(db)


def test_pack_needing_a_newer_app_is_refused(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    from case_bank.archive import build_archive

    path = tmp_path / "future.xypack"
    build_archive(pack_folder(tmp_path / "src", min_app="99.0"), path, "ecg-basics", 1)
    sign(path, trusted)
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError) as caught:
        packs.install_pack(db, data_dir, path)
    assert "99.0" in " ".join([str(caught.value), *caught.value.problems])
    assert _snapshot(db, data_dir) == before


def test_invalid_content_is_refused_with_its_problems(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    from case_bank.archive import build_archive

    folder = pack_folder(tmp_path / "src")
    (folder / "cases" / "ecg-af-001.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    path = tmp_path / "bad.xypack"
    build_archive(folder, path, "ecg-basics", 1)  # bypasses the build-time validation
    sign(path, trusted)
    before = _snapshot(db, data_dir)
    with pytest.raises(PackInstallError) as caught:
        packs.install_pack(db, data_dir, path)
    assert any("cases/ecg-af-001.yaml" in p for p in caught.value.problems)
    assert _snapshot(db, data_dir) == before


def test_failure_while_recording_rolls_the_folder_back(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted, version=1))
    before = _snapshot(db, data_dir)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(packs, "_record", broken)
    with pytest.raises(OSError, match="disk full"):
        packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted, version=2))
    assert _snapshot(db, data_dir) == before


def test_remove_is_admin_only_audited_and_removes_the_folder(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path, admin: User
) -> None:
    packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted))
    learner = accounts.create_user(db, "wang", "Wang", "learner-pass", "learner", actor_id=admin.id)
    with pytest.raises(PackInstallError, match="administrator"):
        packs.remove_pack(db, data_dir, learner, "ecg-basics")
    packs.remove_pack(db, data_dir, admin, "ecg-basics")
    assert packs.installed_packs(db) == []
    assert list((data_dir / "packs").iterdir()) == []
    assert packs.installed_pack_folders(db, data_dir) == []
    assert [e.actor_id for e in _events(db, "pack_removed")] == [admin.id]
    with pytest.raises(PackInstallError, match="No installed pack"):
        packs.remove_pack(db, data_dir, admin, "ecg-basics")
    with db.session() as session:  # the key stays trusted
        assert session.scalar(select(func.count()).select_from(TrustedKey)) == 1


def test_leftovers_of_an_interrupted_install_are_cleaned(
    db: Database, data_dir: Path, tmp_path: Path, trusted: Path
) -> None:
    import os

    old = data_dir / "packs" / ".staging-crashed"
    (old / "pack").mkdir(parents=True)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    recent = data_dir / "packs" / ".staging-running"
    recent.mkdir()
    packs.install_pack(db, data_dir, signed_pack(tmp_path, trusted))
    assert not old.exists() and recent.exists()
