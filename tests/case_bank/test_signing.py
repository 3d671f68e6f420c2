"""Ed25519 keys and pack signatures, checked also by independent calls to cryptography."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pack_fixtures import PASSPHRASE, build, make_key, pack_folder, sign

from case_bank import archive, signing
from case_bank.signing import SigningError


def test_new_key_pair_is_encrypted_and_fingerprinted(tmp_path: Path) -> None:
    private, public, key = make_key(tmp_path / "keys")
    assert private.name == "trainer.private.pem"
    assert public.name == "trainer.public.json"
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    if sys.platform != "win32":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    with pytest.raises(TypeError):  # unusable without the passphrase
        serialization.load_pem_private_key(private.read_bytes(), None)
    doc = json.loads(public.read_text(encoding="utf-8"))
    raw = base64.b64decode(doc["public_key"])
    assert doc["algorithm"] == "Ed25519" and doc["name"] == "trainer"
    assert doc["fingerprint"] == key.fingerprint
    assert re.fullmatch(r"([0-9A-F]{4} ){15}[0-9A-F]{4}", key.fingerprint)
    assert key.fingerprint.replace(" ", "") == hashlib.sha256(raw).hexdigest().upper()
    assert signing.read_public_key(public) == key


def test_short_passphrase_and_bad_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="at least 10"):
        signing.generate_key("trainer", tmp_path, "short")
    with pytest.raises(SigningError, match="at least 10"):
        signing.generate_key("trainer", tmp_path, "")
    with pytest.raises(SigningError, match="key name"):
        signing.generate_key("../evil", tmp_path, PASSPHRASE)
    assert list(tmp_path.iterdir()) == []


def test_existing_key_files_are_never_overwritten(tmp_path: Path) -> None:
    private, _public, _key = make_key(tmp_path)
    before = private.read_bytes()
    with pytest.raises(SigningError, match="already exists"):
        make_key(tmp_path)
    assert private.read_bytes() == before


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    private, _public, _key = make_key(tmp_path)
    with pytest.raises(SigningError, match="Wrong passphrase"):
        signing.load_private_key(private, "not the passphrase")


def test_signature_verifies_independently(tmp_path: Path) -> None:
    private, _public, key = make_key(tmp_path / "keys")
    path = tmp_path / "p.xypack"
    build(pack_folder(tmp_path / "src"), path)
    sign(path, private)
    found = archive.read_archive(path)
    assert found.signature is not None
    doc = json.loads(found.signature)
    assert doc["algorithm"] == "Ed25519"
    assert doc["signer"] == "trainer"
    assert doc["fingerprint"] == key.fingerprint
    # Independent check: cryptography directly, over the exact manifest bytes.
    Ed25519PublicKey.from_public_bytes(key.raw).verify(
        base64.b64decode(doc["signature"]), found.manifest.raw
    )
    checked = signing.check_signature(found.manifest.raw, found.signature)
    assert checked.fingerprint == key.fingerprint and checked.signer == "trainer"


def test_signature_over_a_changed_manifest_fails(tmp_path: Path) -> None:
    private, _public, _key = make_key(tmp_path)
    key = signing.load_private_key(private, PASSPHRASE)
    manifest = b'{"files": []}\n'
    signature = signing.sign_manifest(manifest, key, "trainer")
    with pytest.raises(SigningError, match="changed after it was signed"):
        signing.check_signature(manifest.replace(b"[]", b"[ ]"), signature)
    with pytest.raises(SigningError, match="damaged"):
        signing.check_signature(manifest, b"{not json")
    forged = json.loads(signature)
    forged["public_key"] = base64.b64encode(b"\x01" * 31).decode()
    with pytest.raises(SigningError, match="damaged"):
        signing.check_signature(manifest, json.dumps(forged).encode())


def test_public_key_file_with_a_wrong_fingerprint_is_refused(tmp_path: Path) -> None:
    _private, public, _key = make_key(tmp_path)
    doc = json.loads(public.read_text(encoding="utf-8"))
    doc["fingerprint"] = "0000 " * 15 + "0000"
    public.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SigningError, match="does not match"):
        signing.read_public_key(public)
    public.write_text("not json", encoding="utf-8")
    with pytest.raises(SigningError, match="not a Xiangyi public key"):
        signing.read_public_key(public)


def test_fingerprints_are_accepted_in_any_spacing(tmp_path: Path) -> None:
    _private, _public, key = make_key(tmp_path)
    compact = key.fingerprint.replace(" ", "").lower()
    assert signing.normalise_fingerprint(compact) == key.fingerprint
    with pytest.raises(SigningError, match="not a key fingerprint"):
        signing.normalise_fingerprint("3F2A 9C")
