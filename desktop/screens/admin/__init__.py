"""The administrator's console pages besides accounts and certificates: backups, trust
and content (trainer keys and case packs), and assignments; plus the automatic backups
that run for every role while the app is open."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from desktop.screens.admin.assignments import AssignmentsScreen
from desktop.screens.admin.backups import BackupsScreen
from desktop.screens.admin.bundles import BundlesScreen
from desktop.screens.admin.content import ContentScreen
from desktop.tasks import run_in_background

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.backups import Restored

__all__ = ["AssignmentsScreen", "BackupsScreen", "ContentScreen", "admin_pages"]
_log = logging.getLogger(__name__)
# The start-up backup waits until the doctor is past the login (weak PCs, slow disks).
START_DELAY_MS = 2 * 60 * 1000
CHECK_EVERY_MS = 60 * 60 * 1000


def admin_pages(ctx: AppContext, window: Any) -> dict[str, QWidget]:
    """The pages by NAV key, wired to ``window`` (the main window): a restore reopens the
    database and signs out; a pack change reloads the content on the other pages."""
    backups = BackupsScreen(ctx)
    content = ContentScreen(ctx)
    backups.restored.connect(lambda result: reopen_after_restore(window, result))
    return {
        "backups": backups,
        "content": content,
        "assignments": AssignmentsScreen(ctx),
        "bundles": BundlesScreen(ctx),
    }


def reopen_after_restore(window: Any, result: Restored) -> None:
    """Put the restored database in the window's context and sign out: the accounts,
    packs and progress are those of the backup now."""
    from desktop.widgets import ask
    from xiangyi.i18n import _

    ctx = window.ctx
    ctx.db = result.database
    ctx._packs = None
    ctx._modules = None
    window.log_out()
    ask(
        window,
        "restored_box",
        _("Database restored"),
        _(
            "The database was restored from {name}. Please sign in again. The database it "
            "replaced was kept as {path}."
        ).format(name=result.check.path.name, path=result.safety_backup),
        (_("OK"), _("Close")),
        lambda: None,
    )


class AutomaticBackups(QObject):
    """Takes the automatic backups while the app is open: one shortly after start-up,
    then whenever the newest is a day old (checked hourly). Off the UI thread."""

    def __init__(self, parent: QObject, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(lambda: self.run(at_start=False))
        QTimer.singleShot(START_DELAY_MS, self, lambda: self.run(at_start=True))
        self.timer.start()

    def run(self, *, at_start: bool) -> None:
        from records.backups import automatic_backup

        window = self.parent()
        # A closed window (signed off for good, or a finished test) backs nothing up.
        if self.running or not (isinstance(window, QWidget) and window.isVisible()):
            return
        self.running = True
        db = self.ctx.db

        def done(_path: Any) -> None:
            self.running = False

        def failed(exc: Exception) -> None:
            self.running = False
            _log.warning("Automatic backup failed: %s", exc)

        run_in_background(lambda: automatic_backup(db, at_start=at_start), done, failed)


def start_automatic_backups(window: Any) -> None:
    """Start the automatic backups once per window (the first sign-in opens the door)."""
    if getattr(window, "automatic_backups", None) is None and window.ctx is not None:
        window.automatic_backups = AutomaticBackups(window, window.ctx)
