"""People on this PC as an administrator manages them: create, edit, deactivate and
reactivate, reset passwords and assign roles. Every change is audited with who did it
(the audit event's ``at`` says when), and no change may leave the PC without an active
administrator."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from records import audit, settings
from records.accounts import (
    MIN_PASSWORD,
    AccountError,
    Role,
    hash_password,
    validate_new_account,
    verify_password,
)
from records.db import Database
from records.profiles import PROFILE_FIELDS, record_changes
from records.tables import Institution, Setting, User
from xiangyi.i18n import _

# 医师执业证书编码 has 15 digits; village-doctor certificates vary by province, so the
# rule only refuses what cannot be a certificate number: spaces, Chinese, punctuation.
PRACTISING_NUMBER_RE = re.compile(r"^[A-Za-z0-9\-]{6,32}$")
# Settings key marking a password an administrator set, which its owner must replace.
MUST_CHANGE_KEY = "must_change_password:{user_id}"
# Temporary passwords avoid characters that are easily misread on paper (0/O, 1/l/I).
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class PersonDetails:
    """What an administrator can edit about a person, besides role and password."""

    display_name: str
    practising_number: str = ""
    institution_id: str | None = None
    department: str = ""
    title: str = ""


def require_admin(actor: User | None) -> User:
    """Return ``actor`` if it is an active administrator, else raise AccountError."""
    if actor is None or actor.role != Role.ADMIN or not actor.active:
        raise AccountError(_("Only an administrator can do this."))
    return actor


def confirm_admin(session: Session, actor: User) -> None:
    """Check the actor's role as stored now, inside the transaction: a window opened
    before its administrator was demoted or deactivated has no power left."""
    row = session.get(User, actor.id)
    if row is None or row.role != Role.ADMIN or not row.active:
        raise AccountError(_("Only an administrator can do this."))


def check_practising_number(number: str) -> None:
    """Raise AccountError when a non-empty practising number cannot be one."""
    if number and not PRACTISING_NUMBER_RE.match(number):
        raise AccountError(
            _(
                "The practising number '{number}' is not valid: use 6–32 letters, digits or '-'."
            ).format(number=number[:40])
        )


def temporary_password() -> str:
    """A random 10-character password an administrator can read out or print."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _i in range(10))


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User)
    return session.scalar(query.where(User.role == Role.ADMIN, User.active.is_(True))) or 0


def _guard_last_admin(session: Session, user: User, *, new_role: str, active: bool) -> None:
    """Refuse a change that would leave no active administrator."""
    was_admin = user.role == Role.ADMIN and user.active
    stays_admin = new_role == Role.ADMIN and active
    if was_admin and not stays_admin and _active_admins(session) <= 1:
        raise AccountError(
            _(
                "{name} is the last active administrator. Make someone else an administrator first."
            ).format(name=user.display_name)
        )


