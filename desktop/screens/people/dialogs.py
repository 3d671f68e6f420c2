"""Small dialogs of the people screen: an administrator sets a temporary password; a
person replaces a temporary password at sign-in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import error_label, show_error
from xiangyi.i18n import _

# Returns None when the password was accepted, else the translated reason.
Submit = Callable[[str], "str | None"]


class ResetPasswordDialog(QDialog):
    """Shows a generated temporary password (editable) to read out or write down."""

    def __init__(self, parent: QWidget, name: str) -> None:
        from records.people import temporary_password

        super().__init__(parent, objectName="reset_password_dialog")
        self.submitted: Submit = lambda _password: None
        self.setWindowTitle(_("Reset password"))
        intro = QLabel(
            _(
                "Give {name} this temporary password. They must choose their own password "
                "when they next sign in."
            ).format(name=name)
        )
        intro.setWordWrap(True)
        self.password = QLineEdit(temporary_password(), objectName="temporary_password")
        self.error = error_label("reset_error")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Set password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("reset_ok")
        cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("reset_cancel")
        form = QFormLayout()
        form.addRow(_("Temporary password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    def _submit(self) -> None:
        problem = self.submitted(self.password.text())
        if problem:
            show_error(self.error, problem)
            return
        self.accept()


class ChangePasswordDialog(QDialog):
    """Asked right after signing in with a temporary password; cannot be skipped."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, objectName="change_password_dialog")
        self.submitted: Submit = lambda _password: None
        self.setWindowTitle(_("Choose your password"))
        intro = QLabel(
            _("You signed in with a temporary password. Choose your own password to continue.")
        )
        intro.setWordWrap(True)
        self.password = QLineEdit(objectName="own_password")
        self.confirm = QLineEdit(objectName="own_password_again")
        for field in (self.password, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label("change_password_error")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Save password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("change_password_ok")
        self.sign_out = self.buttons.addButton(
            _("Sign out"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.sign_out.setObjectName("change_password_sign_out")
        form = QFormLayout()
        form.addRow(_("New password"), self.password)
        form.addRow(_("Repeat the new password"), self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._submit)

    def reject(self) -> None:
        """Escape does not skip the change: the temporary password must be replaced."""

    def _submit(self) -> None:
        if self.password.text() != self.confirm.text():
            show_error(self.error, _("The two passwords differ."))
            return
        problem = self.submitted(self.password.text())
        if problem:
            show_error(self.error, problem)
            return
        self.accept()
