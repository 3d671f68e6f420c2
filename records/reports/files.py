"""File names and safe writing for exports: a name that carries the institution and a
timestamp, and a temporary file moved into place only when the export is complete (a
cancelled or failed export leaves nothing behind)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

# Characters Windows refuses in file names, and whitespace.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(scope: str, kind: str, extension: str, when: datetime | None = None) -> str:
    """``乡医报表-红星乡卫生院-20260302-0930.xlsx``: the scope (an institution's name,
    or the county) and the local time of the export."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    safe = _UNSAFE.sub("_", scope).strip("._")[:60] or "all"
    return f"xiangyi-{kind}-{safe}-{stamp}.{extension}"


def target_path(out: Path, scope: str, kind: str, extension: str) -> Path:
    """``out`` itself when it names a file; inside ``out`` when it is a folder."""
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out.mkdir(parents=True, exist_ok=True)
        return out / file_name(scope, kind, extension)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed onto it when the block succeeds,
    removed when it raises (``Cancelled`` included)."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=".export-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
