"""People and institutions as an administrator manages them: every change audited,
the last administrator protected, the institution tree's level rules kept."""

from __future__ import annotations

import pytest

from records import accounts, audit, institution_tree, institutions, people
from records.accounts import AccountError
from records.db import Database
from records.people import PersonDetails
from records.tables import User


@pytest.fixture
def admin(db: Database) -> User:
    return accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")


def _events(db: Database, subject: str) -> list[tuple[str, str | None]]:
    with db.session() as session:
        return [(e.event, e.actor_id) for e in audit.recent(session) if e.subject == subject]


def test_create_edit_and_audit(db: Database, admin: User) -> None:
    town = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    details = PersonDetails("王医生", "141440300012345", town.id, "全科", "乡村医生")
    wang = people.create_person(db, admin, "wang", "learner-pass-1", "learner", details)
    assert (wang.institution_id, wang.title) == (town.id, "乡村医生")
    people.update_person(db, admin, wang.id, PersonDetails("王建国", "141440300012345", None))
    wang = accounts.get_user(db, wang.id)  # type: ignore[assignment]
    assert (wang.display_name, wang.institution_id, wang.department) == ("王建国", None, None)
    with db.session() as session:
        changed = audit.recent(session, event="user_details_changed")[0]
    assert changed.actor_id == admin.id and changed.at is not None
    assert changed.detail["fields"] == ["department", "display_name", "institution_id", "title"]
    assert ("user_created", admin.id) in _events(db, wang.id)


def test_edits_are_kept_as_history_for_record_bundles(db: Database, admin: User) -> None:
    from records.profiles import newest_values
    from records.tables import ProfileChange

    town = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    details = PersonDetails("王医生", "141440300012345", town.id, "全科", "乡村医生")
    wang = people.create_person(db, admin, "wang", "learner-pass-1", "learner", details)
    people.update_person(db, admin, wang.id, PersonDetails("王建国", "141440300012345", town.id))
    with db.session() as session:
        newest = newest_values(session, [wang.id])[wang.id]
        names = [
            c.value
            for c in session.query(ProfileChange).filter_by(user_id=wang.id, field="display_name")
        ]
    assert newest["display_name"] == "王建国" and newest["title"] is None
    assert newest["institution_id"] == town.id
    assert sorted(names) == ["王医生", "王建国"]  # the older name stays in the history


@pytest.mark.parametrize("number", ["12 34", "一二三四五六", "12345", "x" * 33, "1234;567"])
def test_bad_practising_numbers_refused(db: Database, admin: User, number: str) -> None:
    with pytest.raises(AccountError, match="practising number"):
        people.create_person(
            db, admin, "wang", "learner-pass-1", "learner", PersonDetails("王", number)
        )
    assert [u.username for u in accounts.list_users(db)] == ["admin"]


def test_deactivate_reactivate_and_sign_in(db: Database, admin: User) -> None:
    wang = people.create_person(db, admin, "wang", "learner-pass-1", "learner", PersonDetails("王"))
    people.set_active(db, admin, wang.id, False)
    with pytest.raises(accounts.LoginError, match="deactivated"):
        accounts.authenticate(db, "wang", "learner-pass-1")
    people.set_active(db, admin, wang.id, True)
    assert accounts.authenticate(db, "wang", "learner-pass-1").id == wang.id
    events = [e for e, _a in _events(db, wang.id)]
    assert "user_deactivated" in events and "user_reactivated" in events


def test_last_admin_cannot_be_deactivated_or_demoted(db: Database, admin: User) -> None:
    with pytest.raises(AccountError, match="last active administrator"):
        people.set_active(db, admin, admin.id, False)
    with pytest.raises(AccountError, match="last active administrator"):
        people.set_role(db, admin, admin.id, "trainer")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.change_role(db, admin, admin.id, "learner")
    sun = people.create_person(db, admin, "sun", "admin-pass-2", "admin", PersonDetails("孙"))
    people.set_active(db, admin, sun.id, False)  # another admin, but deactivated
    with pytest.raises(AccountError, match="last active administrator"):
        people.set_role(db, admin, admin.id, "learner")
    people.set_active(db, admin, sun.id, True)
    people.set_role(db, admin, admin.id, "trainer")  # now allowed: sun is an active admin
    assert accounts.get_user(db, admin.id).role == "trainer"  # type: ignore[union-attr]


def test_reset_password_unlocks_and_must_be_changed(db: Database, admin: User) -> None:
    wang = people.create_person(db, admin, "wang", "learner-pass-1", "learner", PersonDetails("王"))
    for _i in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginError):
            accounts.authenticate(db, "wang", "wrong-password")
    with pytest.raises(AccountError, match="at least 8"):
        people.reset_password(db, admin, wang.id, "short")
    people.reset_password(db, admin, wang.id, "temp-pass-9")
    user = accounts.authenticate(db, "wang", "temp-pass-9")
    assert people.must_change_password(db, user.id)
    with pytest.raises(AccountError, match="different"):
        people.change_own_password(db, user, "temp-pass-9")
    people.change_own_password(db, user, "my-own-pass-1")
    assert not people.must_change_password(db, user.id)
    assert ("password_reset", admin.id) in _events(db, wang.id)
    assert ("password_changed", wang.id) in _events(db, wang.id)


