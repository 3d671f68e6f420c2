"""Offline verification: every outcome, one changed byte or field, hostile input."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date
from pathlib import Path

import pytest
from credential_fixtures import PASSPHRASE, World, build_world, issue
from PIL import Image

from records.credentials import documents, issuer, issuing, revocation
from records.credentials.certificate_pdf import certificate_pdf, qr_image
from records.credentials.payload import decode_token, encode_token
from records.credentials.verify import (
    Outcome,
    recent_checks,
    verify_file,
    verify_input,
    verify_token,
)
from records.db import Database, open_database


@pytest.fixture
def world(db: Database, data_dir: Path) -> World:
    return build_world(db, data_dir)


def _token(world: World) -> tuple[str, str]:
    credential = issue(world)
    return credential.id, issuing.token_of(credential)


def test_valid_by_token_code_pdf_image_and_json(world: World, tmp_path: Path) -> None:
    credential = issue(world)
    token = issuing.token_of(credential)
    pdf, badge, png = tmp_path / "c.pdf", tmp_path / "c.json", tmp_path / "qr.png"
    documents.save_certificate_pdf(world.db, credential, pdf)
    documents.save_open_badge(credential, badge)
    image = qr_image(token, scale=4)
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)
    framed.paste(image, (40, 40))
    framed.save(png)
    for target in (token, credential.code.lower(), str(pdf), str(badge), str(png)):
        result = verify_input(world.db, target, checked_by=world.admin.id)
        assert result.outcome == Outcome.VALID, (target, result.problems)
        assert result.details["holder"] == "王建国"
        assert result.exit_code == 0 and result.message
    checks = recent_checks(world.db)
    assert len(checks) == 5 and {c.kind for c in checks} == {
        "token",
        "code",
        "pdf",
        "json",
        "image",
    }
    assert all(c.outcome == "valid" and c.credential_id == credential.id for c in checks)


def test_one_changed_byte_or_field_is_tampered(world: World) -> None:
    _id, token = _token(world)
    for i in (10, len(token) // 2, len(token) - 3):
        changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert verify_token(world.db, changed).outcome == Outcome.TAMPERED, i
    decoded = decode_token(token)
    for field, value in (("holder_name", "李四"), ("valid_until", date(2099, 1, 1))):
        forged = dataclasses.replace(decoded.payload, **{field: value})
        result = verify_token(world.db, encode_token(forged.canonical(), decoded.signature))
        assert result.outcome == Outcome.TAMPERED, field
        assert result.exit_code == 3


def test_changed_pdf_text_or_code_is_tampered(world: World, tmp_path: Path) -> None:
    credential = issue(world)
    view = documents.certificate_view(world.db, credential)
    forged_view = dataclasses.replace(
        view, payload=dataclasses.replace(view.payload, holder_name="李四")
    )
    forged = tmp_path / "forged.pdf"
    certificate_pdf(forged_view, forged)  # printed name changed, signed QR kept
    result = verify_file(world.db, forged)
    assert result.outcome == Outcome.TAMPERED
    assert any("name" in p for p in result.problems)
    level_view = dataclasses.replace(
        view,
        payload=dataclasses.replace(
            view.payload, levels={**view.payload.levels, "evidence_evaluation": "proficient"}
        ),
    )
    certificate_pdf(level_view, forged)
    assert verify_file(world.db, forged).outcome == Outcome.TAMPERED
    # One byte of the stored code (document information) changed: two codes disagree.
    original = tmp_path / "c.pdf"
    documents.save_certificate_pdf(world.db, credential, original)
    data = original.read_bytes()
    start = data.index(b"XY1:") + 20
    flipped = data[:start] + (b"Q" if data[start : start + 1] != b"Q" else b"R") + data[start + 1 :]
    (tmp_path / "flipped.pdf").write_bytes(flipped)
    assert verify_file(world.db, tmp_path / "flipped.pdf").outcome == Outcome.TAMPERED


def test_changed_json_is_tampered(world: World, tmp_path: Path) -> None:
    doc = json.loads(documents.open_badge_bytes(issue(world)))
    for change in (
        lambda d: d.__setitem__("validUntil", "2099-12-31T23:59:59Z"),
        lambda d: d["credentialSubject"]["identifier"][0].__setitem__("identityHash", "李四"),
        lambda d: d["credentialSubject"]["result"][0].__setitem__("achievedLevel", "x"),
        lambda d: d["proof"].__setitem__("proofValue", d["proof"]["proofValue"][:-2] + "11"),
    ):
        copy = json.loads(json.dumps(doc))
        change(copy)
        path = tmp_path / "changed.json"
        path.write_text(json.dumps(copy, ensure_ascii=False))
        assert verify_file(world.db, path).outcome == Outcome.TAMPERED


def test_expired(world: World) -> None:
    _id, token = _token(world)
    assert verify_token(world.db, token, today=date(2028, 6, 1)).outcome == Outcome.VALID
    result = verify_token(world.db, token, today=date(2028, 6, 2))
    assert result.outcome == Outcome.EXPIRED and result.exit_code == 5


def test_revoked_and_the_list_travels_to_another_pc(world: World, tmp_path: Path) -> None:
    credential_id, token = _token(world)
    with pytest.raises(revocation.RevocationError):
        revocation.revoke(world.db, world.doctor, credential_id, "x", world.key)
    with pytest.raises(revocation.RevocationError):
        revocation.revoke(world.db, world.admin, credential_id, "x", None)
    revocation.revoke(world.db, world.admin, credential_id, "Obtained by fraud", world.key)
    result = verify_token(world.db, token)
    assert result.outcome == Outcome.REVOKED and "fraud" in result.problems[0]
    listing = tmp_path / "revocations.json"
    assert revocation.export_list(world.db, listing) == 1
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = open_database(other_dir)
    try:
        from records import accounts

        admin = accounts.create_user(other, "admin", "李主任", "password-123", "admin")
        public = issuer.issuer_public_key(world.data_dir)
        assert public is not None
        assert verify_token(other, token).outcome == Outcome.UNKNOWN_ISSUER
        issuer.trust_issuer(other, admin, public)
        assert verify_token(other, token).outcome == Outcome.VALID
        first = revocation.import_list(other, listing)
        again = revocation.import_list(other, listing)
        assert (first.added, again.added, again.known) == (1, 0, 1)
        assert verify_token(other, token).outcome == Outcome.REVOKED
        doc = json.loads(listing.read_text())
        doc["revocations"][0]["reason"] = "edited"
        doc["revocations"][0]["credential_id"] = "0" * 32
        assert revocation.merge_list(other, doc).rejected == 1
    finally:
        other.close()


def test_unknown_issuer_and_untrusting(world: World) -> None:
    _id, token = _token(world)
    issuer.untrust_issuer(world.db, world.admin, world.key.fingerprint)
    result = verify_token(world.db, token)
    assert result.outcome == Outcome.UNKNOWN_ISSUER and result.exit_code == 4
    assert issuer.unlock(world.data_dir, PASSPHRASE).fingerprint == world.key.fingerprint


def test_not_found_code(world: World) -> None:
    result = verify_input(world.db, "ZZZZ-ZZZZ-ZZ")
    assert result.outcome == Outcome.NOT_FOUND and result.exit_code == 7


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.bin", b"\x00\xff" * 500),
        ("fake.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100),
        ("wrong.json", b'{"proof": 5, "issuer": []}'),
        ("list.json", b"[1, 2, 3]"),
        ("types.json", b'{"proof": {"type": 1}, "issuer": {"id": 3}}'),
        ("deep.json", b"[" * 100_000),
        ("bad.json", b"{not json"),
        ("token.txt", b"XY1:%%%%"),
        ("empty.png", b""),
    ],
)
def test_hostile_input_gives_a_clear_message(
    world: World, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = verify_file(world.db, path)
    assert result.outcome in (Outcome.UNREADABLE, Outcome.TAMPERED)
    assert result.message and result.problems and all(result.problems)
    assert result.exit_code in (1, 3)


def test_image_without_qr_and_huge_files(world: World, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "PNG")
    (tmp_path / "blank.png").write_bytes(buffer.getvalue())
    assert verify_file(world.db, tmp_path / "blank.png").outcome == Outcome.UNREADABLE
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(30_000_000)  # sparse: no real disk use
    result = verify_file(world.db, huge)
    assert result.outcome == Outcome.UNREADABLE and "large" in result.problems[0]
    assert verify_file(world.db, tmp_path / "missing.pdf").outcome == Outcome.UNREADABLE


def test_messages_are_translated(world: World, zh_cn: None) -> None:
    from xiangyi.i18n import translate_to

    result = verify_input(world.db, "garbage-that-is-not-a-code")
    assert result.message == translate_to("zh_CN", str(result.message_id))


def test_revocations_travel_inside_installed_packs(world: World, tmp_path: Path) -> None:
    from records.tables import InstalledPack

    credential_id, token = _token(world)
    revocation.revoke(world.db, world.admin, credential_id, "Issued in error", world.key)
    listing = revocation.revocation_list(world.db)
    with world.db.session() as session:  # forget it locally, as on another PC
        from records.tables import Credential, Revocation

        session.delete(session.get(Revocation, credential_id))
        session.get(Credential, credential_id).status = issuing.VALID  # type: ignore[union-attr]
    assert verify_token(world.db, token).outcome == Outcome.VALID
    folder = world.data_dir / "packs" / "county-notices-v1"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text("id: county-notices\n")
    (folder / revocation.LIST_FILE).write_text(json.dumps(listing), encoding="utf-8")
    with world.db.session() as session:
        session.add(
            InstalledPack(
                id="county-notices",
                version=1,
                title_zh="通知",
                title_en="Notices",
                folder=folder.name,
                manifest_sha256="0" * 64,
            )
        )
    merged = revocation.import_from_packs(world.db, world.data_dir)
    assert merged.added == 1
    assert verify_token(world.db, token).outcome == Outcome.REVOKED
