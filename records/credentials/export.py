"""Bulk export: the certificates of a cohort as one ZIP (a PDF and an Open Badges JSON
per credential), written to a temporary file and moved into place only when complete.

The desktop runs ``export_zip`` off the UI thread: ``progress(done, total)`` is called
after each credential and ``cancel()`` is polled before each; a cancelled export leaves
no file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from records.credentials.documents import open_badge_bytes, save_certificate_pdf
from records.credentials.encoding import format_code
from records.credentials.issuing import PENDING
from records.db import Database
from records.tables import Credential

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@dataclass
class ExportResult:
    path: Path | None
    written: int = 0
    skipped: list[str] = field(default_factory=list)  # ids of unsigned credentials
    cancelled: bool = False


def entry_name(credential: Credential) -> str:
    """``XY7K-3M9Q-2P-王建国``: the code first (unique), then a readable name."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", credential.holder_name).strip("_")[:40]
    return f"{format_code(credential.code)}-{name}" if name else format_code(credential.code)


def export_zip(
    db: Database,
    credentials: Sequence[Credential],
    target: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExportResult:
    """Write every signed credential's PDF and JSON into the ZIP file ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    result = ExportResult(path=None)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, credential in enumerate(credentials, start=1):
                if cancel is not None and cancel():
                    result.cancelled = True
                    break
                if credential.status == PENDING or credential.payload is None:
                    result.skipped.append(credential.id)
                else:
                    name = entry_name(credential)
                    with archive.open(f"{name}.pdf", "w") as handle:
                        save_certificate_pdf(db, credential, handle)  # type: ignore[arg-type]
                    archive.writestr(f"{name}.json", open_badge_bytes(credential))
                    result.written += 1
                if progress is not None:
                    progress(done, len(credentials))
        if result.cancelled:
            temp.unlink(missing_ok=True)
            return result
        os.replace(temp, target)
        result.path = target
        return result
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
