"""The administrator's people screen, driven as a person would: add, edit, role change,
deactivate and reactivate, reset a password, the last-administrator guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from driver import click, type_into, wait_until
from PySide6.QtWidgets import QMessageBox

from desktop.context import AppContext
from desktop.screens.people import AccountsScreen
from records import accounts, audit, institutions, people
from records.db import Database
from records.tables import User


@pytest.fixture
def admin(db: Database) -> User:
    return accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")


@pytest.fixture
def screen(qtbot, db: Database, data_dir: Path, admin: User) -> AccountsScreen:  # type: ignore[no-untyped-def]
    institutions.create_institution(db, admin, "红星乡卫生院", "township", code="HX-001")
    page = AccountsScreen(AppContext(data_dir=data_dir, db=db, user=admin))
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    return page


def _user(db: Database, username: str) -> User:
    return next(u for u in accounts.list_users(db) if u.username == username)


def _add(screen: AccountsScreen, username: str, name: str, role: str = "learner") -> None:
    panel = screen.people
    click(panel.new_button)
    type_into(panel.full_name, name)
    type_into(panel.username, username)
    type_into(panel.password, "learner-pass-1")
    panel.role.setCurrentIndex(panel.role.findData(role))
    type_into(panel.number, "141440300012345")
    panel.place.setCurrentIndex(panel.place.findText("红星乡卫生院", flags=_contains()))
    type_into(panel.title, "乡村医生")
    click(panel.add_button)


def _contains():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchContains


def _answer(screen: AccountsScreen, name: str, yes: bool) -> None:
    wait_until(lambda: screen.people.findChild(QMessageBox, name) is not None)
    box = screen.people.findChild(QMessageBox, name)
    from PySide6.QtWidgets import QAbstractButton

    click(box.findChild(QAbstractButton, f"{name}_{'yes' if yes else 'no'}"))
    wait_until(lambda: screen.people.findChild(QMessageBox, name) is None)


def test_add_and_edit_a_person(screen: AccountsScreen, db: Database, admin: User) -> None:
    panel = screen.people
    _add(screen, "wang", "王医生")
    assert panel.message.text() == "Account 'wang' added."
    wang = _user(db, "wang")
    assert (wang.practising_number, wang.title) == ("141440300012345", "乡村医生")
    assert wang.institution_id is not None
    assert panel.table.rowCount() == 2
    assert panel.table.item(1, 3).text() == "红星乡卫生院"

    panel.select_user("wang")
    assert panel.username.isReadOnly() and not panel.password.isEnabled()
    assert panel.full_name.text() == "王医生"
    type_into(panel.full_name, "王建国")
    type_into(panel.number, "12 34")  # refused: not a practising number
    click(panel.add_button)
    assert panel.error.isVisible() and "practising number" in panel.error.text()
    type_into(panel.number, "141440300099999")
    type_into(panel.dept, "全科")
    click(panel.add_button)
    assert not panel.error.isVisible()
    wang = _user(db, "wang")
    assert (wang.display_name, wang.practising_number, wang.department) == (
        "王建国",
        "141440300099999",
        "全科",
    )
    with db.session() as session:
        changed = audit.recent(session, event="user_details_changed")[0]
    assert changed.actor_id == admin.id and changed.subject == wang.id


def test_role_change_and_last_admin_guard(screen: AccountsScreen, db: Database) -> None:
    panel = screen.people
    _add(screen, "zhao", "赵老师")
    panel.select_user("zhao")
    panel.role.setCurrentIndex(panel.role.findData("trainer"))
    click(panel.add_button)
    assert _user(db, "zhao").role == "trainer"
    assert panel.table.item(panel.users.index(_find(panel, "zhao")), 2).text() == "Trainer"

    panel.select_user("admin")
    panel.role.setCurrentIndex(panel.role.findData("learner"))
    click(panel.add_button)
    assert "last active administrator" in panel.error.text()
    click(panel.active_button)
    _answer(screen, "deactivate_box", yes=True)
    assert "last active administrator" in panel.message.text()
    admin = _user(db, "admin")
    assert admin.role == "admin" and admin.active


def _find(panel, username: str) -> User:  # type: ignore[no-untyped-def]
    return next(u for u in panel.users if u.username == username)


def test_deactivate_and_reactivate(screen: AccountsScreen, db: Database) -> None:
    panel = screen.people
    _add(screen, "wang", "王医生")
    panel.select_user("wang")
    click(panel.active_button)
    _answer(screen, "deactivate_box", yes=False)
    assert _user(db, "wang").active
    click(panel.active_button)
    _answer(screen, "deactivate_box", yes=True)
    assert not _user(db, "wang").active
    assert panel.table.item(1, 5).text() == "deactivated"
    assert panel.active_button.text() == "Re&activate"
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(db, "wang", "learner-pass-1")
    click(panel.active_button)
    assert _user(db, "wang").active
    assert accounts.authenticate(db, "wang", "learner-pass-1").username == "wang"


def test_reset_password(screen: AccountsScreen, db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.screens.people.dialogs import ResetPasswordDialog

    panel = screen.people
    _add(screen, "wang", "王医生")
    panel.select_user("wang")
    click(panel.reset_button)
    wait_until(lambda: panel.findChild(ResetPasswordDialog) is not None)
    dialog = panel.findChild(ResetPasswordDialog)
    assert len(dialog.password.text()) == 10  # a generated suggestion
    type_into(dialog.password, "short")
    click(dialog.ok)
    assert dialog.isVisible() and "at least 8" in dialog.error.text()
    type_into(dialog.password, "temp-pass-9")
    click(dialog.ok)
    wait_until(lambda: not dialog.isVisible())
    wang = accounts.authenticate(db, "wang", "temp-pass-9")
    assert people.must_change_password(db, wang.id)
    assert "must choose a new one" in panel.message.text()


def test_search_filters_the_table(screen: AccountsScreen) -> None:
    panel = screen.people
    _add(screen, "wang", "王医生")
    type_into(panel.search, "wang")
    hidden = [panel.table.isRowHidden(r) for r in range(panel.table.rowCount())]
    assert hidden == [True, False]
