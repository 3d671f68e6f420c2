"""The main window: login, first start, and role-based navigation between screens."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop.display_menu import DisplayButton
from desktop.screens.login import LoginScreen
from desktop.workspace import NAV, WorkspaceFlows
from xiangyi import i18n
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.activity import ActivityMonitor
    from desktop.context import AppContext
    from records.tables import User

_log = logging.getLogger(__name__)


def open_context(data_dir: Path, db_url: str | None) -> AppContext:
    """Open the database; case packs load later, when a screen first needs them.

    An installed build first checks that its built-in files are all there (sizes against
    the build's manifest, about a millisecond); xiangyi.installation.DamagedInstallation
    says which are missing or damaged.
    """
    from desktop.context import AppContext
    from records import settings
    from records.db import open_database
    from xiangyi.installation import require_intact

    require_intact()
    db = open_database(data_dir, db_url)
    ctx = AppContext(data_dir=data_dir, db=db)
    ctx.saved_language = settings.get(db, "ui_language")
    return ctx


class MainWindow(WorkspaceFlows, QMainWindow):
    """``ready`` is emitted once the database is open and the first screen is usable."""

    ready = Signal()

    def __init__(
        self, data_dir: Path, db_url: str | None = None, *, language_forced: bool = False
    ) -> None:
        super().__init__()
        self.language_forced = language_forced
        self.activity: ActivityMonitor | None = None
        self.data_dir = data_dir
        self.db_url = db_url
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}
        self.setMinimumSize(1024, 640)
        self.resize(1366, 768)

        self.toolbar = QToolBar(objectName="top_bar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.app_label = QLabel(objectName="app_label")
        self.app_label.setStyleSheet("font-weight: 600; padding: 0 8px;")
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.user_label = QLabel(objectName="user_label")
        self.language = QComboBox(objectName="language")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.sign_out = QPushButton(objectName="sign_out")
        self.display = DisplayButton()
        for widget in (self.app_label, spacer, self.user_label, self.display, self.language):
            self.toolbar.addWidget(widget)
        # A widget in a tool bar is shown or hidden through its action.
        self.sign_out_action = self.toolbar.addWidget(self.sign_out)
        self.sign_out_action.setVisible(False)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.login = LoginScreen()
        self.stack.addWidget(self.login)
        self.workspace = QWidget(objectName="workspace")
        self.nav = QListWidget(objectName="nav")
        self.nav.setFixedWidth(180)
        self.pages_stack = QStackedWidget(objectName="pages")
        row = QHBoxLayout(self.workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages_stack, 1)
        self.stack.addWidget(self.workspace)

        self.language.currentIndexChanged.connect(self._language_chosen)
        self.display.changed.connect(self._display_chosen)
        self.sign_out.clicked.connect(self.log_out)
        self.login.logged_in.connect(self.logged_in)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.retranslate()

    # -- start-up ---------------------------------------------------------------------------
    def open_database(self) -> None:
        """Open the database just after the window has painted.

        On the UI thread on purpose: importing the storage stack on a worker thread
        cost ~40 MiB more peak memory (a second malloc arena) for no visible gain,
        since nobody types in the first second.
        """

        def work() -> None:
            try:
                ctx = open_context(self.data_dir, self.db_url)
            except Exception as exc:
                _log.exception("Opening the database failed")
                self.database_failed(exc)
            else:
                self.database_ready(ctx)

        QTimer.singleShot(0, work)

    def database_ready(self, ctx: AppContext) -> None:
        from records import accounts

        self.ctx = ctx
        ctx.activity = self.activity
        self._restore_display()
        saved = ctx.saved_language
        if saved and saved != i18n.current_language() and not self.language_forced:
            self.language.setCurrentIndex(self.language.findData(saved))
        if accounts.needs_first_admin(ctx.db):
            from desktop.screens.first_admin import FirstAdminScreen

            screen = FirstAdminScreen(
                lambda u, n, p: accounts.create_user(ctx.db, u, n, p, accounts.Role.ADMIN)
            )
            screen.created.connect(self._first_admin_created)
            self.first_admin = screen
            self.stack.addWidget(screen)
            self.stack.setCurrentWidget(screen)
            screen.full_name.setFocus()
        else:
            self.login.set_ready(lambda u, p: accounts.authenticate(ctx.db, u, p))
            self.login.username.setFocus()
        self.ready.emit()

    def database_failed(self, exc: Exception) -> None:
        from desktop.startup_problems import handle_storage_problem

        if handle_storage_problem(self, exc, self.data_dir):
            self.open_database()
        else:
            self.close()

    def _first_admin_created(self, user: User) -> None:
        from records import accounts

        assert self.ctx is not None
        self.login.set_ready(lambda u, p: accounts.authenticate(self.ctx.db, u, p))  # type: ignore[union-attr]
        self.stack.setCurrentWidget(self.login)
        self.login.username.setText(user.username)
        self.login.password.setFocus()

    # -- session ----------------------------------------------------------------------------
    def logged_in(self, user: User) -> None:
        assert self.ctx is not None
        self.ctx.user = user
        self._build_pages(user.role)
        self.stack.setCurrentWidget(self.workspace)
        self.sign_out_action.setVisible(True)
        self.retranslate()
        self.nav.setCurrentRow(0)
        from desktop.screens.people.password_prompt import ask_new_password_if_needed

        ask_new_password_if_needed(self, self.ctx, self._offer_resume, self.log_out)

    def log_out(self) -> None:
        from records import audit

        if self.ctx is None or self.ctx.user is None:
            return
        with self.ctx.db.session() as session:
            audit.record(session, "logout", actor_id=self.ctx.user.id, subject=self.ctx.user.id)
        self.ctx.user = None
        if "exam" in self.pages:
            self.pages["exam"].stop_timers()  # type: ignore[attr-defined]
        for page in self.pages.values():
            self.pages_stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self.nav.clear()
        self.sign_out_action.setVisible(False)
        self.stack.setCurrentWidget(self.login)
        self.login.reset()
        self.retranslate()

    # -- display ----------------------------------------------------------------------------
    def _display_chosen(self, scale: int, high_contrast: bool) -> None:
        from desktop.theme import apply

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply(app, scale, high_contrast)
        if self.ctx is not None:
            from records import settings

            settings.put(self.ctx.db, "font_scale", str(scale))
            settings.put(self.ctx.db, "high_contrast", "1" if high_contrast else "0")

    def _restore_display(self) -> None:
        from records import settings

        assert self.ctx is not None
        scale = int(settings.get(self.ctx.db, "font_scale") or 100)
        high_contrast = settings.get(self.ctx.db, "high_contrast") == "1"
        if scale != 100 or high_contrast:
            self.display.set_state(scale, high_contrast)
            self._display_chosen(scale, high_contrast)

    # -- language ---------------------------------------------------------------------------
    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if code and code != i18n.current_language():
            i18n.set_language(code)
            if self.ctx is not None:
                from records import settings

                settings.put(self.ctx.db, "ui_language", code)
        self.retranslate()

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Xiangyi — clinical AI training"))
        self.app_label.setText(_("Xiangyi"))
        self.sign_out.setText(_("Sign out"))
        user = self.ctx.user if self.ctx else None
        if user is not None:
            from records.accounts import ROLE_LABELS, Role

            role = _(ROLE_LABELS[Role(user.role)])
            self.user_label.setText(f"{user.display_name} · {role}  ")
            for row, (_key, label) in enumerate(NAV[user.role]):
                item = self.nav.item(row)
                if item is not None:
                    item.setText(_(label))
        else:
            self.user_label.setText("")
        self.user_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)
