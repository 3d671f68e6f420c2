"""Small pieces shared by the administrator's pages."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel

from desktop.theme import heading
from xiangyi.i18n import _

_log = logging.getLogger(__name__)


def heading_label() -> QLabel:
    label = QLabel()
    heading(label, 16)
    return label


def failure_text(exc: Exception) -> str:
    """The message to show for ``exc``: our own refusals carry a translated message (and
    maybe a list of problems); anything else is logged and explained in general terms."""
    from case_bank.archive import ArchiveError
    from case_bank.signing import SigningError
    from records.accounts import AccountError
    from records.assignments import AssignmentError
    from records.backups import BackupError
    from records.db import StorageError
    from records.packs import PackInstallError

    if isinstance(exc, PackInstallError):
        return "\n".join([str(exc), *(f"• {p}" for p in exc.problems[:20])])
    known = (
        ArchiveError,
        SigningError,
        AccountError,
        AssignmentError,
        BackupError,
        StorageError,
    )
    if isinstance(exc, known):
        return str(exc)
    if isinstance(exc, OSError):
        return _("A file could not be read or written: {error}").format(error=exc)
    _log.error("Unexpected failure: %r", exc)
    return _("Something went wrong; the details are in the log file.")