def test_learner_and_trainer_cannot_call_admin_services(db: Database, admin: User) -> None:
    town = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    learner = people.create_person(
        db, admin, "wang", "learner-pass-1", "learner", PersonDetails("王")
    )
    trainer = people.create_person(
        db, admin, "zhao", "trainer-pass-1", "trainer", PersonDetails("赵")
    )
    for actor in (learner, trainer):
        calls = [
            lambda a=actor: people.list_people(db, a),
            lambda a=actor: people.create_person(
                db, a, "x1", "password-1", "admin", PersonDetails("x")
            ),
            lambda a=actor: people.update_person(db, a, admin.id, PersonDetails("改名")),
            lambda a=actor: people.set_active(db, a, admin.id, False),
            lambda a=actor: people.set_role(db, a, a.id, "admin"),
            lambda a=actor: people.reset_password(db, a, admin.id, "hijacked-1"),
            lambda a=actor: accounts.change_role(db, a, a.id, "admin"),
            lambda a=actor: institutions.create_institution(db, a, "新村", "village"),
            lambda a=actor: institution_tree.rename_institution(db, a, town.id, "改名"),
            lambda a=actor: institution_tree.move_institution(db, a, town.id, None),
        ]
        for call in calls:
            with pytest.raises(AccountError, match="administrator"):
                call()
    assert accounts.authenticate(db, "admin", "admin-pass-1").display_name == "张主任"
    assert [u.role for u in accounts.list_users(db)] == ["admin", "learner", "trainer"]


def test_institution_tree_levels_moves_and_renames(db: Database, admin: User) -> None:
    county = institutions.create_institution(db, admin, "青山县卫健委", "county")
    town = institutions.create_institution(
        db, admin, "红星乡卫生院", "township", parent_id=county.id
    )
    other = institutions.create_institution(
        db, admin, "东岭乡卫生院", "township", parent_id=county.id
    )
    village = institutions.create_institution(
        db, admin, "红星村卫生室", "village", parent_id=town.id
    )
    with pytest.raises(AccountError, match="cannot be placed"):
        institutions.create_institution(db, admin, "错村", "village", parent_id=county.id)
    with pytest.raises(AccountError, match="cannot be placed"):
        institution_tree.move_institution(db, admin, county.id, village.id)
    with pytest.raises(AccountError, match="cannot be placed"):
        institution_tree.move_institution(db, admin, town.id, other.id)
    institution_tree.move_institution(db, admin, village.id, other.id)
    institution_tree.rename_institution(db, admin, village.id, "东岭村卫生室", name_en="Dongling")
    roots = institution_tree.institution_tree(db)
    assert [r.institution.name_zh for r in roots] == ["青山县卫健委"]
    towns = roots[0].children
    assert [t.institution.name_zh for t in towns] == ["东岭乡卫生院", "红星乡卫生院"]
    assert [v.institution.name_zh for v in towns[0].children] == ["东岭村卫生室"]
    assert towns[1].children == []
    with db.session() as session:
        events = {e.event for e in audit.recent(session) if e.subject == village.id}
    assert {"institution_created", "institution_moved", "institution_renamed"} <= events


def test_move_refuses_a_loop(db: Database, admin: User) -> None:
    county = institutions.create_institution(db, admin, "县", "county")
    community = institutions.create_institution(db, admin, "社区", "community", parent_id=county.id)
    with pytest.raises(AccountError, match="cannot be placed"):
        institution_tree.move_institution(db, admin, county.id, community.id)
    with pytest.raises(AccountError):
        institution_tree.move_institution(db, admin, community.id, "no-such-id")


def test_a_demoted_administrator_object_has_no_power_left(db: Database, admin: User) -> None:
    sun = people.create_person(db, admin, "sun", "admin-pass-2", "admin", PersonDetails("孙"))
    people.set_role(db, sun, admin.id, "learner")  # ``admin`` still says "admin" in memory
    assert admin.role == "admin"
    with pytest.raises(AccountError, match="administrator"):
        people.set_role(db, admin, admin.id, "admin")
    with pytest.raises(AccountError, match="administrator"):
        institutions.create_institution(db, admin, "县", "county")
    with pytest.raises(AccountError, match="administrator"):
        institution_tree.rename_institution(db, admin, "x", "改名")
    assert accounts.get_user(db, admin.id).role == "learner"  # type: ignore[union-attr]


def test_an_edit_with_a_role_is_all_or_nothing(db: Database, admin: User) -> None:
    wang = people.create_person(db, admin, "wang", "learner-pass-1", "learner", PersonDetails("王"))
    with pytest.raises(AccountError, match="practising number"):
        people.update_person(db, admin, wang.id, PersonDetails("王", "12 34"), role="trainer")
    assert accounts.get_user(db, wang.id).role == "learner"  # type: ignore[union-attr]
    people.update_person(db, admin, wang.id, PersonDetails("王建国"), role="trainer")
    wang = accounts.get_user(db, wang.id)  # type: ignore[assignment]
    assert (wang.display_name, wang.role) == ("王建国", "trainer")
