"""Helpers for pack archive tests: pack folders, keys, signed archives, hostile zips."""

from __future__ import annotations

import re
import shutil
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from case_bank import archive, signing
from case_bank.manifest import manifest_bytes
from case_bank.pack import builtin_packs_dir

PASSPHRASE = "a long enough passphrase"
PACK_ID = "ecg-basics"


def pack_folder(dest: Path, *, version: int = 1, min_app: str | None = None) -> Path:
    """A copy of the built-in ECG pack with the given version (and minimum app version)."""
    shutil.copytree(builtin_packs_dir() / PACK_ID, dest)
    info = dest / "pack.yaml"
    text = re.sub(r"(?m)^version: \d+", f"version: {version}", info.read_text(encoding="utf-8"))
    if min_app is not None:
        text = re.sub(r"(?m)^min_app_version: .*$", f'min_app_version: "{min_app}"', text)
    info.write_text(text, encoding="utf-8")
    return dest


def make_key(folder: Path, name: str = "trainer") -> tuple[Path, Path, signing.PublicKey]:
    return signing.generate_key(name, folder, PASSPHRASE)


def build(folder: Path, out: Path) -> archive.Manifest:
    from case_bank.pack import load_pack

    pack = load_pack(folder)
    assert pack.info is not None, pack.problems
    return archive.build_archive(folder, out, pack.info.id, pack.info.version)


def sign(path: Path, private_key: Path) -> None:
    found = archive.read_archive(path)
    key = signing.load_private_key(private_key, PASSPHRASE)
    name = signing.signer_name(private_key)
    archive.add_signature(path, signing.sign_manifest(found.manifest.raw, key, name))


def signed_pack(tmp: Path, private_key: Path, *, version: int = 1, name: str = "") -> Path:
    folder = pack_folder(tmp / f"src-{name or version}", version=version)
    out = tmp / f"{PACK_ID}-{name or version}.xypack"
    build(folder, out)
    sign(out, private_key)
    return out


def rewrite_member(path: Path, member: str, data: bytes) -> None:
    """Replace one member's bytes, keeping the rest (a well-formed but changed archive)."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, content in members:
            dst.writestr(info, data if info.filename == member else content)


@dataclass
class RawMember:
    """A zip member written byte by byte, so headers can say anything."""

    name: str
    compressed: bytes
    crc: int
    size: int
    method: int = zipfile.ZIP_DEFLATED
    mode: int = stat.S_IFREG | 0o644


def deflated(data: bytes) -> RawMember:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember("", c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def member(name: str, data: bytes, **changes: int) -> RawMember:
    raw = deflated(data)
    raw.name = name
    for key, value in changes.items():
        setattr(raw, key, value)
    return raw


def zeros_member(name: str, megabytes: int) -> RawMember:
    """``megabytes`` MiB of zeros, deflated chunk by chunk in little memory and time."""
    chunk = bytes(1 << 20)
    c = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # independent of what precedes
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    tail = zlib.compressobj(1, zlib.DEFLATED, -15).flush()
    return RawMember(name, block * megabytes + tail, crc, megabytes << 20)


def write_raw_zip(path: Path, members: list[RawMember]) -> None:
    """Write a zip with exactly the given names, sizes and modes (no sanitising)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        sizes = (m.crc, len(m.compressed), m.size)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, m.method, 0, 0x21, *sizes, len(name), 0
        )
        out += name + m.compressed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, (3 << 8) | 20, 20, 0, m.method, 0, 0x21, *sizes,
            len(name), 0, 0, 0, 0, m.mode << 16, offset,
        )  # fmt: skip
        central += name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                       len(central), start, 0)  # fmt: skip
    path.write_bytes(bytes(out))


def manifest_for(members: list[tuple[str, bytes]]) -> bytes:
    import hashlib

    entries = [
        archive.ManifestEntry(name, hashlib.sha256(data).hexdigest(), len(data))
        for name, data in members
    ]
    return manifest_bytes(PACK_ID, 1, entries)
