"""Bring a trainer's file into the pack's ``assets/`` folder under a name the model accepts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def asset_name(stem: str, suffix: str) -> str:
    """A file name the pack format accepts: letters a-z, digits, '.', '-', '_'."""
    clean = _UNSAFE.sub("-", stem).strip("-.") or "asset"
    return f"{clean.lower()[:80]}{suffix.lower()}"


def free_asset_path(pack_folder: Path, name: str, content: bytes | None = None) -> Path:
    """``assets/name`` in the pack, or ``name-2``, ``-3`` … when a different file is there.

    A file with the same ``content`` is reused, so importing the same image twice does
    not fill the pack with copies.
    """
    folder = pack_folder / "assets"
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate = folder / name
    number = 1
    while candidate.exists():
        if content is not None and candidate.read_bytes() == content:
            return candidate
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    return candidate


def copy_into_assets(pack_folder: Path, source: Path, suffix: str | None = None) -> str:
    """Copy ``source`` into the pack's assets; returns the pack path (``assets/x.png``)."""
    name = asset_name(source.stem, suffix or source.suffix)
    target = free_asset_path(pack_folder, name, source.read_bytes())
    if not target.exists():
        shutil.copyfile(source, target)
    return f"assets/{target.name}"


def write_asset(pack_folder: Path, name: str, content: bytes) -> str:
    """Write ``content`` as a new asset (or reuse an identical one); returns its pack path."""
    target = free_asset_path(pack_folder, name, content)
    if not target.exists():
        target.write_bytes(content)
    return f"assets/{target.name}"
