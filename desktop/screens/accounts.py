"""Administrator: the accounts on this PC — add people, change roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.widgets import Screen, error_label, read_only_table, show_error
from records.accounts import ROLE_LABELS, Role
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext


class AccountsScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.user_ids: list[str] = []
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.table = read_only_table("users_table", 4)

        self.form_box = QGroupBox()
        self.full_name = QLineEdit(objectName="new_full_name")
        self.username = QLineEdit(objectName="new_username")
        self.password = QLineEdit(objectName="new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox(objectName="new_role")
        self.add_button = QPushButton(objectName="add_user")
        self.error = error_label("accounts_error")
        self.message = QLabel(objectName="accounts_message")
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout(self.form_box)
        for label, field in zip(
            self.labels, (self.full_name, self.username, self.password, self.role), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(self.error)
        form.addRow(self.add_button)

        self.role_box = QGroupBox()
        self.change_role = QComboBox(objectName="change_role")
        self.change_button = QPushButton(objectName="apply_role")
        row = QHBoxLayout(self.role_box)
        row.addWidget(self.change_role, 1)
        row.addWidget(self.change_button)

        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addWidget(self.role_box)
        side.addWidget(self.message)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        self.add_button.clicked.connect(self._add)
        self.change_button.clicked.connect(self._change_role)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Accounts"))
        self.table.setHorizontalHeaderLabels([_("Name"), _("User name"), _("Role"), _("Status")])
        self.form_box.setTitle(_("Add a person"))
        self.role_box.setTitle(_("Change the selected person's role"))
        for label, text in zip(
            self.labels, [_("&Full name"), _("&User name"), _("&Password"), _("R&ole")], strict=True
        ):
            label.setText(text)
        self.add_button.setText(_("Add account"))
        self.change_button.setText(_("Apply"))
        for combo in (self.role, self.change_role):
            current = combo.currentData()
            combo.clear()
            for role in Role:
                combo.addItem(_(ROLE_LABELS[role]), str(role))
            if current:
                combo.setCurrentIndex(combo.findData(current))
        self.refresh()

    def refresh(self) -> None:
        from records.accounts import list_users

        users = list_users(self.ctx.db)
        self.user_ids = [u.id for u in users]
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            cells = [
                user.display_name,
                user.username,
                _(ROLE_LABELS[Role(user.role)]),
                _("active") if user.active else _("deactivated"),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def _add(self) -> None:
        from records.accounts import AccountError, create_user

        assert self.ctx.user is not None
        try:
            user = create_user(
                self.ctx.db,
                self.username.text(),
                self.full_name.text(),
                self.password.text(),
                self.role.currentData(),
                actor_id=self.ctx.user.id,
            )
        except AccountError as exc:
            show_error(self.error, str(exc))
            return
        show_error(self.error, "")
        for field in (self.full_name, self.username, self.password):
            field.clear()
        self.message.setText(_("Account '{name}' added.").format(name=user.username))
        self.refresh()

    def _change_role(self) -> None:
        from records.accounts import AccountError, change_role

        row = self.table.currentRow()
        if row < 0 or self.ctx.user is None:
            self.message.setText(_("Select a person in the table first."))
            return
        try:
            change_role(
                self.ctx.db, self.ctx.user, self.user_ids[row], self.change_role.currentData()
            )
        except AccountError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(_("Role changed."))
        self.refresh()
