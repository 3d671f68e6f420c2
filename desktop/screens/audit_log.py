"""Administrator: recent security-relevant events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.widgets import Screen, read_only_table
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext

EVENT_LABELS = {
    "login": N_("Signed in"),
    "login_failed": N_("Wrong user name or password"),
    "login_refused_locked": N_("Sign-in refused: account locked"),
    "login_refused_inactive": N_("Sign-in refused: account deactivated"),
    "account_locked": N_("Account locked after repeated failures"),
    "user_created": N_("Account created"),
    "role_changed": N_("Role changed"),
    "logout": N_("Signed out"),
    # Certificates (issue 9)
    "issuer_key_created": N_("Certificate issuing key created"),
    "issuer_trusted": N_("Issuer trusted"),
    "issuer_untrusted": N_("Issuer no longer trusted"),
    "credential_pending": N_("Certificate recorded, waiting for signature"),
    "credential_issued": N_("Certificate signed"),
    "credential_replaced": N_("Certificate replaced (re-certification)"),
    "credential_revoked": N_("Certificate revoked"),
    "revocations_imported": N_("Revocation list imported"),
    "certificates_exported": N_("Certificates exported as ZIP"),
}


class AuditLogScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.table = read_only_table("audit_table", 4, stretch=3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Security log"))
        self.table.setHorizontalHeaderLabels([_("Time (UTC)"), _("Event"), _("By"), _("Details")])
        self.refresh()

    def refresh(self) -> None:
        from records import audit
        from records.accounts import list_users

        names = {u.id: u.username for u in list_users(self.ctx.db)}
        with self.ctx.db.session() as session:
            events = audit.recent(session)
        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            label = EVENT_LABELS.get(event.event)
            subject = names.get(event.subject or "", event.subject or "")
            details = ", ".join(f"{k}={v}" for k, v in event.detail.items())
            cells = [
                event.at.strftime("%Y-%m-%d %H:%M:%S"),
                _(label) if label else event.event,
                names.get(event.actor_id or "", ""),
                f"{subject} {details}".strip(),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
