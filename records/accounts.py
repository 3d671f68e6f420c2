"""Accounts and roles: argon2 password hashes, lock-out, audited changes."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from records import audit
from records.db import Database
from records.profiles import record_changes
from records.settings import device_id
from records.tables import User, utcnow
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,64}$")


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.LEARNER: N_("Learner"),
    Role.TRAINER: N_("Trainer"),
    Role.ADMIN: N_("Administrator"),
}


class AccountError(Exception):
    """A problem with account data; the message is translated and actionable."""


class LoginError(Exception):
    """Login refused; the message never says whether the username exists."""


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # OWASP's argon2id setting: 19 MiB, 2 passes — affordable on a 4 GB clinic PC.
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_first_admin(db: Database) -> bool:
    with db.session() as session:
        count = session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN)
        )
        return not count


def validate_new_account(username: str, display_name: str, password: str, role: str) -> None:
    if not USERNAME_RE.match(username.strip()):
        raise AccountError(
            _("The user name must be 2–64 letters, digits, Chinese characters, '.', '-' or '_'.")
        )
    if not display_name.strip():
        raise AccountError(_("Please enter the person's full name."))
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            _("The password must have at least {n} characters.").format(n=MIN_PASSWORD)
        )
    if role not in set(Role):
        raise AccountError(_("Unknown role '{role}'.").format(role=role))


def create_user(
    db: Database,
    username: str,
    display_name: str,
    password: str,
    role: str,
    *,
    actor_id: str | None = None,
) -> User:
    """Create an account (audited). The first administrator has no actor."""
    validate_new_account(username, display_name, password, role)
    username = username.strip()
    device = device_id(db)
    with db.session() as session:
        exists = session.scalars(select(User).where(User.username == username)).first()
        if exists:
            raise AccountError(_("The user name '{name}' is already taken.").format(name=username))
        user = User(
            username=username,
            display_name=display_name.strip(),
            role=role,
            password_hash=hash_password(password),
        )
        session.add(user)
        session.flush()
        record_changes(session, user, {"display_name": user.display_name}, device)
        audit.record(session, "user_created", actor_id=actor_id, subject=user.id, role=role)
    return user


def authenticate(db: Database, username: str, password: str) -> User:
    """Return the user or raise LoginError; failures and lock-outs are audited.

    The audit entry is committed before the error is raised, so refused attempts
    are never lost with a rolled-back transaction.
    """
    if not username.strip() or not password:
        raise LoginError(_("Please enter your user name and password."))
    with db.session() as session:
        user, refusal = _check_login(session, username.strip(), password)
    if refusal is not None:
        raise LoginError(refusal)
    assert user is not None
    return user


def _check_login(session: Session, username: str, password: str) -> tuple[User | None, str | None]:
    user = session.scalars(select(User).where(User.username == username)).first()
    now = utcnow()
    if user is None:
        audit.record(session, "login_failed", subject=username[:64], reason="unknown_user")
        return None, _("The user name or password is wrong.")
    locked_until = user.locked_until
    if locked_until and locked_until > now:
        audit.record(session, "login_refused_locked", subject=user.id)
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        return None, _(
            "Too many wrong passwords. The account is locked for {n} more minute(s)."
        ).format(n=minutes)
    if not user.active:
        audit.record(session, "login_refused_inactive", subject=user.id)
        return None, _("This account has been deactivated. Ask your administrator.")
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        audit.record(session, "login_failed", subject=user.id, count=user.failed_logins)
        session.add(user)
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.record(session, "account_locked", subject=user.id)
            return None, _(
                "Too many wrong passwords. The account is locked for {n} minutes."
            ).format(n=int(LOCKOUT.total_seconds() // 60))
        return None, _("The user name or password is wrong.")
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(session, "login", actor_id=user.id, subject=user.id)
    return user, None


def change_role(db: Database, actor: User, user_id: str, role: str) -> User:
    """Change a user's role; only an administrator may, and it is audited."""
    if actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can change roles."))
    if role not in set(Role):
        raise AccountError(_("Unknown role '{role}'.").format(role=role))
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError(_("No such user."))
        others = select(func.count()).select_from(User).where(User.id != user.id)
        others = others.where(User.role == Role.ADMIN, User.active.is_(True))
        if user.role == Role.ADMIN and role != Role.ADMIN and not session.scalar(others):
            raise AccountError(
                _(
                    "{name} is the last active administrator. Make someone else an "
                    "administrator first."
                ).format(name=user.display_name)
            )
        old = user.role
        user.role = role
        session.add(user)
        audit.record(session, "role_changed", actor_id=actor.id, subject=user.id, old=old, new=role)
        return user


def set_display_name(db: Database, actor: User, user_id: str, display_name: str) -> User:
    """Change a person's full name (administrators; audited; kept in the history)."""
    if actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can do this."))
    display_name = display_name.strip()[:128]
    if not display_name:
        raise AccountError(_("Please enter the person's full name."))
    device = device_id(db)
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError(_("No such user."))
        user.display_name = display_name
        record_changes(session, user, {"display_name": display_name}, device)
        audit.record(session, "user_renamed", actor_id=actor.id, subject=user.id)
        return user


def list_users(db: Database) -> list[User]:
    with db.session() as session:
        return list(session.scalars(select(User).order_by(User.username)))


def get_user(db: Database, user_id: str) -> User | None:
    with db.session() as session:
        return session.get(User, user_id)
