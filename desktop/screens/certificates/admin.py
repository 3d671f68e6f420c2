"""Administrator: the certificate registry. The issuing key's fingerprint and the pending
certificates stay in view above two tabs: the registry (search, verify, save, re-certify,
revoke, and a cohort's bulk issue and ZIP export) and the key with trusted issuers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.screens.certificates.batch import BatchActions
from desktop.screens.certificates.dialogs import revoke_dialog
from desktop.screens.certificates.issuer_panel import IssuerPanel
from desktop.screens.certificates.saving import Saver
from desktop.screens.certificates.words import (
    STATUS_LABELS,
    message_for,
    status_item,
    status_label,
)
from desktop.theme import heading
from desktop.widgets import Screen, ask, error_label, read_only_table, show_error
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.credentials.registry import CertificateRow
    from records.tables import Institution


STATUS_COLUMN = 3


class CertificateAdminScreen(BatchActions, Screen):
    """``verify_requested`` carries a verification code to check on the verify screen."""

    verify_requested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[CertificateRow] = []
        self.institutions: list[Institution] = []
        self.heading = QLabel()
        heading(self.heading, 16)
        self.key_strip = QFrame(objectName="issuer_strip")
        # A palette, not a style sheet: a style sheet here would keep the strip's labels
        # and button from following the app's font size.
        self.key_strip.setFrameShape(QFrame.Shape.StyledPanel)
        self.key_strip.setAutoFillBackground(True)
        palette = self.key_strip.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#eef3fb"))
        self.key_strip.setPalette(palette)
        self.key_caption = QLabel(objectName="issuer_caption")
        self.fingerprint = QLabel(objectName="issuer_fingerprint", wordWrap=True)
        self.fingerprint.setStyleSheet("font-family: monospace; font-size: 14pt; font-weight: 700;")
        self.pending = QLabel(objectName="pending_count")
        self.pending.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.sign_button = QPushButton(objectName="sign_pending")
        strip = QGridLayout(self.key_strip)
        strip.addWidget(self.key_caption, 0, 0)
        strip.addWidget(self.fingerprint, 1, 0)
        strip.addWidget(self.pending, 0, 1)
        strip.addWidget(self.sign_button, 1, 1, Qt.AlignmentFlag.AlignRight)
        strip.setColumnStretch(0, 1)

        self.search = QLineEdit(objectName="certificate_search")
        self.search.setClearButtonEnabled(True)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.institution = QComboBox(objectName="certificate_institution")
        self.status = QComboBox(objectName="certificate_status")
        filters = QHBoxLayout()
        filters.addWidget(self.search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.institution, 1)
        filters.addWidget(self.status, 1)
        self.table = read_only_table("certificate_registry", 6, stretch=2)
        self.verify_button = QPushButton(objectName="registry_verify")
        self.pdf_button = QPushButton(objectName="registry_save_pdf")
        self.json_button = QPushButton(objectName="registry_save_json")
        self.renew_button = QPushButton(objectName="registry_renew")
        self.revoke_button = QPushButton(objectName="registry_revoke")
        actions = QHBoxLayout()
        for button in (self.verify_button, self.pdf_button, self.json_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.renew_button)
        actions.addWidget(self.revoke_button)
        self.cohort_box = QGroupBox(objectName="cohort_box")
        self.cohort = QComboBox(objectName="cohort_institution")
        self.issue_button = QPushButton(objectName="cohort_issue")
        self.export_button = QPushButton(objectName="cohort_export")
        cohort = QHBoxLayout(self.cohort_box)
        cohort.addWidget(self.cohort, 1)
        cohort.addWidget(self.issue_button)
        cohort.addWidget(self.export_button)
        registry_page = QWidget()
        page = QVBoxLayout(registry_page)
        page.addLayout(filters)
        page.addWidget(self.table, 1)
        page.addLayout(actions)
        page.addWidget(self.cohort_box)

        self.issuer_panel = IssuerPanel(ctx)
        self.tabs = QTabWidget(objectName="certificate_tabs")
        self.tabs.addTab(registry_page, "")
        self.tabs.addTab(self.issuer_panel, "")
        self.message = QLabel(objectName="registry_message", wordWrap=True)
        self.error = error_label("registry_error")
        self.saver = Saver(self, ctx, self.message, self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.key_strip)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)

        self.search.textChanged.connect(self._fill)
        self.institution.currentIndexChanged.connect(self._fill)
        self.status.currentIndexChanged.connect(self._fill)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(self.verify_selected)
        self.sign_button.clicked.connect(self.sign_pending)
        self.verify_button.clicked.connect(self.verify_selected)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.json_button.clicked.connect(self.save_json)
        self.renew_button.clicked.connect(self.renew)
        self.revoke_button.clicked.connect(self.revoke)
        self.issue_button.clicked.connect(self.issue_cohort)
        self.export_button.clicked.connect(self.export_cohort)
        self.issuer_panel.changed.connect(self._show_key)
        self.retranslate()

    # -- language ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(_("Manage certificates"))
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Name, practising number, institution or code"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Name"),
                _("Verification code"),
                _("Institution"),
                _("Status"),
                _("Valid from"),
                _("Valid until"),
            ]
        )
        self.verify_button.setText(_("&Verify"))
        self.pdf_button.setText(_("Save &PDF…"))
        self.json_button.setText(_("Save &JSON…"))
        self.renew_button.setText(_("Re-&certify…"))
        self.revoke_button.setText(_("&Revoke…"))
        self.cohort_box.setTitle(_("A whole institution"))
        self.issue_button.setText(_("&Issue to everyone who passed"))
        self.export_button.setText(_("&Export all as ZIP…"))
        self.tabs.setTabText(0, _("Registry"))
        self.tabs.setTabText(1, _("Issuing &key and trusted issuers"))
        self.refresh()

    def _fill_choices(self) -> None:
        from records.institutions import list_institutions

        self.institutions = list_institutions(self.ctx.db)
        for combo, everyone in (
            (self.institution, _("All institutions")),
            (self.cohort, _("All institutions")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for institution in self.institutions:
                combo.addItem(institution_name(institution), institution.id)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("Every status"), None)
        for key in STATUS_LABELS:
            self.status.addItem(status_label(key), key)
        self.status.setCurrentIndex(max(0, self.status.findData(current)) if current else 0)
        self.status.blockSignals(False)

    # -- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_choices()  # institutions may have been added since
        self._show_key()
        self._fill()
        self.issuer_panel.refresh()

    def _show_key(self) -> None:
        from records.credentials import issuer
        from records.credentials.registry import pending_count

        public = issuer.issuer_public_key(self.ctx.data_dir)
        if public is None:
            self.key_caption.setText(_("No issuing key on this PC yet"))
            self.fingerprint.setText(_("Create it under “Issuing key and trusted issuers”."))
        else:
            self.key_caption.setText(
                _("Issuing key of {name} — fingerprint:").format(name=public.name)
            )
            self.fingerprint.setText(public.fingerprint)
        waiting = pending_count(self.ctx.db)
        self.pending.setText(
            ngettext(
                "{n} certificate is waiting for your signature.",
                "{n} certificates are waiting for your signature.",
                waiting,
            ).format(n=waiting)
        )
        self.sign_button.setText(_("Si&gn pending certificates…"))
        self.sign_button.setEnabled(waiting > 0 and public is not None)

    def _fill(self) -> None:
        from records.credentials.registry import search

        selected = self.selected()
        try:
            self.rows = search(
                self.ctx.db,
                self.ctx.user,
                text=self.search.text(),
                institution_id=self.institution.currentData(),
                status=self.status.currentData(),
            )
        except Exception as exc:
            self.rows = []
            show_error(self.error, message_for(exc))
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            credential = row.credential
            cells = [
                credential.holder_name,
                row.code,
                credential.institution_name,
                row.status,
                credential.valid_from.isoformat(),
                credential.valid_until.isoformat(),
            ]
            for col, text in enumerate(cells):
                item = status_item(text) if col == STATUS_COLUMN else QTableWidgetItem(text)
                self.table.setItem(index, col, item)
        ids = [r.credential.id for r in self.rows]
        if selected is not None and selected.credential.id in ids:
            self.table.selectRow(ids.index(selected.credential.id))
        self._selected()

    def selected(self) -> CertificateRow | None:
        index = self.table.currentRow()
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def select_code(self, code: str) -> None:
        """Select the row of a verification code (as a click would)."""
        for index, row in enumerate(self.rows):
            if row.code == code or row.credential.code == code:
                self.table.selectRow(index)
                return

    def _selected(self) -> None:
        row = self.selected()
        self.verify_button.setEnabled(row is not None and row.signed)
        self.pdf_button.setEnabled(row is not None and row.saveable)
        self.json_button.setEnabled(row is not None and row.saveable)
        self.renew_button.setEnabled(row is not None and row.renewable)
        self.revoke_button.setEnabled(row is not None and row.revocable)

    def _said(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)

    def _failed(self, exc: Exception) -> None:
        self.message.setText("")
        show_error(self.error, message_for(exc))

    def _admin(self) -> bool:
        """Whether the signed-in user may act here (the core refuses anyone else)."""
        from records.credentials.registry import require_admin

        try:
            require_admin(self.ctx.user)
        except Exception as exc:
            self._failed(exc)
            return False
        return True

    # -- one certificate --------------------------------------------------------------------
    def verify_selected(self) -> None:
        row = self.selected()
        if row is not None and row.signed:
            self.verify_requested.emit(row.code)

    def save_pdf(self) -> None:
        row = self.selected()
        if self._admin() and row is not None:
            self.saver.certificate_pdf(row.credential)

    def save_json(self) -> None:
        row = self.selected()
        if self._admin() and row is not None:
            self.saver.open_badge(row.credential)

    def renew(self) -> None:
        from records.credentials.issuing import renew

        row = self.selected()
        if not self._admin() or row is None:
            return
        credential = row.credential

        def confirmed() -> None:
            cases = {case.id: case for case in self.ctx.bank()}
            try:
                new = renew(self.ctx.db, self.ctx.user, credential.id, cases=cases)  # type: ignore[arg-type]
            except Exception as exc:
                self._failed(exc)
                return
            self.refresh()
            self._said(
                _(
                    "New certificate {code} for {name} recorded from today, with the current "
                    "levels. It replaces {old} and waits for your signature."
                ).format(code=registry_code(new.code), name=new.holder_name, old=row.code)
            )

        ask(
            self,
            "renew_box",
            _("Re-certify"),
            _(
                "Issue {name} a new certificate from today, with their current competency "
                "levels? It replaces {code}."
            ).format(name=credential.holder_name, code=row.code),
            (_("Re-certify"), _("Cancel")),
            confirmed,
        )

    def revoke(self) -> None:
        from records.credentials.issuer import unlock
        from records.credentials.revocation import revoke

        row = self.selected()
        if not self._admin() or row is None:
            return
        credential = row.credential

        def submit(values: dict[str, str]) -> str | None:
            try:
                key = unlock(self.ctx.data_dir, values["passphrase"]) if row.signed else None
                revoke(self.ctx.db, self.ctx.user, credential.id, values["reason"], key)  # type: ignore[arg-type]
            except Exception as exc:
                return message_for(exc)
            self.refresh()
            self._said(_("Certificate {code} revoked.").format(code=row.code))
            return None

        self.dialog = revoke_dialog(self, credential.holder_name, row.code, row.signed, submit)


def institution_name(institution: Institution) -> str:
    """The institution's name in the current language (Chinese when no English is set)."""
    from xiangyi.i18n import current_language

    if current_language() == "en" and institution.name_en:
        return institution.name_en
    return institution.name_zh


def registry_code(code: str) -> str:
    from records.credentials.encoding import format_code

    return format_code(code)
