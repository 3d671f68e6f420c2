"""First start: create the first administrator account."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.theme import heading
from desktop.widgets import Screen, error_label, show_error
from xiangyi.i18n import _


class FirstAdminScreen(Screen):
    """``created`` carries the new administrator."""

    created = Signal(object)

    def __init__(self, create: Callable[[str, str, str], object]) -> None:
        super().__init__()
        self.create = create
        self.title = QLabel()
        heading(self.title, 18)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.full_name = QLineEdit(objectName="full_name")
        self.username = QLineEdit(objectName="admin_username")
        self.password = QLineEdit(objectName="admin_password")
        self.confirm = QLineEdit(objectName="admin_confirm")
        for field in (self.password, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label("first_admin_error")
        self.create_button = QPushButton(objectName="create_admin")
        self.create_button.setDefault(True)
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        for label, field in zip(
            self.labels, (self.full_name, self.username, self.password, self.confirm), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        box = QWidget()
        box.setMaximumWidth(480)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.create_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.create_button.clicked.connect(self._submit)
        self.confirm.returnPressed.connect(self._submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Welcome — set up Xiangyi"))
        self.intro.setText(
            _(
                "This computer has no accounts yet. Create the administrator account first; "
                "the administrator then adds the doctors and trainers."
            )
        )
        texts = [_("&Full name"), _("&User name"), _("&Password"), _("&Repeat password")]
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.create_button.setText(_("Create administrator"))

    def _submit(self) -> None:
        from records.accounts import AccountError

        if self.password.text() != self.confirm.text():
            show_error(self.error, _("The two passwords are different."))
            return
        try:
            user = self.create(self.username.text(), self.full_name.text(), self.password.text())
        except AccountError as exc:
            show_error(self.error, str(exc))
            return
        show_error(self.error, "")
        self.created.emit(user)