def _get(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError(_("No such user."))
    return user


def _apply_details(session: Session, user: User, details: PersonDetails) -> None:
    name = details.display_name.strip()
    if not name or len(name) > 128:
        raise AccountError(_("Please enter the person's full name (at most 128 characters)."))
    number = details.practising_number.strip()
    check_practising_number(number)
    if details.institution_id and session.get(Institution, details.institution_id) is None:
        raise AccountError(_("The institution does not exist."))
    user.display_name = name
    user.practising_number = number or None
    user.institution_id = details.institution_id or None
    user.department = details.department.strip()[:128] or None
    user.title = details.title.strip()[:64] or None


def _record_history(session: Session, user: User, device: str) -> None:
    """Field-by-field history, so that the edit travels in record bundles and merges at
    the county with the newer change winning (records/profiles.py)."""
    record_changes(session, user, {f: getattr(user, f) for f in PROFILE_FIELDS}, device)


def create_person(
    db: Database,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    details: PersonDetails,
) -> User:
    """Add an account with its professional details in one audited transaction."""
    actor = require_admin(actor)
    validate_new_account(username, details.display_name, password, role)
    username = username.strip()
    device = settings.device_id(db)  # read before the transaction: it may write the ID once
    with db.session() as session:
        confirm_admin(session, actor)
        if session.scalars(select(User).where(User.username == username)).first():
            raise AccountError(_("The user name '{name}' is already taken.").format(name=username))
        user = User(username=username, role=role, password_hash=hash_password(password))
        _apply_details(session, user, details)
        session.add(user)
        session.flush()
        _record_history(session, user, device)
        audit.record(session, "user_created", actor_id=actor.id, subject=user.id, role=role)
    return user


def update_person(
    db: Database,
    actor: User | None,
    user_id: str,
    details: PersonDetails,
    *,
    role: str | None = None,
) -> User:
    """Change a person's name, professional details and (given ``role``) role in one
    transaction: all of it is saved, or nothing (audited with what changed)."""
    actor = require_admin(actor)
    device = settings.device_id(db)
    with db.session() as session:
        confirm_admin(session, actor)
        user = _get(session, user_id)
        if role is not None and role != user.role:
            _change_role(session, actor, user, role)
        fields = ("display_name", "practising_number", "institution_id", "department", "title")
        before = {name: getattr(user, name) for name in fields}
        _apply_details(session, user, details)
        changed = sorted(name for name in fields if getattr(user, name) != before[name])
        session.add(user)
        _record_history(session, user, device)
        audit.record(
            session, "user_details_changed", actor_id=actor.id, subject=user.id, fields=changed
        )
    return user


def set_active(db: Database, actor: User | None, user_id: str, active: bool) -> User:
    """Deactivate (the person can no longer sign in; records stay) or reactivate."""
    actor = require_admin(actor)
    with db.session() as session:
        confirm_admin(session, actor)
        user = _get(session, user_id)
        if user.active == active:
            return user
        if not active:
            _guard_last_admin(session, user, new_role=user.role, active=False)
        user.active = active
        user.failed_logins = 0
        user.locked_until = None
        session.add(user)
        event = "user_reactivated" if active else "user_deactivated"
        audit.record(session, event, actor_id=actor.id, subject=user.id)
    return user


def set_role(db: Database, actor: User | None, user_id: str, role: str) -> User:
    """Assign a role; the last active administrator cannot be demoted."""
    actor = require_admin(actor)
    with db.session() as session:
        confirm_admin(session, actor)
        user = _get(session, user_id)
        if user.role != role:
            _change_role(session, actor, user, role)
    return user


def _change_role(session: Session, actor: User, user: User, role: str) -> None:
    if role not in set(Role):
        raise AccountError(_("Unknown role '{role}'.").format(role=role))
    _guard_last_admin(session, user, new_role=role, active=user.active)
    old, user.role = user.role, role
    session.add(user)
    audit.record(session, "role_changed", actor_id=actor.id, subject=user.id, old=old, new=role)


def reset_password(db: Database, actor: User | None, user_id: str, temporary: str) -> User:
    """Set a temporary password the person must replace at their next sign-in.

    It also lifts a lock-out: a locked-out doctor is the usual reason for a reset.
    """
    actor = require_admin(actor)
    if len(temporary) < MIN_PASSWORD:
        raise AccountError(
            _("The password must have at least {n} characters.").format(n=MIN_PASSWORD)
        )
    with db.session() as session:
        confirm_admin(session, actor)
        user = _get(session, user_id)
        user.password_hash = hash_password(temporary)
        user.failed_logins = 0
        user.locked_until = None
        session.add(user)
        mark_must_change(session, user.id)
        audit.record(session, "password_reset", actor_id=actor.id, subject=user.id)
    return user


def mark_must_change(session: Session, user_id: str) -> None:
    """Ask ``user_id`` to choose a new password at the next sign-in."""
    key = MUST_CHANGE_KEY.format(user_id=user_id)
    session.merge(Setting(key=key, value="1"))


def must_change_password(db: Database, user_id: str) -> bool:
    """True while the person still signs in with a password an administrator set."""
    with db.session() as session:
        return session.get(Setting, MUST_CHANGE_KEY.format(user_id=user_id)) is not None


def change_own_password(db: Database, user: User, new_password: str) -> None:
    """The signed-in person replaces their password (after a reset, or any time)."""
    if len(new_password) < MIN_PASSWORD:
        raise AccountError(
            _("The password must have at least {n} characters.").format(n=MIN_PASSWORD)
        )
    with db.session() as session:
        row = _get(session, user.id)
        if verify_password(row.password_hash, new_password):
            raise AccountError(_("Choose a password different from the temporary one."))
        row.password_hash = hash_password(new_password)
        session.add(row)
        setting = session.get(Setting, MUST_CHANGE_KEY.format(user_id=user.id))
        if setting is not None:
            session.delete(setting)
        audit.record(session, "password_changed", actor_id=user.id, subject=user.id)


def list_people(db: Database, actor: User | None) -> list[User]:
    """Every account, for administrators only (learners and trainers see no one else)."""
    actor = require_admin(actor)
    with db.session() as session:
        confirm_admin(session, actor)
        return list(session.scalars(select(User).order_by(User.username)))
