"""Small encodings the credentials need: verification codes (Crockford base32), base45
for QR alphanumeric mode (RFC 9285), base58btc for multibase keys and proofs, and
canonical JSON (sorted keys, no spaces: RFC 8785 for the strings, integers, booleans and
nested objects we sign; we never sign floats)."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from typing import Any

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits: unguessable by typing, short enough to read out
CODE_GROUPS = (4, 4, 2)  # XY7K-3M9Q-2P
BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_credential_id() -> str:
    """An unguessable credential ID: 122 random bits (a version-4 UUID, as hex)."""
    return uuid.uuid4().hex


def new_code() -> str:
    """A fresh verification code, undashed (see ``format_code``)."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``XY7K3M9Q2P`` → ``XY7K-3M9Q-2P``."""
    parts, start = [], 0
    for size in CODE_GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(parts)


def normalise_code(text: str) -> str | None:
    """A typed code in canonical form, or None if it cannot be one.

    Case, spaces and dashes are ignored; letters people confuse with digits (O, I, L)
    are read as the digits, as Crockford's alphabet intends.
    """
    compact = re.sub(r"[\s\-_.]", "", text).upper().translate(_CONFUSABLE)
    if len(compact) != CODE_LENGTH or any(c not in CROCKFORD for c in compact):
        return None
    return compact


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        value = data[i] * 256 + data[i + 1]
        value, c = divmod(value, 45)
        e, d = divmod(value, 45)
        out += [BASE45[c], BASE45[d], BASE45[e]]
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += [BASE45[c], BASE45[d]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode base45; raises ValueError for any character or group that is not valid."""
    try:
        values = [BASE45.index(ch) for ch in text]
    except ValueError as exc:
        raise ValueError("not base45") from exc
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            value = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if value > 0xFFFF:
                raise ValueError("not base45")
            out += value.to_bytes(2, "big")
        elif len(chunk) == 2:
            value = chunk[0] + chunk[1] * 45
            if value > 0xFF:
                raise ValueError("not base45")
            out.append(value)
        else:
            raise ValueError("not base45")
    return bytes(out)


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(BASE58[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        index = BASE58.find(ch)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def canonical_json(value: Any) -> bytes:
    """Canonical UTF-8 JSON of plain data (sorted keys, no whitespace, no floats)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
