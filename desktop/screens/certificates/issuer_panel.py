"""Administrator: this PC's issuing key (create, export the public key), the issuers whose
certificates this PC accepts (add a public key file, remove), and the revocation list
(import from another PC, export for other PCs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop import files
from desktop.screens.certificates.dialogs import create_key_dialog
from desktop.screens.certificates.words import KEY_FILTER, message_for
from desktop.widgets import Screen, ask, error_label, read_only_table, show_error
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext


class IssuerPanel(Screen):
    """``changed`` is emitted when the key or the trusted issuers change."""

    changed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.fingerprints: list[str] = []
        self.key_box = QGroupBox(objectName="issuer_key_box")
        self.key_text = QLabel(objectName="issuer_key_text", wordWrap=True)
        self.create_button = QPushButton(objectName="create_issuer_key")
        self.export_button = QPushButton(objectName="export_public_key")
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.create_button)
        key_buttons.addWidget(self.export_button)
        key_buttons.addStretch(1)
        key_layout = QVBoxLayout(self.key_box)
        key_layout.addWidget(self.key_text)
        key_layout.addLayout(key_buttons)

        self.trust_box = QGroupBox(objectName="trusted_issuers_box")
        self.trust_intro = QLabel(wordWrap=True)
        self.trusted = read_only_table("trusted_issuers", 3, stretch=1)
        self.add_button = QPushButton(objectName="trust_issuer")
        self.remove_button = QPushButton(objectName="untrust_issuer")
        trust_buttons = QHBoxLayout()
        trust_buttons.addWidget(self.add_button)
        trust_buttons.addWidget(self.remove_button)
        trust_buttons.addStretch(1)
        trust_layout = QVBoxLayout(self.trust_box)
        trust_layout.addWidget(self.trust_intro)
        trust_layout.addWidget(self.trusted, 1)
        trust_layout.addLayout(trust_buttons)

        self.list_box = QGroupBox(objectName="revocation_list_box")
        self.list_intro = QLabel(wordWrap=True)
        self.import_button = QPushButton(objectName="import_revocations")
        self.export_list_button = QPushButton(objectName="export_revocations")
        list_layout = QHBoxLayout(self.list_box)
        list_layout.addWidget(self.list_intro, 1)
        list_layout.addWidget(self.import_button)
        list_layout.addWidget(self.export_list_button)

        self.message = QLabel(objectName="issuer_message", wordWrap=True)
        self.error = error_label("issuer_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.key_box)
        layout.addWidget(self.trust_box, 1)
        layout.addWidget(self.list_box)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.create_button.clicked.connect(self.create_key)
        self.export_button.clicked.connect(self.export_key)
        self.add_button.clicked.connect(self.add_issuer)
        self.remove_button.clicked.connect(self.remove_issuer)
        self.import_button.clicked.connect(self.import_revocations)
        self.export_list_button.clicked.connect(self.export_revocations)
        self.retranslate()

    def retranslate(self) -> None:
        self.key_box.setTitle(_("This PC's issuing key"))
        self.create_button.setText(_("Crea&te the issuing key…"))
        self.export_button.setText(_("E&xport the public key…"))
        self.trust_box.setTitle(_("Trusted issuers"))
        self.trust_intro.setText(
            _(
                "Certificates verify on this PC only when their issuer is listed here. To "
                "accept another institution's certificates, add its public key file and "
                "compare the fingerprint with them by phone."
            )
        )
        self.trusted.setHorizontalHeaderLabels([_("Issuer"), _("Fingerprint"), _("Added")])
        self.add_button.setText(_("&Add a public key file…"))
        self.remove_button.setText(_("Re&move"))
        self.list_box.setTitle(_("Revocation list"))
        self.list_intro.setText(
            _("Bring revocations made on another PC here, or take this PC's to others.")
        )
        self.import_button.setText(_("&Import a revocation list…"))
        self.export_list_button.setText(_("Export the revocation &list…"))
        self.refresh()

    def refresh(self) -> None:
        from records.credentials import issuer

        public = issuer.issuer_public_key(self.ctx.data_dir)
        if public is None:
            self.key_text.setText(
                _(
                    "This PC has no issuing key yet. Create it once, on the PC that signs "
                    "certificates; doctors' passes wait as pending certificates until then."
                )
            )
        else:
            self.key_text.setText(
                _(
                    "Issuer: {name}. Read the fingerprint shown at the top to anyone who needs "
                    "to trust this PC's certificates."
                ).format(name=public.name)
            )
        self.create_button.setEnabled(public is None)
        self.export_button.setEnabled(public is not None)
        rows = issuer.trusted_issuers(self.ctx.db)
        self.fingerprints = [row.fingerprint for row in rows]
        self.trusted.setRowCount(len(rows))
        own = public.fingerprint if public is not None else None
        for index, row in enumerate(rows):
            name = (
                _("{name} (this PC)").format(name=row.name) if row.fingerprint == own else row.name
            )
            cells = [name, row.fingerprint, row.added_at.strftime("%Y-%m-%d")]
            for col, text in enumerate(cells):
                self.trusted.setItem(index, col, QTableWidgetItem(text))

    def _done(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)
        self.refresh()
        self.changed.emit()

    def _failed(self, exc: Exception) -> None:
        self.message.setText("")
        show_error(self.error, message_for(exc))

    # -- the issuing key --------------------------------------------------------------------
    def create_key(self) -> None:
        from records.credentials.registry import create_key, require_admin

        try:
            require_admin(self.ctx.user)
        except Exception as exc:
            self._failed(exc)
            return

        def submit(values: dict[str, str]) -> str | None:
            if values["passphrase"] != values["confirm"]:
                return _("The two passphrases are different.")
            try:
                key = create_key(
                    self.ctx.db,
                    self.ctx.data_dir,
                    self.ctx.user,
                    values["name"],
                    values["name_en"],
                    values["passphrase"],
                )
            except Exception as exc:
                return message_for(exc)
            self._done(
                _("Issuing key created. Fingerprint: {fingerprint}").format(
                    fingerprint=key.fingerprint
                )
            )
            return None

        self.dialog = create_key_dialog(self, submit)

    def export_key(self) -> None:
        from records.credentials.registry import export_public_key

        target = files.choose_save_path(
            self, _("Export the issuing public key"), "issuer.public.json", _(KEY_FILTER)
        )
        if target is None:
            return
        try:
            export_public_key(self.ctx.data_dir, target)
        except Exception as exc:
            self._failed(exc)
            return
        self._done(_("Public key written to {path}.").format(path=target))
        files.offer_folder(self, "saved_box", self.message.text(), target)

    # -- trusted issuers --------------------------------------------------------------------
    def add_issuer(self) -> None:
        from records.credentials.registry import trust_file

        path = files.choose_open_path(self, _("Choose an issuer's public key"), _(KEY_FILTER))
        if path is None:
            return
        try:
            row = trust_file(self.ctx.db, self.ctx.user, path)
        except Exception as exc:
            self._failed(exc)
            return
        self._done(
            _("Certificates signed by {name} ({fingerprint}) are now accepted.").format(
                name=row.name, fingerprint=row.fingerprint
            )
        )

    def remove_issuer(self) -> None:
        from records.credentials.issuer import untrust_issuer
        from records.credentials.registry import is_own_key

        index = self.trusted.currentRow()
        if not 0 <= index < len(self.fingerprints):
            self.message.setText(_("Select an issuer in the table first."))
            return
        fingerprint = self.fingerprints[index]
        text = _(
            "Stop accepting certificates signed with the key {fingerprint}? They will show "
            "as from an unknown issuer on this PC."
        ).format(fingerprint=fingerprint)
        if is_own_key(self.ctx.data_dir, fingerprint):
            text += "\n\n" + _(
                "This is this PC's own issuing key: its certificates would no longer verify here."
            )

        def remove() -> None:
            try:
                row = untrust_issuer(self.ctx.db, self.ctx.user, fingerprint)  # type: ignore[arg-type]
            except Exception as exc:
                self._failed(exc)
                return
            self._done(_("The issuer {name} is no longer trusted.").format(name=row.name))

        ask(
            self,
            "untrust_box",
            _("Remove a trusted issuer"),
            text,
            (_("Remove"), _("Keep")),
            remove,
            default_yes=False,
        )

    # -- revocation list --------------------------------------------------------------------
    def import_revocations(self) -> None:
        from records.credentials.registry import import_revocations

        path = files.choose_open_path(
            self, _("Choose a revocation list"), _("Revocation lists (*.json)")
        )
        if path is None:
            return
        try:
            merged = import_revocations(self.ctx.db, self.ctx.user, path)
        except Exception as exc:
            self._failed(exc)
            return
        self._done(
            _("{added} new revocation(s), {known} already known, {rejected} refused.").format(
                added=merged.added, known=merged.known, rejected=merged.rejected
            )
        )

    def export_revocations(self) -> None:
        from records.credentials.registry import require_admin
        from records.credentials.revocation import export_list

        target = files.choose_save_path(
            self,
            _("Export the revocation list"),
            "revocations.json",
            _("Revocation lists (*.json)"),
        )
        if target is None:
            return
        try:
            require_admin(self.ctx.user)
            count = export_list(self.ctx.db, target)
        except Exception as exc:
            self._failed(exc)
            return
        self._done(_("{n} revocation(s) written to {path}.").format(n=count, path=target))
