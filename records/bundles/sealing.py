"""Encrypting a bundle to the county: it holds personal data and travels on USB sticks.

The county's key pair is X25519: ``county.private.pem`` (PKCS#8, encrypted with the
administrator's passphrase) and ``county.public.json`` handed to every clinic. A sealed
bundle is ``MAGIC``, a JSON header (the ephemeral public key, the recipient's
fingerprint, the nonce) and the ChaCha20-Poly1305 ciphertext of the signed ZIP; the key
is HKDF-SHA256 of the X25519 shared secret, with the header as associated data, so a
changed header or byte of ciphertext is refused. A fresh ephemeral key per bundle means
a leaked bundle key reveals that bundle only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from case_bank import signing
from case_bank.signing import SigningError
from xiangyi.i18n import _

MAGIC = b"XIANGYI-SEALED-BUNDLE\n"
ALGORITHM = "X25519"
SCHEME = "X25519-HKDF-SHA256-ChaCha20Poly1305"
INFO = b"xiangyi-record-bundle-v1"
MAX_HEADER = 4096
COUNTY_DIR = "county"
KEY_NAME = "county"


class SealError(Exception):
    """A county-key or decryption problem; ``str()`` is for the user."""


@dataclass(frozen=True)
class CountyPublicKey:
    name: str
    raw: bytes

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.raw)


def county_key_files(data_dir: Path) -> tuple[Path, Path]:
    return signing.key_paths(KEY_NAME, Path(data_dir) / COUNTY_DIR)


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def create_county_key(data_dir: Path, name: str, passphrase: str) -> CountyPublicKey:
    """Create the county's encryption key pair in ``<data_dir>/county``."""
    name = name.strip()
    if not name or len(name) > 128:
        raise SealError(_("Give the county's name (at most 128 characters)."))
    try:
        signing.check_passphrase(passphrase)
    except SigningError as exc:
        raise SealError(str(exc)) from exc
    private_path, public_path = county_key_files(data_dir)
    if private_path.exists():
        raise SealError(_("This PC already has a county key ({path}).").format(path=private_path))
    private_path.parent.mkdir(parents=True, exist_ok=True)
    private = X25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    key = CountyPublicKey(name, _raw(private.public_key()))
    public_path.write_bytes(public_document(key))
    return key


def public_document(key: CountyPublicKey) -> bytes:
    doc = {
        "algorithm": ALGORITHM,
        "name": key.name,
        "public_key": base64.b64encode(key.raw).decode("ascii"),
        "fingerprint": key.fingerprint,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def read_county_public_key(path: Path) -> CountyPublicKey:
    """Read a ``county.public.json`` file (SealError if it is not one)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes()[: signing.MAX_KEY_FILE].decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("algorithm") != ALGORITHM:
            raise ValueError("algorithm")
        name, value = doc.get("name"), doc.get("public_key")
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError("fields")
        raw = base64.b64decode(value, validate=True)
        X25519PublicKey.from_public_bytes(raw)
    except OSError as exc:
        raise SealError(_("The key file {path} cannot be read.").format(path=path)) from exc
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise SealError(
            _("{path} is not a county encryption key file.").format(path=path.name)
        ) from exc
    return CountyPublicKey(name.strip()[:128], raw)


def load_county_private_key(path: Path, passphrase: str) -> X25519PrivateKey:
    """The county's private key, decrypted with ``passphrase``."""
    try:
        data = Path(path).read_bytes()[: signing.MAX_KEY_FILE]
        key = serialization.load_pem_private_key(data, passphrase.encode() or None)
    except OSError as exc:
        raise SealError(_("The key file {path} cannot be read.").format(path=path)) from exc
    except (TypeError, ValueError) as exc:
        raise SealError(
            _("Wrong passphrase, or {path} is not the county's private key.").format(path=path)
        ) from exc
    if not isinstance(key, X25519PrivateKey):
        raise SealError(_("{path} is not the county's private key.").format(path=path))
    return key


def _key(shared: bytes, header: bytes) -> bytes:
    salt = hashlib.sha256(header).digest()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(shared)


def seal(data: bytes, recipient: CountyPublicKey) -> bytes:
    """Encrypt ``data`` so only the holder of the county's private key can read it."""
    ephemeral = X25519PrivateKey.generate()
    header = json.dumps(
        {
            "scheme": SCHEME,
            "recipient": recipient.fingerprint,
            "ephemeral": base64.b64encode(_raw(ephemeral.public_key())).decode("ascii"),
            "nonce": base64.b64encode(os.urandom(12)).decode("ascii"),
        },
        sort_keys=True,
    ).encode()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.raw))
    nonce = base64.b64decode(json.loads(header)["nonce"])
    ciphertext = ChaCha20Poly1305(_key(shared, header)).encrypt(nonce, data, header)
    return MAGIC + len(header).to_bytes(4, "big") + header + ciphertext


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(data: bytes, private: X25519PrivateKey | None) -> bytes:
    """Decrypt a sealed bundle; SealError says why it cannot be opened."""
    if private is None:
        raise SealError(_("This bundle is encrypted. Give the county's private key to open it."))
    body = data[len(MAGIC) :]
    size = int.from_bytes(body[:4], "big")
    header = body[4 : 4 + size]
    try:
        if size > MAX_HEADER or len(header) != size:
            raise ValueError("header")
        doc = json.loads(header)
        if not isinstance(doc, dict) or doc.get("scheme") != SCHEME:
            raise ValueError("scheme")
        ephemeral = X25519PublicKey.from_public_bytes(base64.b64decode(doc["ephemeral"]))
        nonce = base64.b64decode(doc["nonce"])
        recipient = doc["recipient"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise SealError(_("The encrypted bundle is damaged or cut short.")) from exc
    own = signing.fingerprint(_raw(private.public_key()))
    if recipient != own:
        raise SealError(
            _("This bundle is encrypted to another key ({fingerprint}).").format(
                fingerprint=recipient
            )
        )
    shared = private.exchange(ephemeral)
    try:
        return ChaCha20Poly1305(_key(shared, header)).decrypt(nonce, body[4 + size :], header)
    except (InvalidTag, ValueError) as exc:
        raise SealError(
            _("The encrypted bundle was changed or cut short; it cannot be opened.")
        ) from exc
