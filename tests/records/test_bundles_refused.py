"""A tampered, foreign, malformed, hostile or unreadable bundle is refused with a message
naming the problem, and the hub's records do not change at all."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_fixtures import Clinic, dump, fill, make_clinic, make_hub
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from records.bundles import (
    BundleRefused,
    create_county_key,
    export_bundle,
    import_bundle,
    load_county_private_key,
    read_county_public_key,
)
from records.bundles.archive import MANIFEST, SIGNATURE, MemberWriter
from records.db import Database

Members = dict[str, bytes]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Clinic, Database, Path]:
    """One clinic, its bundle and a hub, shared: every test here leaves the hub as it was
    (that is what it checks)."""
    tmp_path = tmp_path_factory.mktemp("bundles")
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    fill(clinic, attempts=2)
    path = tmp_path / "good.xybundle"
    export_bundle(clinic.db, path, signer=clinic.key)
    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    return clinic, hub, path


def _refused(hub: Database, path: Path, *words: str, **keys: object) -> str:
    before = dump(hub)
    with pytest.raises(BundleRefused) as caught:
        import_bundle(hub, path, **keys)  # type: ignore[arg-type]
    message = str(caught.value)
    assert path.name in message and "Nothing was changed" in message
    for word in words:
        assert word in message, message
    assert dump(hub) == before
    return message


def _rebuild(source: Path, target: Path, key: Ed25519PrivateKey, fingerprint: str,
             change: Callable[[Members], Members]) -> Path:  # fmt: skip
    """The bundle re-signed by ``key`` after ``change`` edited its members."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        members = {n: archive.read(n) for n in archive.namelist() if n not in (MANIFEST, SIGNATURE)}
    manifest.pop("members")
    with target.open("wb") as handle:
        writer = MemberWriter(handle)
        for name, content in change(members).items():
            writer.add(name, [content])
        writer.finish(manifest, key, fingerprint)
    return target


def _resigned(clinic: Clinic, source: Path, change: Callable[[Members], Members]) -> Path:
    target = source.with_name("edited.xybundle")
    return _rebuild(source, target, clinic.key.private, clinic.key.fingerprint, change)


def test_one_changed_byte_is_refused(world: tuple[Clinic, Database, Path]) -> None:
    _clinic, hub, path = world
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    bad = path.with_name("flipped.xybundle")
    bad.write_bytes(bytes(data))
    _refused(hub, bad)


def test_a_member_replaced_after_signing_is_refused(world: tuple[Clinic, Database, Path]) -> None:
    _clinic, hub, path = world
    bad = path.with_name("replaced.xybundle")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "attempts.jsonl":
                content = content.replace(b'"completed"', b'"abandoned"')
            target.writestr(name, content)
    _refused(hub, bad, "attempts.jsonl", "changed after the bundle was signed")


def test_a_changed_manifest_breaks_the_signature(world: tuple[Clinic, Database, Path]) -> None:
    _clinic, hub, path = world
    bad = path.with_name("manifest.xybundle")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == MANIFEST:
                content = content.replace(b'"format"', b'"format" ', 1)
            target.writestr(name, content)
    _refused(hub, bad, "signature does not match")


def test_a_bundle_signed_by_an_unknown_key_is_foreign(world: tuple[Clinic, Database, Path]) -> None:
    clinic, hub, path = world
    stranger = Ed25519PrivateKey.generate()
    bad = _rebuild(path, path.with_name("foreign.xybundle"), stranger, "ABCD " * 15 + "ABCD",
                   lambda members: members)  # fmt: skip
    _refused(hub, bad, "does not trust", clinic.key.name)


