"""Issuing: pending until signed, idempotent per exam attempt, re-certification, cohorts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from credential_fixtures import LEVELS, World, build_world, issue, make_doctor, passed_exam

from records.audit import recent
from records.credentials import issuer, issuing
from records.credentials.encoding import b45decode, b45encode, format_code, normalise_code
from records.db import Database


@pytest.fixture
def world(db: Database, data_dir: Path) -> World:
    return build_world(db, data_dir)


def test_passed_exam_gives_a_pending_credential_then_signed_once(world: World) -> None:
    attempt = passed_exam(world.db, world.doctor)
    pending = issuing.issue_for_exam(world.db, attempt, levels=LEVELS)
    assert pending.status == issuing.PENDING and pending.signature is None
    again = issuing.issue_for_exam(world.db, attempt, levels=LEVELS)
    assert again.id == pending.id  # idempotent per exam attempt
    signed = issuing.sign_pending(world.db, world.key, actor_id=world.admin.id)
    assert [c.id for c in signed] == [pending.id]
    row = issuing.get(world.db, pending.id)
    assert row is not None and row.status == issuing.VALID
    assert row.valid_from == date(2025, 6, 2) and row.valid_until == date(2028, 6, 1)
    assert row.holder_name == "王建国" and row.institution_name == "红星乡卫生院"
    assert row.issuer_fingerprint == world.key.fingerprint
    assert len(row.id) == 32 and normalise_code(format_code(row.code)) == row.code
    with world.db.session() as session:
        events = {e.event for e in recent(session)}
    assert {"credential_pending", "credential_issued", "issuer_key_created"} <= events


def test_only_a_passed_certifying_exam_leads_to_a_certificate(world: World) -> None:
    from records.tables import ExamAttempt

    with world.db.session() as session:
        failed = ExamAttempt(
            user_id=world.doctor.id, blueprint_id="certification", passed=False, case_ids=[]
        )
        check = ExamAttempt(
            user_id=world.doctor.id,
            blueprint_id="ecg-module-check",
            passed=True,
            case_ids=[],
            submitted_at=datetime.now(UTC),
        )
        session.add_all([failed, check])
    for attempt_id in (failed.id, check.id):
        with pytest.raises(issuing.IssueError):
            issuing.issue_for_exam(world.db, attempt_id, levels=LEVELS)


def test_recertification_replaces_the_live_credential(world: World) -> None:
    first = issue(world)
    second = issue(world, when=datetime(2027, 5, 1, tzinfo=UTC))
    old = issuing.get(world.db, first.id)
    assert old is not None and old.status == issuing.REPLACED and old.replaced_by == second.id
    renewed = issuing.renew(world.db, world.admin, second.id, levels=LEVELS, signer=world.key)
    assert issuing.status_of(issuing.get(world.db, second.id)) == issuing.REPLACED  # type: ignore[arg-type]
    assert renewed.status == issuing.VALID and renewed.valid_from == date.today()


def test_validity_years_setting_and_leap_day(world: World) -> None:
    issuing.set_validity_years(world.db, 5)
    credential = issue(world)
    assert credential.valid_until == date(2030, 6, 1)
    assert issuing.valid_until(date(2024, 2, 29), 3) == date(2027, 2, 27)
    with pytest.raises(issuing.IssueError):
        issuing.set_validity_years(world.db, 0)


def test_bulk_issue_for_an_institution(world: World) -> None:
    others = [make_doctor(world, f"doc{i}", f"李医生{i}", f"1414{i:011d}") for i in range(3)]
    for user in [world.doctor, *others]:
        passed_exam(world.db, user)
    issue(world, others[0])  # already holds one
    done: list[tuple[int, int]] = []
    # Levels come from the evidence; with no cases the doctors are "not yet competent".
    result = issuing.bulk_issue(
        world.db,
        world.admin,
        world.institution_id,
        cases={},
        signer=world.key,
        progress=lambda n, total: done.append((n, total)),
    )
    assert len(result.issued) == 3 and done[-1] == (3, 3)
    assert {c.user_id for c in result.issued} == {world.doctor.id, others[1].id, others[2].id}
    again = issuing.bulk_issue(world.db, world.admin, world.institution_id, cases={})
    assert again.issued == []
    with pytest.raises(issuing.IssueError):
        issuing.bulk_issue(world.db, world.doctor, world.institution_id, cases={})


def test_issuer_key_needs_an_administrator_and_a_passphrase(world: World, tmp_path: Path) -> None:
    with pytest.raises(issuer.IssuerError):
        issuer.create_issuer_key(world.db, tmp_path, world.doctor, "x", "long enough pass")
    with pytest.raises(issuer.IssuerError):
        issuer.create_issuer_key(world.db, world.data_dir, world.admin, "again", "long enough")
    with pytest.raises(issuer.IssuerError):
        issuer.unlock(world.data_dir, "the wrong passphrase")
    private = issuer.key_files(world.data_dir)[0]
    assert b"ENCRYPTED" in private.read_bytes()
    assert issuer.issuer_public_key(world.data_dir).fingerprint == world.key.fingerprint  # type: ignore[union-attr]


def test_codes_and_base45() -> None:
    assert normalise_code("xy7k 3m9q-2p") == "XY7K3M9Q2P"
    assert normalise_code("O1IL-0000-00") == "0111000000"
    assert normalise_code("too short") is None
    for data in (b"", b"\x00", b"ab", b"\xff\xff\xff", bytes(range(256))):
        assert b45decode(b45encode(data)) == data
    assert b45encode(b"AB") == "BB8"  # RFC 9285 example
    with pytest.raises(ValueError):
        b45decode("GGW")  # 65535 < value
