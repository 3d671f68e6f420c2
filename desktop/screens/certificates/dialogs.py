"""Small window-modal forms of the certificate screens: the issuing key's passphrase,
creating the key, and revoking with a reason. Non-blocking (``open()``), with named
children, so a keyboard, a screen reader and a test can drive them alike.

``submit(values)`` does the work and returns an error message to show in the form, or
None to close it. Being modal, a form cannot outlive a language switch, so it is
labelled once when built.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import error_label, show_error
from xiangyi.i18n import _

Submit = Callable[[dict[str, str]], str | None]


class FormDialog(QDialog):
    """Fields in a form, an inline error, and OK / Cancel named ``<name>_ok/_cancel``."""

    def __init__(
        self, parent: QWidget, name: str, title: str, intro: str, ok_text: str, submit: Submit
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.submit = submit
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.required: dict[str, str] = {}  # field -> what to say when it is left empty
        self.intro = QLabel(intro, objectName=f"{name}_intro", wordWrap=True)
        self.form = QFormLayout()
        self.error = error_label(f"{name}_error")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName(f"{name}_ok")
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName(f"{name}_cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(self.deleteLater)

    def add_line(
        self, key: str, label: str, *, secret: bool = False, required: str = ""
    ) -> QLineEdit:
        field = QLineEdit(objectName=f"{self.objectName()}_{key}")
        if required:
            self.required[key] = required
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        field.returnPressed.connect(self._accept)
        self._add(key, label, field)
        return field

    def add_text(self, key: str, label: str, *, required: str = "") -> QPlainTextEdit:
        field = QPlainTextEdit(objectName=f"{self.objectName()}_{key}")
        if required:
            self.required[key] = required
        field.setTabChangesFocus(True)
        field.setFixedHeight(field.fontMetrics().lineSpacing() * 4 + 12)
        self._add(key, label, field)
        return field

    def _add(self, key: str, label: str, field: QLineEdit | QPlainTextEdit) -> None:
        caption = QLabel(label)
        caption.setBuddy(field)
        self.form.addRow(caption, field)
        self.fields[key] = field
        if len(self.fields) == 1:
            field.setFocus()

    def values(self) -> dict[str, str]:
        return {
            key: field.text() if isinstance(field, QLineEdit) else field.toPlainText()
            for key, field in self.fields.items()
        }

    def _accept(self) -> None:
        values = self.values()
        empty = [message for key, message in self.required.items() if not values[key].strip()]
        problem = " ".join(empty) or self.submit(values)
        if problem:
            show_error(self.error, problem)
            self.adjustSize()  # room for the message, which may wrap
            return
        self.accept()


def passphrase_dialog(
    parent: QWidget, name: str, title: str, intro: str, ok_text: str, submit: Submit
) -> FormDialog:
    """Ask for the issuing key's passphrase (``values["passphrase"]``)."""
    dialog = FormDialog(parent, name, title, intro, ok_text, submit)
    dialog.add_line(
        "passphrase",
        _("Issuing key &passphrase"),
        secret=True,
        required=_("Please enter the issuing key's passphrase."),
    )
    dialog.open()
    return dialog


def create_key_dialog(parent: QWidget, submit: Submit) -> FormDialog:
    """Name the issuing institution and choose the passphrase (typed twice)."""
    dialog = FormDialog(
        parent,
        "create_key",
        _("Create the issuing key"),
        _(
            "Certificates are signed with your institution's key. Choose a passphrase of at "
            "least 10 characters and keep it safe: without it no certificate can be signed. "
            "The key stays on this PC, locked by the passphrase."
        ),
        _("Create the key"),
        submit,
    )
    dialog.add_line("name", _("Issuing institution (&Chinese)"))
    dialog.add_line("name_en", _("Issuing institution (&English)"))
    dialog.add_line("passphrase", _("&Passphrase"), secret=True)
    dialog.add_line("confirm", _("&Repeat the passphrase"), secret=True)
    dialog.open()
    return dialog


def revoke_dialog(
    parent: QWidget, holder: str, code: str, needs_key: bool, submit: Submit
) -> FormDialog:
    """Confirm a revocation: the reason is required; a signed certificate needs the key."""
    intro = _(
        "Revoke the certificate {code} of {name}? Anyone who checks it will be told it "
        "was revoked, with your reason. This cannot be undone."
    ).format(code=code, name=holder)
    dialog = FormDialog(
        parent, "revoke", _("Revoke a certificate"), intro, _("Revoke the certificate"), submit
    )
    dialog.add_text(
        "reason",
        _("&Reason (required)"),
        required=_("Give the reason for revoking (at most 500 characters)."),
    )
    if needs_key:
        dialog.add_line(
            "passphrase",
            _("Issuing key &passphrase"),
            secret=True,
            required=_("Please enter the issuing key's passphrase."),
        )
    dialog.ok.setDefault(False)
    dialog.cancel.setDefault(True)
    dialog.open()
    return dialog
