"""My certificates (every role): one's own certificates with status and expiry, a reminder
before expiry, and saving the certificate PDF, the Open Badges JSON and the transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.screens.certificates.saving import Saver
from desktop.screens.certificates.words import holder_note, status_item
from desktop.theme import heading
from desktop.widgets import Screen, error_label, read_only_table
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.credentials.registry import CertificateRow


STATUS_COLUMN = 2


class MyCertificatesScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[CertificateRow] = []
        self.heading = QLabel()
        heading(self.heading, 16)
        self.reminder = QLabel(objectName="certificate_reminder", wordWrap=True)
        self.reminder.setStyleSheet(
            "background: #fff4d6; color: #5c3d00; padding: 8px; border-radius: 4px;"
        )
        self.reminder.setVisible(False)
        self.table = read_only_table("my_certificates_table", 5, stretch=0)
        self.note = QLabel(objectName="certificate_note", wordWrap=True)
        self.note.setStyleSheet("padding: 4px 0;")
        self.empty = QLabel(objectName="no_certificates", wordWrap=True)
        self.pdf_button = QPushButton(objectName="save_certificate_pdf")
        self.json_button = QPushButton(objectName="save_open_badge")
        self.transcript_button = QPushButton(objectName="save_transcript")
        self.status = QLabel(objectName="my_certificates_status", wordWrap=True)
        self.error = error_label("my_certificates_error")
        self.saver = Saver(self, ctx, self.status, self.error)
        buttons = QHBoxLayout()
        for button in (self.pdf_button, self.json_button, self.transcript_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.reminder)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.table.itemSelectionChanged.connect(self._selected)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.json_button.clicked.connect(self.save_json)
        self.transcript_button.clicked.connect(self.save_transcript)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("My certificates"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Certificate"),
                _("Verification code"),
                _("Status"),
                _("Valid from"),
                _("Valid until"),
            ]
        )
        self.empty.setText(
            _(
                "You have no certificate yet. Pass the certification exam to earn one; it "
                "appears here at once and can be saved once an administrator has signed it."
            )
        )
        self.pdf_button.setText(_("Save certificate (&PDF)…"))
        self.json_button.setText(_("Save Open Badges (&JSON)…"))
        self.transcript_button.setText(_("Save my &transcript (PDF)…"))
        self.refresh()

    def refresh(self) -> None:
        from records.credentials.registry import my_certificates

        if self.ctx.user is None:
            return
        selected = self.selected()
        self.rows = my_certificates(self.ctx.db, self.ctx.user)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            cells = [
                row.programme,
                row.code,
                row.status,
                row.credential.valid_from.isoformat(),
                row.credential.valid_until.isoformat(),
            ]
            for col, text in enumerate(cells):
                item = status_item(text) if col == STATUS_COLUMN else QTableWidgetItem(text)
                self.table.setItem(index, col, item)
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        self._fit_table()
        self._show_reminder()
        ids = [r.credential.id for r in self.rows]
        keep = (
            ids.index(selected.credential.id) if selected and selected.credential.id in ids else 0
        )
        if self.rows:
            self.table.selectRow(keep)
        self._selected()

    def _fit_table(self) -> None:
        """As tall as its rows (up to eight), so the buttons sit right below them."""
        shown = min(len(self.rows), 8)
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(i) for i in range(shown))
        self.table.setFixedHeight(height + 2)

    def _show_reminder(self) -> None:
        due = [r for r in self.rows if r.remind]
        if not due:
            self.reminder.setVisible(False)
            return
        soonest = min(due, key=lambda r: r.days_left)
        self.reminder.setText(
            ngettext(
                "Your certificate {code} expires in {n} day, on {date}. Plan your "
                "re-certification with your administrator.",
                "Your certificate {code} expires in {n} days, on {date}. Plan your "
                "re-certification with your administrator.",
                soonest.days_left,
            ).format(
                code=soonest.code,
                n=soonest.days_left,
                date=soonest.credential.valid_until.isoformat(),
            )
        )
        self.reminder.setVisible(True)

    def selected(self) -> CertificateRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _selected(self) -> None:
        row = self.selected()
        self.note.setText(holder_note(row) if row else "")
        for button in (self.pdf_button, self.json_button):
            button.setEnabled(row is not None and row.saveable)

    def save_pdf(self) -> None:
        row = self.selected()
        if row is not None and row.saveable:
            self.saver.certificate_pdf(row.credential)

    def save_json(self) -> None:
        row = self.selected()
        if row is not None and row.saveable:
            self.saver.open_badge(row.credential)

    def save_transcript(self) -> None:
        user = self.ctx.user
        if user is not None:
            self.saver.transcript(user.id, user.display_name)