def test_truncated_and_non_bundles_are_refused(world: tuple[Clinic, Database, Path]) -> None:
    _clinic, hub, path = world
    cut = path.with_name("cut.xybundle")
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _refused(hub, cut, "damaged or incomplete")
    text = path.with_name("notes.xybundle")
    text.write_text("这不是记录包", encoding="utf-8")
    _refused(hub, text, "not a Xiangyi record bundle")
    _refused(hub, path.with_name("missing.xybundle"), "cannot be read")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b'{"id": 5}', ("attempts.jsonl", "line 1")),
        (b"[1, 2, 3]", ("a record must be a JSON object",)),
        (b"{not json", ("not valid JSON",)),
    ],
)
def test_rows_of_the_wrong_shape_are_refused(
    world: tuple[Clinic, Database, Path], line: bytes, words: tuple[str, ...]
) -> None:
    clinic, hub, path = world

    def change(members: Members) -> Members:
        members["attempts.jsonl"] = line + b"\n" + members["attempts.jsonl"]
        return members

    _refused(hub, _resigned(clinic, path, change), *words)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("pack_version", "1", "whole number"),
        ("pack_version", True, "whole number"),
        ("answers", "text", "object or a list"),
        ("completed_at", "yesterday", "date and time"),
        ("case_id", "x" * 65, "longer than 64"),
        ("user_id", None, "text expected"),
    ],
)
def test_values_of_the_wrong_type_are_refused(
    world: tuple[Clinic, Database, Path], field: str, value: object, problem: str
) -> None:
    clinic, hub, path = world

    def change(members: Members) -> Members:
        first, rest = members["attempts.jsonl"].split(b"\n", 1)
        row = json.loads(first)
        row[field] = value
        members["attempts.jsonl"] = json.dumps(row).encode() + b"\n" + rest
        return members

    _refused(hub, _resigned(clinic, path, change), f"field '{field}'", problem)


def test_a_broken_exam_chain_is_refused(world: tuple[Clinic, Database, Path]) -> None:
    clinic, hub, path = world

    def change(members: Members) -> Members:
        members["exam_events.jsonl"] = members["exam_events.jsonl"].replace(b'"n": 1', b'"n": 9')
        return members

    _refused(hub, _resigned(clinic, path, change), "hash chain")


def test_a_record_of_an_unknown_person_is_refused(world: tuple[Clinic, Database, Path]) -> None:
    clinic, hub, path = world

    def change(members: Members) -> Members:
        members["attempts.jsonl"] = members["attempts.jsonl"].replace(
            clinic.doctors[0].id.encode(), b"f" * 32
        )
        return members

    _refused(hub, _resigned(clinic, path, change), "neither in it nor here", "f" * 32)


def test_hostile_zip_entries_are_refused(world: tuple[Clinic, Database, Path]) -> None:
    clinic, hub, path = world
    for name in ("../../etc/cron.d/evil", "/abs.jsonl", "data/attempts.jsonl", "x.exe"):

        def change(members: Members, name: str = name) -> Members:
            return {**members, name: b"{}"}

        _refused(hub, _resigned(clinic, path, change), "unexpected file")


def test_a_member_claiming_to_be_huge_is_refused_before_reading(
    world: tuple[Clinic, Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from records.bundles import archive

    clinic, hub, path = world
    # A 2 MB member of zeros compresses to a few kilobytes: a small zip bomb.
    bomb = _resigned(clinic, path, lambda m: {**m, "attempts.jsonl": b"\0" * 2_000_000})
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1_000_000)
    _refused(hub, bomb, "too large")


def test_an_encrypted_bundle_needs_the_county_key(tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    fill(clinic, attempts=1)
    county = create_county_key(tmp_path / "county", "青山县", "county passphrase 1")
    shared = read_county_public_key(tmp_path / "county" / "county" / "county.public.json")
    assert shared == county
    sealed = tmp_path / "sealed.xybundle"
    export_bundle(clinic.db, sealed, signer=clinic.key, county_public_key=shared)
    assert b"attempts.jsonl" not in sealed.read_bytes()  # nothing readable on the stick
    hub, _admin = make_hub(tmp_path / "hub", [clinic])
    _refused(hub, sealed, "encrypted", "private key")
    _refused(hub, sealed, "another key", county_private_key=X25519PrivateKey.generate())
    private = load_county_private_key(
        tmp_path / "county" / "county" / "county.private.pem", "county passphrase 1"
    )
    flipped = bytearray(sealed.read_bytes())
    flipped[-10] ^= 0x40
    tampered = tmp_path / "tampered.xybundle"
    tampered.write_bytes(bytes(flipped))
    _refused(hub, tampered, "changed or cut short", county_private_key=private)
    report = import_bundle(hub, sealed, county_private_key=private)
    assert report.added["attempts"] == 1


def test_a_wrong_county_passphrase_is_refused(tmp_path: Path) -> None:
    from records.bundles import SealError

    create_county_key(tmp_path, "青山县", "county passphrase 1")
    with pytest.raises(SealError, match="Wrong passphrase"):
        load_county_private_key(tmp_path / "county" / "county.private.pem", "wrong passphrase")
    with pytest.raises(SealError, match="already has a county key"):
        create_county_key(tmp_path, "青山县", "county passphrase 1")
    with pytest.raises(SealError, match="not a county encryption key"):
        read_county_public_key(tmp_path / "county" / "county.private.pem")
