"""The people on this PC: a table, and a form that adds a person or edits the selected
one (name, professional details, role), with reset-password and deactivate actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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
    QWidget,
)

from desktop.screens.people.dialogs import ResetPasswordDialog
from desktop.screens.people.places import fill_institutions
from desktop.widgets import ask, error_label, read_only_table, show_error
from records.accounts import ROLE_LABELS, AccountError, Role
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.tables import User

_FORM_FIELDS = ("full_name", "username", "password", "role", "number", "place", "dept", "title")


class PeoplePanel(QWidget):
    """Table of accounts and the form beside it; ``import_requested`` opens the cohort
    import."""

    import_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.users: list[User] = []
        self.editing: User | None = None
        self.search = QLineEdit(objectName="people_search")
        self.search.setClearButtonEnabled(True)
        self.table = read_only_table("users_table", 6, stretch=3)
        self.import_button = QPushButton(objectName="import_cohort")
        self.new_button = QPushButton(objectName="new_person")

        self._build_form()
        self.actions_box = QGroupBox(objectName="person_actions")
        self.reset_button = QPushButton(objectName="reset_password")
        self.active_button = QPushButton(objectName="toggle_active")
        actions = QHBoxLayout(self.actions_box)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.active_button)
        self.message = QLabel(objectName="accounts_message")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.table, 1)
        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addWidget(self.actions_box)
        side.addWidget(self.message)
        side.addStretch(1)
        body = QHBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(left, 3)
        body.addLayout(side, 2)

        self.search.textChanged.connect(self._filter)
        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.start_new)
        self.add_button.clicked.connect(self._save)
        self.reset_button.clicked.connect(self._reset_password)
        self.active_button.clicked.connect(self._toggle_active)
        self.import_button.clicked.connect(self.import_requested)

    def _build_form(self) -> None:
        """The person form: empty to add someone, filled to edit the selected person."""
        self.form_box = QGroupBox(objectName="person_form")
        self.full_name = QLineEdit(objectName="new_full_name")
        self.username = QLineEdit(objectName="new_username")
        self.password = QLineEdit(objectName="new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox(objectName="new_role")
        self.number = QLineEdit(objectName="practising_number")
        self.place = QComboBox(objectName="institution")
        self.dept = QLineEdit(objectName="department")
        self.title = QLineEdit(objectName="job_title")
        self.add_button = QPushButton(objectName="add_user")
        self.error = error_label("accounts_error")
        self.labels = [QLabel() for _name in _FORM_FIELDS]
        form = QFormLayout(self.form_box)
        for label, name in zip(self.labels, _FORM_FIELDS, strict=True):
            field = getattr(self, name)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(self.error)
        form.addRow(self.add_button)

    # -- labels and data ------------------------------------------------------------------
    def retranslate(self) -> None:
        """Re-label everything in the current language and redraw the table."""
        self.search.setPlaceholderText(_("Search by name, user name or practising number"))
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("User name"), _("Role"), _("Institution"), _("Practising number"),
             _("Status")]
        )  # fmt: skip
        self.new_button.setText(_("&New person"))
        self.import_button.setText(_("&Import a cohort…"))
        texts = [
            _("&Full name"),
            _("&User name"),
            _("&Password"),
            _("R&ole"),
            _("Practising &number"),
            _("&Institution"),
            _("&Department"),
            _("&Title"),
        ]
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.actions_box.setTitle(_("Selected person"))
        self.reset_button.setText(_("&Reset password…"))
        current = self.role.currentData()
        self.role.clear()
        for role in Role:
            self.role.addItem(_(ROLE_LABELS[role]), str(role))
        if current:
            self.role.setCurrentIndex(self.role.findData(current))
        self.refresh()

    def refresh(self) -> None:
        """Reload accounts and institutions; keep the person being edited selected."""
        from records.institutions import list_institutions
        from records.people import list_people

        self.users = list_people(self.ctx.db, self.ctx.user)
        places = {i.id: i.name_zh for i in list_institutions(self.ctx.db)}
        fill_institutions(self.place, self.ctx.db, _("(none)"))
        editing = self.editing.id if self.editing else None
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = [
                user.display_name,
                user.username,
                _(ROLE_LABELS[Role(user.role)]),
                places.get(user.institution_id or "", ""),
                user.practising_number or "",
                _("active") if user.active else _("deactivated"),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if user.id == editing:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._filter(self.search.text())
        self._show_person(next((u for u in self.users if u.id == editing), None))

    def select_user(self, username: str) -> None:
        """Select a person by user name (keyboard users reach it through the search)."""
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)
                return

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, user in enumerate(self.users):
            hay = f"{user.display_name} {user.username} {user.practising_number or ''}".lower()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_person(self.users[rows[0].row()] if rows else None)

    def start_new(self) -> None:
        """Clear the selection and the form to add a person."""
        self.table.clearSelection()
        self._show_person(None)
        self.full_name.setFocus()

    def _show_person(self, user: User | None) -> None:
        self.editing = user
        show_error(self.error, "")
        self.username.setReadOnly(user is not None)
        self.password.setEnabled(user is None)
        self.actions_box.setEnabled(user is not None)
        if user is None:
            self.form_box.setTitle(_("Add a person"))
            self.add_button.setText(_("Add account"))
            for field in (self.full_name, self.username, self.password, self.number):
                field.clear()
            for field in (self.dept, self.title):
                field.clear()
            self.place.setCurrentIndex(0)
            self.active_button.setText(_("&Deactivate"))
            return
        self.form_box.setTitle(_("Edit {name}").format(name=user.display_name))
        self.add_button.setText(_("&Save changes"))
        self.full_name.setText(user.display_name)
        self.username.setText(user.username)
        self.password.clear()
        self.role.setCurrentIndex(self.role.findData(user.role))
        self.number.setText(user.practising_number or "")
        self.place.setCurrentIndex(max(0, self.place.findData(user.institution_id or "")))
        self.dept.setText(user.department or "")
        self.title.setText(user.title or "")
        self.active_button.setText(_("&Deactivate") if user.active else _("Re&activate"))

    # -- actions ----------------------------------------------------------------------------
    def _details(self):  # type: ignore[no-untyped-def]
        from records.people import PersonDetails

        return PersonDetails(
            display_name=self.full_name.text(),
            practising_number=self.number.text(),
            institution_id=self.place.currentData() or None,
            department=self.dept.text(),
            title=self.title.text(),
        )

    def _save(self) -> None:
        from records import people

        role = self.role.currentData()
        try:
            if self.editing is None:
                user = people.create_person(
                    self.ctx.db, self.ctx.user, self.username.text(), self.password.text(),
                    role, self._details(),
                )  # fmt: skip
                done = _("Account '{name}' added.").format(name=user.username)
            else:
                user = people.update_person(
                    self.ctx.db, self.ctx.user, self.editing.id, self._details(), role=role
                )
                done = _("Changes to {name} saved.").format(name=user.display_name)
        except AccountError as exc:
            show_error(self.error, str(exc))
            return
        self.message.setText(done)
        self.editing = user if self.editing is not None else None
        self.refresh()

    def _reset_password(self) -> None:
        if self.editing is None:
            return
        user = self.editing
        dialog = ResetPasswordDialog(self, user.display_name)

        def apply(password: str) -> str | None:
            from records.people import reset_password

            try:
                reset_password(self.ctx.db, self.ctx.user, user.id, password)
            except AccountError as exc:
                return str(exc)
            self.message.setText(
                _("{name} has a temporary password and must choose a new one at sign-in.").format(
                    name=user.display_name
                )
            )
            return None

        dialog.submitted = apply
        dialog.open()

    def _toggle_active(self) -> None:
        if self.editing is None:
            return
        user = self.editing
        if not user.active:
            self._set_active(user.id, True)
            return
        ask(
            self,
            "deactivate_box",
            _("Deactivate account"),
            _(
                "{name} will no longer be able to sign in. Their records and certificates "
                "are kept, and you can reactivate the account later."
            ).format(name=user.display_name),
            (_("Deactivate"), _("Cancel")),
            lambda: self._set_active(user.id, False),
            default_yes=False,
        )

    def _set_active(self, user_id: str, active: bool) -> None:
        from records.people import set_active

        try:
            user = set_active(self.ctx.db, self.ctx.user, user_id, active)
        except AccountError as exc:
            self.message.setText(str(exc))
            return
        text = _("{name} was reactivated.") if active else _("{name} was deactivated.")
        self.message.setText(text.format(name=user.display_name))
        self.editing = user
        self.refresh()
