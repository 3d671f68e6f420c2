"""The manifest of a pack archive: what it lists, how it is written and read.

``manifest.json`` names the archive format, the pack id and version, and the
SHA-256 and size of every other file. A signature covers its exact bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from xiangyi.i18n import _

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
RESERVED = frozenset({MANIFEST, SIGNATURE})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(Exception):
    """The archive cannot be used; ``str()`` is a translated, actionable message."""


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """A parsed ``manifest.json``; ``raw`` is the exact bytes a signature covers."""

    format: int
    pack_id: str
    version: int
    files: tuple[ManifestEntry, ...]
    raw: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def manifest_bytes(pack_id: str, version: int, entries: list[ManifestEntry]) -> bytes:
    doc = {
        "format": ARCHIVE_FORMAT,
        "pack": {"id": pack_id, "version": version},
        "files": [{"path": e.path, "sha256": e.sha256, "size": e.size} for e in entries],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def check_member_name(name: str) -> None:
    """Refuse names that could escape the target folder or clash on Windows."""
    bad = (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or _DRIVE.match(name) is not None
        or any(part in ("", ".", "..") for part in name.split("/"))
        or len(name) > 512
    )
    if bad:
        raise ArchiveError(
            _("The archive contains an unsafe file name and was refused: {name}").format(
                name=name[:200]
            )
        )


def parse_manifest(raw: bytes) -> Manifest:
    def bad(detail: str) -> ArchiveError:
        return ArchiveError(_("The archive's manifest is invalid: {detail}").format(detail=detail))

    try:
        doc: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(str(exc)) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("format"), int):
        raise bad("format")
    if doc["format"] > ARCHIVE_FORMAT:
        raise ArchiveError(
            _("This pack archive was made by a newer version of Xiangyi; please update the app.")
        )
    pack = doc.get("pack")
    files = doc.get("files")
    if not isinstance(pack, dict) or not isinstance(pack.get("id"), str):
        raise bad("pack.id")
    if not isinstance(pack.get("version"), int) or isinstance(pack.get("version"), bool):
        raise bad("pack.version")
    if not isinstance(files, list):
        raise bad("files")
    entries: list[ManifestEntry] = []
    seen: set[str] = set()
    for item in files:
        if not isinstance(item, dict):
            raise bad("files")
        path, digest, size = item.get("path"), item.get("sha256"), item.get("size")
        if not isinstance(path, str) or path in RESERVED or path.casefold() in seen:
            raise bad(f"files: {path!r}")
        check_member_name(path)
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise bad(f"{path}: sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise bad(f"{path}: size")
        seen.add(path.casefold())
        entries.append(ManifestEntry(path, digest, size))
    return Manifest(doc["format"], pack["id"], pack["version"], tuple(entries), raw)
