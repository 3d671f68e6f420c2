"""Assignments: to a person or an institution (and those below it), with due states."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courses.assignments import EXAM, MODULE, DueState
from courses.progress import ModuleState, Status
from records import accounts, institutions
from records.accounts import AccountError
from records.assignments import AssignmentError, assign, for_user, user_assignments
from records.audit import recent
from records.db import Database

TODAY = date(2026, 3, 2)


def _world(db: Database):  # type: ignore[no-untyped-def]
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    county = institutions.create_institution(db, admin, "青山县卫健委", "county")
    town = institutions.create_institution(
        db, admin, "红星乡卫生院", "township", parent_id=county.id
    )
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    other = accounts.create_user(db, "li", "李医生", "secret123", "learner")
    doctor = institutions.set_professional_details(db, admin, doctor.id, institution_id=town.id)
    return admin, county, town, doctor, other


def test_assign_to_person_and_institution_chain(db: Database) -> None:
    admin, county, _town, doctor, other = _world(db)
    due = TODAY + timedelta(days=30)
    assign(db, admin, due=due, module_id="ecg-ai", user_id=doctor.id, today=TODAY)
    assign(db, admin, due=due, blueprint_id="certification", institution_id=county.id, today=TODAY)
    assign(db, admin, due=due, module_id="fundus-ai", user_id=other.id, today=TODAY)
    mine = for_user(db, doctor)
    assert {(a.module_id, a.blueprint_id) for a in mine} == {
        ("ecg-ai", None),
        (None, "certification"),  # through the county above the doctor's township
    }
    assert {a.module_id for a in for_user(db, other)} == {"fundus-ai"}
    with db.session() as session:
        events = [e for e in recent(session) if e.event == "assignment_created"]
    assert len(events) == 3 and events[0].actor_id == admin.id


def test_due_state_follows_completion_and_the_date(db: Database) -> None:
    admin, _county, _town, doctor, _other = _world(db)
    assign(
        db, admin, due=TODAY + timedelta(days=3), module_id="ecg-ai", user_id=doctor.id, today=TODAY
    )
    assign(
        db,
        admin,
        due=TODAY + timedelta(days=20),
        module_id="fundus-ai",
        user_id=doctor.id,
        today=TODAY,
    )
    assign(
        db,
        admin,
        due=TODAY + timedelta(days=1),
        blueprint_id="certification",
        user_id=doctor.id,
        today=TODAY,
    )
    done = ModuleState(Status.COMPLETED, 2, 2, 3, 3, True, None)
    states = {"fundus-ai": done}
    found = user_assignments(db, doctor, states, TODAY + timedelta(days=2))
    by_target = {a.target: a for a in found}
    assert by_target["certification"].state == DueState.OVERDUE
    assert by_target["certification"].kind == EXAM
    assert by_target["ecg-ai"].state == DueState.DUE_SOON and by_target["ecg-ai"].kind == MODULE
    assert by_target["fundus-ai"].state == DueState.DONE
    assert [a.target for a in found] == ["certification", "ecg-ai", "fundus-ai"]  # by due date


def test_refusals(db: Database) -> None:
    admin, county, _town, doctor, _other = _world(db)
    due = TODAY + timedelta(days=5)
    with pytest.raises(AccountError):
        assign(db, doctor, due=due, module_id="ecg-ai", user_id=doctor.id, today=TODAY)
    with pytest.raises(AssignmentError):
        assign(db, admin, due=due, user_id=doctor.id, today=TODAY)  # nothing assigned
    with pytest.raises(AssignmentError):
        assign(
            db,
            admin,
            due=due,
            module_id="ecg-ai",
            user_id=doctor.id,
            institution_id=county.id,
            today=TODAY,
        )
    with pytest.raises(AssignmentError):
        assign(db, admin, due=due, blueprint_id="no-such-exam", user_id=doctor.id, today=TODAY)
    with pytest.raises(AssignmentError):
        assign(
            db,
            admin,
            due=due,
            module_id="x-y-z",
            user_id=doctor.id,
            known_modules={"ecg-ai"},
            today=TODAY,
        )
    with pytest.raises(AssignmentError):
        assign(
            db,
            admin,
            due=TODAY - timedelta(days=1),
            module_id="ecg-ai",
            user_id=doctor.id,
            today=TODAY,
        )
    with pytest.raises(AccountError):
        assign(db, admin, due=due, module_id="ecg-ai", user_id="nobody", today=TODAY)
    assert for_user(db, doctor) == []


def test_progress_counts_who_is_covered_done_and_overdue(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from records import learning, people
    from records.assignments import Progress, assignment_progress

    admin, county, town, doctor, other = _world(db)
    trainer = accounts.create_user(db, "zhao", "赵老师", "secret123", "trainer")
    trainer = institutions.set_professional_details(db, admin, trainer.id, institution_id=town.id)
    gone = accounts.create_user(db, "sun", "孙医生", "secret123", "learner")
    institutions.set_professional_details(db, admin, gone.id, institution_id=town.id)
    people.set_active(db, admin, gone.id, False)
    later, earlier = TODAY + timedelta(days=10), TODAY - timedelta(days=1)
    county_ecg = assign(db, admin, due=later, module_id="ecg-ai", institution_id=county.id,
                        today=earlier)  # fmt: skip
    li_exam = assign(db, admin, due=earlier, blueprint_id="certification", user_id=other.id,
                     today=earlier - timedelta(days=5))  # fmt: skip
    zhao_fundus = assign(db, admin, due=later, module_id="fundus-ai", user_id=trainer.id,
                         today=earlier)  # fmt: skip
    done = ModuleState(Status.COMPLETED, 2, 2, 3, 3, True, None)

    def states(_db: Database, user_id: str, _modules: list, _bank: list) -> dict:  # type: ignore[type-arg]
        return {"ecg-ai": done} if user_id == doctor.id else {}

    monkeypatch.setattr(learning, "module_states", states)
    found = assignment_progress(db, [], [], TODAY)
    # The county's module: its learners below it (王), not the trainer, not the inactive 孙.
    assert found[county_ecg.id] == Progress(done=1, overdue=0, total=1)
    # An exam addressed to 李 by name, due yesterday, not passed.
    assert found[li_exam.id] == Progress(done=0, overdue=1, total=1)
    # Addressed to the trainer by name: counted whatever the role.
    assert found[zhao_fundus.id] == Progress(done=0, overdue=0, total=1)
