"""Assignments through the administrator's screen: a module to an institution, an exam
to a person, a past due date refused, a withdrawal after a question; the learner sees
what was assigned; and a learner's window offers none of the administrator's pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from admin_helpers import admin_window, answer
from driver import add_account, click, go_to, sign_in
from PySide6.QtCore import QDate

from records import accounts, assignments, institutions
from records.tables import AuditEvent

pytestmark = pytest.mark.usefixtures("no_dangling_threads")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_assign_list_and_withdraw(qtbot, data_dir: Path) -> None:
    window = admin_window(qtbot, data_dir)
    add_account(window, "li", "李医生", "learner-pass-1", "learner")
    db, admin = window.ctx.db, window.ctx.user
    township = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    village = institutions.create_institution(
        db, admin, "石桥村卫生室", "village", parent_id=township.id
    )
    li = next(u for u in accounts.list_users(db) if u.username == "li")
    institutions.set_professional_details(db, admin, li.id, institution_id=village.id)
    li = accounts.get_user(db, li.id)
    assert li is not None
    go_to(window, "assignments")
    page = window.pages["assignments"]
    due = date.today() + timedelta(days=20)

    # A module to everyone in the township (the village clinic is under it).
    page.kind.setCurrentIndex(page.kind.findData("module"))
    module_id = page.target.currentData()
    assert module_id in {m.module.id for m in window.ctx.modules if m.module}
    page.to_institution.setChecked(True)
    page.institution.setCurrentIndex(page.institution.findData(township.id))
    page.due.setDate(_qdate(due))
    click(page.assign_button)
    assert "红星乡卫生院" in page.message.text()
    # The certification exam to one person.
    page.kind.setCurrentIndex(page.kind.findData("exam"))
    page.target.setCurrentIndex(page.target.findData("certification"))
    page.to_person.setChecked(True)
    page.person.setCurrentIndex(page.person.findData(li.id))
    click(page.assign_button)
    assert page.table.rowCount() == 2
    assert page.table.item(0, 3).text() == "红星乡卫生院 (institution)"
    assert page.table.item(1, 3).text() == "李医生 (li)"
    assert page.table.item(0, 0).text() == due.isoformat()
    assert {(a.module_id, a.blueprint_id) for a in assignments.for_user(db, li)} == {
        (module_id, None),
        (None, "certification"),
    }
    # Progress, counted in the background: 李 (the one learner covered) has done neither.
    qtbot.waitUntil(lambda: page.table.item(1, 5).text() == "0 of 1 done", timeout=20_000)
    assert page.table.item(0, 5).text() == "0 of 1 done"
    assert page.table.horizontalHeaderItem(5).text() == "Progress"

    # A due date in the past is refused with a message; nothing is stored.
    page.due.setDate(_qdate(date.today() - timedelta(days=1)))
    click(page.assign_button)
    assert page.error.isVisible() and "already passed" in page.error.text()
    assert len(assignments.list_all(db)) == 2

    # Withdraw the exam after a question; "Cancel" first keeps it.
    page.table.selectRow(1)
    click(page.remove_button)
    answer(qtbot, "withdraw_box", yes=False)
    assert len(assignments.list_all(db)) == 2
    click(page.remove_button)
    answer(qtbot, "withdraw_box")
    assert [a.blueprint_id for a in assignments.list_all(db)] == [None]
    with db.session() as session:
        events = [e.event for e in session.query(AuditEvent)]
    assert events.count("assignment_created") == 2 and "assignment_removed" in events


def test_learner_sees_no_administrator_pages(qtbot, data_dir: Path) -> None:
    from desktop.workspace import NAV

    window = admin_window(qtbot, data_dir)
    add_account(window, "li", "李医生", "learner-pass-1", "learner")
    admin_pages = {"backups", "content", "assignments", "audit"}
    assert admin_pages <= set(window.pages)
    click(window.sign_out)
    sign_in(window, "li", "learner-pass-1")
    assert window.ctx.user.role == "learner"
    assert not admin_pages & set(window.pages)
    assert not admin_pages & {key for key, _label in NAV["learner"] + NAV["trainer"]}
    li = window.ctx.user
    with pytest.raises(accounts.AccountError):
        assignments.assign(
            window.ctx.db,
            li,
            due=date.today() + timedelta(days=3),
            blueprint_id="certification",
            user_id=li.id,
        )


def test_progress_words() -> None:
    from desktop.screens.admin.assignments import progress_text
    from records.assignments import Progress

    assert progress_text(Progress(done=1, overdue=2, total=5)) == "1 of 5 done, 2 overdue"
    assert progress_text(Progress(done=3, overdue=0, total=3)) == "3 of 3 done"
    assert progress_text(Progress()) == "nobody yet"
