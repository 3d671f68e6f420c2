"""After an administrator resets a password, the person must choose their own at the
next sign-in before anything else; they may sign out instead."""

from __future__ import annotations

from pathlib import Path

from driver import click, open_window, sign_in, type_into, wait_until

from desktop.screens.people.dialogs import ChangePasswordDialog
from records import accounts, people
from records.db import open_database


def _seed(data_dir: Path) -> None:
    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    wang = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    people.reset_password(db, admin, wang.id, "temp-pass-9")
    db.close()


def test_temporary_password_must_be_replaced(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(data_dir)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    sign_in(window, "wang", "temp-pass-9")
    wait_until(lambda: window.findChild(ChangePasswordDialog) is not None)
    dialog = window.findChild(ChangePasswordDialog)
    assert dialog.isVisible()
    dialog.reject()  # Escape does not skip it
    assert dialog.isVisible()
    type_into(dialog.password, "my-own-pass-1")
    type_into(dialog.confirm, "my-own-pass-2")
    click(dialog.ok)
    assert dialog.error.text() == "The two passwords differ."
    type_into(dialog.confirm, "my-own-pass-1")
    click(dialog.ok)
    wait_until(lambda: not dialog.isVisible())
    assert window.stack.currentWidget() is window.workspace
    db = open_database(data_dir)
    try:
        user = accounts.authenticate(db, "wang", "my-own-pass-1")
        assert not people.must_change_password(db, user.id)
    finally:
        db.close()
    window.log_out()
    sign_in(window, "wang", "my-own-pass-1")
    assert (
        window.findChild(ChangePasswordDialog) is None
        or not window.findChild(ChangePasswordDialog).isVisible()
    )


def test_sign_out_instead(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(data_dir)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    sign_in(window, "wang", "temp-pass-9")
    wait_until(lambda: window.findChild(ChangePasswordDialog) is not None)
    click(window.findChild(ChangePasswordDialog).sign_out)
    wait_until(lambda: window.stack.currentWidget() is window.login)
