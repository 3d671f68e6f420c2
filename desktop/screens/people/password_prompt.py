"""After signing in with a temporary password (set by an administrator or by a cohort
import), the person must choose their own before using the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.screens.people.dialogs import ChangePasswordDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.context import AppContext


def ask_new_password_if_needed(
    parent: QWidget, ctx: AppContext, then: Callable[[], None], sign_out: Callable[[], None]
) -> ChangePasswordDialog | None:
    """Open the window-modal password dialog when needed; ``then`` runs once the person
    has a password of their own (at once when they already had one)."""
    from records.accounts import AccountError
    from records.people import change_own_password, must_change_password

    user = ctx.user
    if user is None or not must_change_password(ctx.db, user.id):
        then()
        return None
    dialog = ChangePasswordDialog(parent)

    def submit(password: str) -> str | None:
        try:
            change_own_password(ctx.db, user, password)
        except AccountError as exc:
            return str(exc)
        return None

    def leave() -> None:
        dialog.done(0)
        sign_out()

    dialog.submitted = submit
    dialog.accepted.connect(then)
    dialog.finished.connect(dialog.deleteLater)
    dialog.sign_out.clicked.connect(leave)
    dialog.open()
    return dialog
