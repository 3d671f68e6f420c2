"""Saving a certificate's PDF, its Open Badges JSON or a transcript: ask where, write off
the UI thread, then say so and offer to open the folder. Shared by "My certificates" and
the administrator's registry."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QWidget

from desktop import files
from desktop.screens.certificates.words import JSON_FILTER, PDF_FILTER, message_for
from desktop.tasks import run_in_background
from desktop.widgets import show_error
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.tables import Credential

_log = logging.getLogger(__name__)


class Saver:
    """Runs one save at a time for ``parent``; messages go to ``status`` / ``error``."""

    def __init__(self, parent: QWidget, ctx: AppContext, status: QLabel, error: QLabel) -> None:
        self.parent, self.ctx, self.status, self.error = parent, ctx, status, error
        self.busy = False
        self.last_saved: Path | None = None

    def _run(self, title: str, name: str, filters: str, write: Callable[[Path], Any]) -> None:
        if self.busy:
            return
        target = files.choose_save_path(self.parent, title, name, filters)
        if target is None:
            return
        self.busy = True
        show_error(self.error, "")
        self.status.setText(_("Saving {name}…").format(name=target.name))

        def done(_result: Any) -> None:
            self.busy = False
            self.last_saved = target
            message = _("Saved {path}.").format(path=target)
            self.status.setText(message)
            files.offer_folder(self.parent, "saved_box", message, target)

        def failed(exc: Exception) -> None:
            self.busy = False
            self.status.setText("")
            show_error(self.error, message_for(exc))

        run_in_background(lambda: write(target), done, failed)

    def certificate_pdf(self, credential: Credential) -> None:
        from records.credentials.documents import save_certificate_pdf

        name = files.safe_file_name(_("Certificate-{name}").format(name=credential.holder_name))
        self._run(
            _("Save the certificate as PDF"),
            f"{name}.pdf",
            _(PDF_FILTER),
            lambda path: save_certificate_pdf(self.ctx.db, credential, path),
        )

    def open_badge(self, credential: Credential) -> None:
        from records.credentials.documents import save_open_badge

        name = files.safe_file_name(_("Certificate-{name}").format(name=credential.holder_name))
        self._run(
            _("Save the Open Badges credential"),
            f"{name}.json",
            _(JSON_FILTER),
            lambda path: save_open_badge(credential, path),
        )

    def transcript(self, user_id: str, holder_name: str) -> None:
        from records.credentials.transcript import save_transcript_pdf

        modules = [m.module for m in self.ctx.modules if m.module is not None]
        bank = self.ctx.bank()
        name = files.safe_file_name(_("Transcript-{name}").format(name=holder_name))
        self._run(
            _("Save the transcript as PDF"),
            f"{name}.pdf",
            _(PDF_FILTER),
            lambda path: save_transcript_pdf(self.ctx.db, user_id, modules, bank, path),
        )
