"""Ed25519 keys and pack signatures.

A trainer's key pair is two files: ``NAME.private.pem`` (PKCS#8, encrypted with a
passphrase) and ``NAME.public.json`` (name, raw public key, fingerprint). A
signature covers the exact bytes of a pack's ``manifest.json``, which in turn
lists the SHA-256 of every file, so one signature vouches for the whole pack.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from xiangyi.i18n import _

ALGORITHM = "Ed25519"
SIGNATURE_FORMAT = 1
MIN_PASSPHRASE = 10
PRIVATE_SUFFIX = ".private.pem"
PUBLIC_SUFFIX = ".public.json"
MAX_KEY_FILE = 64_000
KEY_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$")


class SigningError(Exception):
    """A key or signature problem; ``str()`` is a translated, actionable message."""


@dataclass(frozen=True)
class PublicKey:
    """A named public key; ``raw`` is the 32-byte Ed25519 key."""

    name: str
    raw: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def raw_b64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")


@dataclass(frozen=True)
class Signature:
    """A checked signature: who signed (by their own claim) and with which key."""

    signer: str
    key: PublicKey

    @property
    def fingerprint(self) -> str:
        return self.key.fingerprint


def fingerprint(raw: bytes) -> str:
    """SHA-256 of the raw public key as grouped upper-case hex: ``3F2A 9C1B …``."""
    digest = hashlib.sha256(raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint typed with or without spaces or colons, any case."""
    compact = re.sub(r"[\s:]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{64}", compact):
        raise SigningError(
            _("'{text}' is not a key fingerprint (64 hexadecimal digits).").format(text=text)
        )
    return " ".join(compact[i : i + 4] for i in range(0, 64, 4))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise SigningError(
            _("The passphrase must have at least {n} characters.").format(n=MIN_PASSPHRASE)
        )


def check_key_name(name: str) -> None:
    if not KEY_NAME_RE.match(name):
        raise SigningError(
            _("The key name must be 1–64 letters, digits, Chinese characters, '.', '-' or '_'.")
        )


def key_paths(name: str, folder: Path) -> tuple[Path, Path]:
    return folder / f"{name}{PRIVATE_SUFFIX}", folder / f"{name}{PUBLIC_SUFFIX}"


def public_key_document(key: PublicKey) -> bytes:
    doc = {
        "algorithm": ALGORITHM,
        "name": key.name,
        "public_key": key.raw_b64,
        "fingerprint": key.fingerprint,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def generate_key(name: str, folder: Path, passphrase: str) -> tuple[Path, Path, PublicKey]:
    """Create ``NAME.private.pem`` (encrypted) and ``NAME.public.json`` in ``folder``."""
    check_key_name(name)
    check_passphrase(passphrase)
    private_path, public_path = key_paths(name, folder)
    for path in (private_path, public_path):
        if path.exists():
            raise SigningError(
                _("{path} already exists; choose another name or folder.").format(path=path)
            )
    folder.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    public = PublicKey(name, raw)
    # The private key is readable by its owner only (where the system supports it).
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(public_key_document(public))
    return private_path, public_path, public


def signer_name(private_path: Path) -> str:
    """The key's name: from the public file beside it, else from the file name."""
    name = private_path.name
    stem = name[: -len(PRIVATE_SUFFIX)] if name.endswith(PRIVATE_SUFFIX) else private_path.stem
    public_path = private_path.with_name(f"{stem}{PUBLIC_SUFFIX}")
    if public_path.is_file():
        try:
            return read_public_key(public_path).name
        except SigningError:
            pass
    return stem


def load_private_key(path: Path, passphrase: str) -> Ed25519PrivateKey:
    try:
        data = Path(path).read_bytes()[: MAX_KEY_FILE + 1]
    except OSError as exc:
        raise SigningError(_("The key file {path} cannot be read.").format(path=path)) from exc
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode() or None)
    except TypeError as exc:  # an unencrypted key, or a passphrase for none
        raise SigningError(
            _("The key file {path} is not protected by a passphrase as expected.").format(path=path)
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningError(
            _("Wrong passphrase, or {path} is not a private key file.").format(path=path)
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(_("{path} is not an Ed25519 key.").format(path=path))
    return key


def _raw_public(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("public_key")
    raw = base64.b64decode(value, validate=True)
    Ed25519PublicKey.from_public_bytes(raw)  # raises ValueError unless 32 valid bytes
    return raw


def read_public_key(path: Path) -> PublicKey:
    """Read a ``NAME.public.json`` file; its fingerprint must match the key."""
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes()[:MAX_KEY_FILE].decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("algorithm") != ALGORITHM:
            raise ValueError("algorithm")
        name = doc.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name")
        key = PublicKey(name.strip()[:128], _raw_public(doc.get("public_key")))
    except OSError as exc:
        raise SigningError(_("The key file {path} cannot be read.").format(path=path)) from exc
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise SigningError(
            _("{path} is not a Xiangyi public key file.").format(path=path.name)
        ) from exc
    stated = doc.get("fingerprint")
    if stated is not None and str(stated).replace(" ", "").upper() != key.fingerprint.replace(
        " ", ""
    ):
        raise SigningError(
            _("The fingerprint written in {path} does not match its key.").format(path=path.name)
        )
    return key


def sign_manifest(manifest: bytes, private: Ed25519PrivateKey, name: str) -> bytes:
    """The ``signature.json`` document for the exact ``manifest`` bytes."""
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = PublicKey(name, raw)
    doc = {
        "format": SIGNATURE_FORMAT,
        "algorithm": ALGORITHM,
        "signer": name,
        "public_key": key.raw_b64,
        "fingerprint": key.fingerprint,
        "signed": "manifest.json",
        "signature": base64.b64encode(private.sign(manifest)).decode("ascii"),
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def check_signature(manifest: bytes, signature: bytes) -> Signature:
    """Verify ``signature.json`` against ``manifest``; raise SigningError if it fails."""
    try:
        doc = json.loads(signature.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("algorithm") != ALGORITHM:
            raise ValueError("algorithm")
        signer = doc.get("signer")
        if not isinstance(signer, str):
            raise ValueError("signer")
        key = PublicKey(signer[:128], _raw_public(doc.get("public_key")))
        value = doc.get("signature")
        if not isinstance(value, str):
            raise ValueError("signature")
        sig = base64.b64decode(value, validate=True)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise SigningError(_("The pack's signature file is damaged.")) from exc
    try:
        Ed25519PublicKey.from_public_bytes(key.raw).verify(sig, manifest)
    except InvalidSignature as exc:
        raise SigningError(
            _("The signature is not valid: the pack was changed after it was signed.")
        ) from exc
    return Signature(key.name, key)
