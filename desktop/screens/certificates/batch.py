"""The registry's actions on many certificates at once: signing every pending one with
the issuing key, issuing to a whole institution, and exporting an institution's
certificates as one ZIP; each runs off the UI thread behind a progress dialog. A mixin
of ``CertificateAdminScreen``, which provides the widgets and ``_admin`` / ``_said``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

from desktop import files
from desktop.screens.certificates.dialogs import passphrase_dialog
from desktop.screens.certificates.words import ZIP_FILTER, message_for
from desktop.task_progress import run_with_progress
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from desktop.context import AppContext


class BatchActions:
    ctx: AppContext
    cohort: QComboBox
    message: QLabel
    sign_button: QPushButton

    # Provided by the screen:
    _admin: Callable[[], bool]
    _said: Callable[[str], None]
    _failed: Callable[[Exception], None]
    refresh: Callable[[], None]

    # -- many certificates ------------------------------------------------------------------
    def sign_pending(self) -> None:
        from records.credentials.issuer import unlock
        from records.credentials.registry import pending_count, sign_all

        if not self._admin():
            return
        waiting = pending_count(self.ctx.db)
        if not waiting:
            self._said(_("No certificate is waiting for a signature."))
            return
        db, actor = self.ctx.db, self.ctx.user

        def submit(values: dict[str, str]) -> str | None:
            try:
                key = unlock(self.ctx.data_dir, values["passphrase"])
            except Exception as exc:
                return message_for(exc)
            run_with_progress(
                self,
                "sign_progress",
                _("Signing certificates"),
                _("Signing the pending certificates…"),
                lambda progress, _cancelled: sign_all(db, actor, key, progress=progress),
                self._signed,
                self._failed_and_refresh,
                cancellable=False,
            )
            return None

        self.dialog = passphrase_dialog(
            self,
            "sign_passphrase",
            _("Sign pending certificates"),
            ngettext(
                "Sign {n} pending certificate with this PC's issuing key? Type the key's "
                "passphrase.",
                "Sign {n} pending certificates with this PC's issuing key? Type the key's "
                "passphrase.",
                waiting,
            ).format(n=waiting),
            _("Sign"),
            submit,
        )

    def _signed(self, signed: Any) -> None:
        self.refresh()
        self._said(
            ngettext("{n} certificate signed.", "{n} certificates signed.", len(signed)).format(
                n=len(signed)
            )
        )

    def _failed_and_refresh(self, exc: Exception) -> None:
        self.refresh()
        self._failed(exc)

    def issue_cohort(self) -> None:
        from records.credentials.issuing import bulk_issue

        institution_id = self.cohort.currentData()
        if not self._admin():
            return
        if institution_id is None:
            self._said(_("Choose the institution first."))
            return
        db, actor = self.ctx.db, self.ctx.user
        cases = {case.id: case for case in self.ctx.bank()}

        def done(result: Any) -> None:
            self.refresh()
            n = len(result.issued)
            self._said(
                ngettext(
                    "{n} certificate issued; it waits for your signature.",
                    "{n} certificates issued; they wait for your signature.",
                    n,
                ).format(n=n)
                if n
                else _("Everyone of this institution who passed already holds a certificate.")
            )

        run_with_progress(
            self,
            "issue_progress",
            _("Issuing certificates"),
            _("Issuing certificates to {name}…").format(name=self.cohort.currentText()),
            lambda progress, _cancelled: bulk_issue(
                db,
                actor,
                institution_id,
                cases=cases,
                progress=progress,  # type: ignore[arg-type]
            ),
            done,
            self._failed_and_refresh,
            cancellable=False,
        )

    def export_cohort(self) -> None:
        from records.credentials.registry import export_cohort

        if not self._admin():
            return
        institution_id = self.cohort.currentData()
        name = files.safe_file_name(_("Certificates-{name}").format(name=self.cohort.currentText()))
        target = files.choose_save_path(
            self, _("Export certificates as one ZIP"), f"{name}.zip", _(ZIP_FILTER)
        )
        if target is None:
            return
        db, actor = self.ctx.db, self.ctx.user

        def done(result: Any) -> None:
            if result.cancelled:
                self._said(_("Export cancelled; no file was written."))
                return
            message = ngettext(
                "{n} certificate written to {path}.",
                "{n} certificates written to {path}.",
                result.written,
            ).format(n=result.written, path=target)
            if result.skipped:
                message += " " + ngettext(
                    "{n} pending certificate was left out (not signed yet).",
                    "{n} pending certificates were left out (not signed yet).",
                    len(result.skipped),
                ).format(n=len(result.skipped))
            self._said(message)
            files.offer_folder(self, "saved_box", message, target)

        self.export_dialog = run_with_progress(
            self,
            "export_progress",
            _("Exporting certificates"),
            _("Writing the certificates to {name}…").format(name=target.name),
            lambda progress, cancelled: export_cohort(
                db, actor, institution_id, target, progress=progress, cancel=cancelled
            ),
            done,
            self._failed,
        )
