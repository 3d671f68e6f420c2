"""Login screen: user name, password, clear messages, lock-out handled by the core."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.theme import heading
from desktop.widgets import Screen, error_label, show_error
from xiangyi.i18n import _


class LoginScreen(Screen):
    """Asks for credentials; ``logged_in`` carries the authenticated user."""

    logged_in = Signal(object)

    def __init__(self, authenticate: Callable[[str, str], object] | None = None) -> None:
        super().__init__()
        self.authenticate = authenticate
        self.title = QLabel()
        self.title.setObjectName("login_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading(self.title, 22)
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in = QPushButton()
        self.sign_in.setObjectName("sign_in")
        self.sign_in.setDefault(True)
        self.sign_in.setAutoDefault(True)
        self.status = QLabel()
        self.status.setObjectName("login_status")
        self.error = error_label("login_error")

        form = QFormLayout()
        self.user_label = QLabel()
        self.pass_label = QLabel()
        self.user_label.setBuddy(self.username)
        self.pass_label.setBuddy(self.password)
        form.addRow(self.user_label, self.username)
        form.addRow(self.pass_label, self.password)

        box = QWidget()
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(16)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.sign_in)
        inner.addWidget(self.status)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.sign_in.clicked.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.set_ready(authenticate)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Xiangyi · AI skills for village doctors"))
        self.subtitle.setText(
            _("Practise reading clinical AI outputs and deciding when to trust them.")
        )
        self.user_label.setText(_("&User name"))
        self.pass_label.setText(_("&Password"))
        self.username.setPlaceholderText(_("e.g. wang.li"))
        self.sign_in.setText(_("Sign in"))
        if self.authenticate is None:
            self.status.setText(_("Opening the database…"))

    def set_ready(self, authenticate: Callable[[str, str], object] | None) -> None:
        """Enable signing in once the database is open."""
        self.authenticate = authenticate
        self.sign_in.setEnabled(authenticate is not None)
        self.status.setText("" if authenticate else _("Opening the database…"))
        self.status.setVisible(authenticate is None)

    def reset(self) -> None:
        self.password.clear()
        show_error(self.error, "")
        self.username.setFocus()

    def _submit(self) -> None:
        if self.authenticate is None:
            return
        from records.accounts import LoginError

        try:
            user = self.authenticate(self.username.text(), self.password.text())
        except LoginError as exc:
            show_error(self.error, str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        show_error(self.error, "")
        self.password.clear()
        self.logged_in.emit(user)
