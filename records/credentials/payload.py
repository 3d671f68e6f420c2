"""The compact signed payload carried by a certificate's QR code.

Format ``XY1:`` + base45(zlib(canonical JSON) + Ed25519 signature): only QR alphanumeric
characters, so a certificate's code stays a small, easily scanned QR (version 15 or
lower at error-correction level M for realistic names). The signature covers
``DOMAIN + canonical JSON``; the domain string keeps a certificate signature from ever
being valid for another kind of document signed with the same key.

Fields (short keys keep the QR small):

====  =========================================================================
v     payload format (1)
id    credential ID (32 hex digits)
c     verification code, undashed
n     holder's name
p     practising-certificate number ("" when unknown)
i     holder's institution (Chinese name)
b     blueprint (exam) the credential rests on
l     level rank per domain, in ``DOMAIN_ORDER`` (0 not yet competent … 3 proficient)
t     issue date; f, u: valid from / until (ISO dates, inclusive)
k     first 16 hex digits of the issuer key's fingerprint
in    issuer's name
====  =========================================================================
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assessments.framework import LEVEL_IDS
from case_bank.vocabulary import Domain
from records.credentials.encoding import b45decode, b45encode, canonical_json

PREFIX = "XY1:"
FORMAT = 1
DOMAIN = b"xiangyi-credential-v1\n"
DOMAIN_ORDER: tuple[str, ...] = tuple(str(d) for d in Domain)
SIGNATURE_BYTES = 64
MAX_TOKEN = 4000  # characters; a QR code cannot hold more than about 4,300
MAX_JSON = 4096
_HEX = re.compile(r"^[0-9a-f]{32}$")
_KEY = re.compile(r"^[0-9A-F]{16}$")


class PayloadError(ValueError):
    """The text is not a well-formed certificate payload (garbage, cut off, wrong types)."""


@dataclass(frozen=True)
class Payload:
    """The facts a certificate vouches for, exactly as signed."""

    credential_id: str
    code: str
    holder_name: str
    practising_number: str
    institution: str
    blueprint_id: str
    levels: dict[str, str]  # domain → level id
    issued_on: date
    valid_from: date
    valid_until: date
    issuer_key: str  # 16 hex digits, fingerprint prefix
    issuer_name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": FORMAT,
            "id": self.credential_id,
            "c": self.code,
            "n": self.holder_name,
            "p": self.practising_number,
            "i": self.institution,
            "b": self.blueprint_id,
            "l": [LEVEL_IDS.index(self.levels.get(d, LEVEL_IDS[0])) for d in DOMAIN_ORDER],
            "t": self.issued_on.isoformat(),
            "f": self.valid_from.isoformat(),
            "u": self.valid_until.isoformat(),
            "k": self.issuer_key,
            "in": self.issuer_name,
        }

    def canonical(self) -> bytes:
        return canonical_json(self.to_dict())


def key_prefix(fingerprint: str) -> str:
    """The 16-digit fingerprint prefix a payload names its issuer key by."""
    return fingerprint.replace(" ", "").upper()[:16]


def _text(doc: dict[str, Any], key: str, limit: int) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise PayloadError(key)
    return value


def _date(doc: dict[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(_text(doc, key, 10))
    except ValueError as exc:
        raise PayloadError(key) from exc


def from_dict(doc: Any) -> Payload:
    """Check every field's type and size; raise PayloadError for anything unexpected."""
    if not isinstance(doc, dict) or doc.get("v") != FORMAT:
        raise PayloadError("v")
    levels = doc.get("l")
    if (
        not isinstance(levels, list)
        or len(levels) != len(DOMAIN_ORDER)
        or not all(isinstance(r, int) and not isinstance(r, bool) for r in levels)
        or not all(0 <= r < len(LEVEL_IDS) for r in levels)
    ):
        raise PayloadError("l")
    credential_id = _text(doc, "id", 32)
    issuer_key = _text(doc, "k", 16)
    if not _HEX.match(credential_id) or not _KEY.match(issuer_key):
        raise PayloadError("id")
    return Payload(
        credential_id=credential_id,
        code=_text(doc, "c", 16),
        holder_name=_text(doc, "n", 128),
        practising_number=_text(doc, "p", 64),
        institution=_text(doc, "i", 256),
        blueprint_id=_text(doc, "b", 64),
        levels={d: LEVEL_IDS[r] for d, r in zip(DOMAIN_ORDER, levels, strict=True)},
        issued_on=_date(doc, "t"),
        valid_from=_date(doc, "f"),
        valid_until=_date(doc, "u"),
        issuer_key=issuer_key,
        issuer_name=_text(doc, "in", 256),
    )


def sign(payload: Payload, private: Ed25519PrivateKey) -> bytes:
    return private.sign(DOMAIN + payload.canonical())


def check_signature(payload_bytes: bytes, signature: bytes, public: Ed25519PublicKey) -> bool:
    try:
        public.verify(signature, DOMAIN + payload_bytes)
    except InvalidSignature:
        return False
    return True


def encode_token(payload_bytes: bytes, signature: bytes) -> str:
    """The QR text for already-canonical payload bytes and their signature."""
    return PREFIX + b45encode(zlib.compress(payload_bytes, 9) + signature)


@dataclass(frozen=True)
class Decoded:
    payload: Payload
    payload_bytes: bytes  # exactly what was signed (after the domain prefix)
    signature: bytes


def decode_token(text: str) -> Decoded:
    """Parse a QR text; PayloadError when it is not a well-formed certificate payload.

    Only the structure is checked here; the signature is checked by the caller, who knows
    which keys are trusted.
    """
    text = text.strip()
    if not text.startswith(PREFIX) or len(text) > MAX_TOKEN:
        raise PayloadError("prefix")
    try:
        raw = b45decode(text[len(PREFIX) :])
    except ValueError as exc:
        raise PayloadError("base45") from exc
    if len(raw) <= SIGNATURE_BYTES:
        raise PayloadError("length")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    inflater = zlib.decompressobj()
    try:
        payload_bytes = inflater.decompress(body, MAX_JSON)
    except zlib.error as exc:
        raise PayloadError("zlib") from exc
    if inflater.unconsumed_tail or not inflater.eof:
        raise PayloadError("zlib")  # a decompression bomb, or a cut-off stream
    try:
        doc = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError("json") from exc
    return Decoded(from_dict(doc), payload_bytes, signature)
