"""The bundle file: a ZIP holding one JSON-lines member per kind of record,
``revocations.json``, ``manifest.json`` and ``manifest.sig``.

The manifest names the bundle (UUID), the device, the time, the counts and the SHA-256
and size of every member; the signature (Ed25519, base64) covers ``DOMAIN`` + the exact
bytes of ``manifest.json``, so one signature vouches for every byte of the bundle.
Reading never extracts to disk: members are read into memory by their exact names,
after their declared sizes are checked, and only after the signature is verified.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from case_bank import signing
from xiangyi.i18n import _

FORMAT = "xiangyi-record-bundle"
VERSION = 1
DOMAIN = b"xiangyi-record-bundle-v1\n"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_SMALL_BYTES = 1024 * 1024  # manifest and signature
MAX_MEMBERS = 32
MEMBER_RE = re.compile(r"^[a-z_]{1,40}\.(jsonl|json)$")


class BundleError(Exception):
    """A bundle was refused; ``str()`` says why, in the user's language."""


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    device_id: str
    created_at: datetime
    since: datetime | None
    signer_name: str
    signer_fingerprint: str
    counts: dict[str, int]
    members: dict[str, tuple[str, int]]  # name -> (sha256, size)


class MemberWriter:
    """Writes the members of a new bundle into a ZIP, hashing them on the way."""

    def __init__(self, target: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.members: dict[str, tuple[str, int]] = {}

    def add(self, name: str, chunks: Any) -> None:
        """Write member ``name`` from an iterable of byte strings."""
        digest, size = hashlib.sha256(), 0
        with self.zip.open(name, "w", force_zip64=True) as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        self.members[name] = (digest.hexdigest(), size)

    def finish(self, manifest: dict[str, Any], key: Ed25519PrivateKey, fingerprint: str) -> None:
        """Add the manifest (with the member hashes) and its signature, and close."""
        manifest = {
            **manifest,
            "members": {n: {"sha256": h, "size": s} for n, (h, s) in self.members.items()},
        }
        data = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
        signature = base64.b64encode(key.sign(DOMAIN + data)).decode("ascii")
        self.zip.writestr(MANIFEST, data)
        doc = {"algorithm": signing.ALGORITHM, "fingerprint": fingerprint, "signature": signature}
        self.zip.writestr(SIGNATURE, json.dumps(doc).encode())
        self.zip.close()


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise BundleError(_("the file '{name}' inside is too large").format(name=info.filename))
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise BundleError(_("the file '{name}' inside is too large").format(name=info.filename))
    return data


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(_("it holds more files than a record bundle can"))
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if (name not in (MANIFEST, SIGNATURE) and not MEMBER_RE.match(name)) or name in entries:
            raise BundleError(_("it contains an unexpected file '{name}'").format(name=name[:80]))
        if info.file_size > MAX_MEMBER_BYTES:
            raise BundleError(_("the file '{name}' inside is too large").format(name=name))
        entries[name] = info
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise BundleError(_("its contents are too large"))
    if MANIFEST not in entries or SIGNATURE not in entries:
        raise BundleError(_("it is not a Xiangyi record bundle"))
    return entries


def _verify(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    trusted: Mapping[str, tuple[str, Ed25519PublicKey]],
) -> tuple[bytes, str, str]:
    """The manifest bytes, the signer's name and fingerprint, once the signature holds."""
    try:
        doc = json.loads(_read(archive, entries[SIGNATURE], MAX_SMALL_BYTES))
        fingerprint = doc["fingerprint"]
        signature = base64.b64decode(doc["signature"], validate=True)
        if not isinstance(fingerprint, str) or doc.get("algorithm") != signing.ALGORITHM:
            raise ValueError("signature document")
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise BundleError(_("its signature is missing or damaged")) from exc
    manifest = _read(archive, entries[MANIFEST], MAX_SMALL_BYTES)
    if fingerprint not in trusted:
        claimed = _claimed_signer(manifest)
        raise BundleError(
            _("it is signed by a key this PC does not trust ({name}, {fingerprint})").format(
                name=claimed, fingerprint=fingerprint[:80]
            )
        )
    name, key = trusted[fingerprint]
    try:
        key.verify(signature, DOMAIN + manifest)
    except InvalidSignature as exc:
        raise BundleError(
            _("its signature does not match: it was changed after it was signed")
        ) from exc
    return manifest, name, fingerprint


def _claimed_signer(manifest: bytes) -> str:
    try:
        return str(json.loads(manifest)["signer"]["name"])[:128]
    except (ValueError, KeyError, TypeError):
        return "?"


def _manifest(data: bytes, signer: str, fingerprint: str) -> Manifest:
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT:
            raise ValueError("format")
        if doc.get("version") != VERSION:
            raise BundleError(
                _("it was written by a newer version of Xiangyi (bundle format {version})").format(
                    version=str(doc.get("version"))[:20]
                )
            )
        counts = {str(k): int(v) for k, v in dict(doc["counts"]).items()}
        members = {
            str(name): (str(entry["sha256"]), int(entry["size"]))
            for name, entry in dict(doc["members"]).items()
        }
        since = doc["since"]
        manifest = Manifest(
            bundle_id=_hex_id(doc["bundle_id"]),
            device_id=_hex_id(doc["device_id"]),
            created_at=datetime.fromisoformat(doc["created_at"]),
            since=datetime.fromisoformat(since) if since is not None else None,
            signer_name=signer,
            signer_fingerprint=fingerprint,
            counts=counts,
            members=members,
        )
    except BundleError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BundleError(_("its manifest is damaged")) from exc
    return manifest


def _hex_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{32}", value):
        raise ValueError("id")
    return value


def read_bundle(
    data: bytes, trusted: Mapping[str, tuple[str, Ed25519PublicKey]]
) -> tuple[Manifest, dict[str, bytes]]:
    """Check a bundle ZIP completely: signature by a trusted key, then every member's size
    and SHA-256. Returns the manifest and the members' bytes, or raises BundleError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = _entries(archive)
        manifest_bytes, signer, fingerprint = _verify(archive, entries, trusted)
        manifest = _manifest(manifest_bytes, signer, fingerprint)
        if set(entries) - {MANIFEST, SIGNATURE} != set(manifest.members):
            raise BundleError(_("its files do not match its manifest"))
        members: dict[str, bytes] = {}
        for name, (sha256, size) in manifest.members.items():
            content = _read(archive, entries[name], MAX_MEMBER_BYTES)
            if len(content) != size or hashlib.sha256(content).hexdigest() != sha256:
                raise BundleError(
                    _("'{name}' was changed after the bundle was signed").format(name=name)
                )
            members[name] = content
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        NotImplementedError,  # zipfile: a compression method Python cannot read
        RuntimeError,  # a password-protected entry: no Xiangyi bundle has one
        zlib.error,
    ) as exc:
        raise BundleError(
            _("the file is damaged or incomplete (was the USB stick removed too early?)")
        ) from exc
    return manifest, members
