"""What the certificate screens list and the administrator-only actions behind them."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from credential_fixtures import PASSPHRASE, World, build_world, issue, make_doctor, passed_exam
from sqlalchemy import select

from records.credentials import issuer, issuing, registry, revocation
from records.credentials.issuing import IssueError
from records.credentials.verify import verify_code
from records.db import Database, open_database
from records.tables import AuditEvent


@pytest.fixture
def world(db: Database, data_dir: Path) -> World:
    return build_world(db, data_dir)


def _events(world: World) -> list[str]:
    with world.db.session() as session:
        return [e.event for e in session.scalars(select(AuditEvent))]


def test_my_certificates_status_and_expiry_reminder(world: World) -> None:
    first = issue(world)
    renewed = issuing.renew(world.db, world.admin, first.id, levels={}, signer=world.key)
    other = issue(world, make_doctor(world, "li", "李医生"))
    pending = issuing.issue_for_exam(
        world.db, passed_exam(world.db, make_doctor(world, "zhao", "赵医生")), levels={}
    )
    rows = registry.my_certificates(world.db, world.doctor, today=renewed.valid_from)
    assert [r.credential.id for r in rows] == [renewed.id, first.id]  # newest first, own only
    assert [r.status for r in rows] == ["valid", "replaced"]
    assert rows[0].saveable and rows[0].renewable and not rows[0].remind
    assert other.id not in {r.credential.id for r in rows}
    soon = registry.my_certificates(
        world.db, world.doctor, today=date.fromordinal(renewed.valid_until.toordinal() - 30)
    )[0]
    assert soon.remind and soon.days_left == 30
    late = registry.row_of(renewed, date.fromordinal(renewed.valid_until.toordinal() + 1))
    assert late.status == "expired" and not late.remind and late.days_left == -1
    waiting = registry.row_of(pending)
    assert waiting.status == "pending" and not waiting.signed and not waiting.saveable


def test_search_by_name_code_institution_and_status(world: World) -> None:
    wang = issue(world)
    li = issue(world, make_doctor(world, "li", "李医生", "999"))
    revocation.revoke(world.db, world.admin, li.id, "信息有误", world.key)
    everyone = registry.search(world.db, world.admin)
    assert {r.credential.id for r in everyone} == {wang.id, li.id}
    assert [r.credential.id for r in registry.search(world.db, world.admin, text="王建")] == [
        wang.id
    ]
    code = registry.row_of(li).code.lower()  # typed in lower case, with dashes
    assert [r.credential.id for r in registry.search(world.db, world.admin, text=code)] == [li.id]
    assert [r.credential.id for r in registry.search(world.db, world.admin, text="999")] == [li.id]
    assert len(registry.search(world.db, world.admin, text="红星乡")) == 2
    revoked = registry.search(world.db, world.admin, status="revoked")
    assert [r.credential.id for r in revoked] == [li.id]
    assert registry.search(world.db, world.admin, institution_id="nowhere") == []


def test_learners_are_refused_every_administrator_action(world: World, tmp_path: Path) -> None:
    issue(world)
    pending = issuing.issue_for_exam(world.db, passed_exam(world.db, world.doctor), levels={})
    assert not registry.can_manage(world.doctor) and registry.can_manage(world.admin)
    target = tmp_path / "all.zip"
    for action in (
        lambda: registry.search(world.db, world.doctor),
        lambda: registry.sign_all(world.db, world.doctor, world.key),
        lambda: registry.export_cohort(world.db, world.doctor, None, target),
        lambda: registry.trust_file(world.db, world.doctor, tmp_path / "k.json"),
        lambda: registry.import_revocations(world.db, world.doctor, tmp_path / "r.json"),
        lambda: registry.verification_log(world.db, world.doctor),
        lambda: registry.create_key(world.db, tmp_path, world.doctor, "x", "", PASSPHRASE),
        lambda: registry.search(world.db, None),
    ):
        with pytest.raises(IssueError, match="Only an administrator"):
            action()
    assert not target.exists()
    assert issuing.get(world.db, pending.id).status == "pending"  # type: ignore[union-attr]


def test_sign_all_and_export_cohort_are_audited(world: World, tmp_path: Path) -> None:
    issuing.issue_for_exam(world.db, passed_exam(world.db, world.doctor), levels={})
    assert registry.pending_count(world.db) == 1
    signed = registry.sign_all(world.db, world.admin, world.key)
    assert [c.status for c in signed] == ["valid"] and registry.pending_count(world.db) == 0
    target = tmp_path / "cohort.zip"
    result = registry.export_cohort(world.db, world.admin, world.institution_id, target)
    assert result.written == 1 and zipfile.ZipFile(target).namelist()
    cancelled = registry.export_cohort(
        world.db, world.admin, None, tmp_path / "no.zip", cancel=lambda: True
    )
    assert cancelled.cancelled and not (tmp_path / "no.zip").exists()
    events = _events(world)
    assert events.count("certificates_exported") == 1 and "credential_issued" in events


def test_key_created_exported_and_trusted_elsewhere(world: World, tmp_path: Path) -> None:
    other_dir = tmp_path / "county"
    other_dir.mkdir()
    other = open_database(other_dir)
    try:
        from records import accounts

        admin = accounts.create_user(other, "boss", "县管理员", "password-123", "admin")
        key = registry.create_key(other, other_dir, admin, "县卫健委", "County HC", PASSPHRASE)
        assert registry.is_own_key(other_dir, key.fingerprint)
        public = registry.export_public_key(other_dir, tmp_path / "county.public.json")
        row = registry.trust_file(world.db, world.admin, public)
        assert row.fingerprint == key.fingerprint
        assert not registry.is_own_key(world.data_dir, key.fingerprint)
        with pytest.raises(issuer.IssuerError, match="already trusted"):
            registry.trust_file(world.db, world.admin, public)
        (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
        with pytest.raises(issuer.IssuerError):
            registry.trust_file(world.db, world.admin, tmp_path / "bad.json")
        with pytest.raises(issuer.IssuerError):
            registry.export_public_key(tmp_path / "empty", tmp_path / "x.json")
    finally:
        other.close()


def test_import_revocations_and_verification_log(world: World, tmp_path: Path) -> None:
    credential = issue(world)
    revocation.revoke(world.db, world.admin, credential.id, "证书信息有误", world.key)
    listing = tmp_path / "revocations.json"
    revocation.export_list(world.db, listing)
    merged = registry.import_revocations(world.db, world.admin, listing)
    assert merged.known == 1 and merged.added == 0
    result = verify_code(world.db, credential.code, checked_by=world.admin.id)
    assert result.outcome == "revoked"
    assert result.details["issuer_fingerprint"] == world.key.fingerprint
    log = registry.verification_log(world.db, world.admin)
    assert log[0].outcome == "revoked" and log[0].checked_by == world.admin.id
