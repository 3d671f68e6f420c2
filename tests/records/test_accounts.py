"""Accounts: first administrator, argon2, lock-out, audit."""

from __future__ import annotations

import pytest

from records import accounts, audit
from records.db import Database


def test_first_admin_needed_until_one_exists(db: Database) -> None:
    assert accounts.needs_first_admin(db)
    accounts.create_user(db, "admin", "管理员", "secret123", "admin")
    assert not accounts.needs_first_admin(db)


def test_password_is_hashed_with_argon2(db: Database) -> None:
    user = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    assert user.password_hash.startswith("$argon2id$")
    assert "secret123" not in user.password_hash
    assert accounts.authenticate(db, "wang", "secret123").id == user.id


@pytest.mark.parametrize(
    ("username", "name", "password", "role"),
    [
        ("", "Name", "secret123", "learner"),
        ("ok", "", "secret123", "learner"),
        ("ok", "Name", "short", "learner"),
        ("ok", "Name", "secret123", "king"),
        ("bad name!", "Name", "secret123", "learner"),
    ],
)
def test_invalid_accounts_refused(
    db: Database, username: str, name: str, password: str, role: str
) -> None:
    with pytest.raises(accounts.AccountError):
        accounts.create_user(db, username, name, password, role)
    assert accounts.list_users(db) == []


def test_duplicate_username_refused(db: Database) -> None:
    accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    with pytest.raises(accounts.AccountError, match="wang"):
        accounts.create_user(db, "wang", "Another", "secret123", "learner")


def test_wrong_password_and_empty_fields(db: Database) -> None:
    accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(db, "wang", "wrong-password")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(db, "", "")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(db, "nobody", "secret123")


def test_lockout_after_repeated_failures(db: Database) -> None:
    accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    for _attempt in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginError):
            accounts.authenticate(db, "wang", "wrong-password")
    # Even the right password is refused while locked.
    with pytest.raises(accounts.LoginError, match="15"):
        accounts.authenticate(db, "wang", "secret123")
    with db.session() as session:
        events = [e.event for e in audit.recent(session)]
    assert events.count("login_failed") == accounts.MAX_FAILED_LOGINS
    assert "account_locked" in events
    assert "login_refused_locked" in events


def test_role_change_only_by_admin_and_audited(db: Database) -> None:
    admin = accounts.create_user(db, "admin", "Admin", "secret123", "admin")
    learner = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    with pytest.raises(accounts.AccountError):
        accounts.change_role(db, learner, learner.id, "admin")
    accounts.change_role(db, admin, learner.id, "trainer")
    assert accounts.get_user(db, learner.id).role == "trainer"  # type: ignore[union-attr]
    with db.session() as session:
        changed = audit.recent(session, event="role_changed")
    assert changed[0].detail == {"old": "learner", "new": "trainer"}
    assert changed[0].actor_id == admin.id


def test_successful_login_is_audited(db: Database) -> None:
    user = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    accounts.authenticate(db, "wang", "secret123")
    with db.session() as session:
        logins = audit.recent(session, event="login")
    assert logins[0].actor_id == user.id
