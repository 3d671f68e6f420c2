"""Institutions (county, township, village, community) and the professional details of
users that certificates, records and reports print: practising number, institution,
department and title."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import audit
from records.accounts import AccountError, Role
from records.db import Database
from records.people import confirm_admin
from records.profiles import record_changes
from records.settings import device_id
from records.tables import Institution, User
from xiangyi.i18n import N_, _


class Level(StrEnum):
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    COMMUNITY = "community"


# Which levels an institution of each level may sit under. A root may be of any level:
# a township centre's PC need not register the county above it.
PARENT_LEVELS: dict[str, frozenset[str]] = {
    Level.COUNTY: frozenset(),
    Level.TOWNSHIP: frozenset({Level.COUNTY}),
    Level.VILLAGE: frozenset({Level.TOWNSHIP}),
    Level.COMMUNITY: frozenset({Level.COUNTY, Level.TOWNSHIP}),
}

LEVEL_LABELS = {
    Level.COUNTY: N_("County"),
    Level.TOWNSHIP: N_("Township"),
    Level.VILLAGE: N_("Village"),
    Level.COMMUNITY: N_("Community"),
}


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise AccountError(_("Only an administrator can do this."))


def create_institution(
    db: Database,
    actor: User,
    name_zh: str,
    level: str,
    *,
    name_en: str = "",
    parent_id: str | None = None,
    code: str | None = None,
) -> Institution:
    """Add an institution (administrators; audited)."""
    _require_admin(actor)
    if not name_zh.strip() or len(name_zh) > 256 or len(name_en) > 256:
        raise AccountError(_("Please enter the institution's name (at most 256 characters)."))
    if level not in set(Level):
        raise AccountError(_("Unknown institution level '{level}'.").format(level=level))
    with db.session() as session:
        confirm_admin(session, actor)
        if parent_id is not None:
            check_placement(session, level, parent_id)
        code = (code or "").strip() or None
        if code and session.scalars(select(Institution).where(Institution.code == code)).first():
            raise AccountError(
                _("The code '{code}' is already used by another institution.").format(code=code)
            )
        row = Institution(
            name_zh=name_zh.strip(),
            name_en=name_en.strip(),
            level=level,
            parent_id=parent_id,
            code=code,
        )
        session.add(row)
        session.flush()
        audit.record(
            session, "institution_created", actor_id=actor.id, subject=row.id, name=row.name_zh
        )
    return row


def check_placement(session: Session, level: str, parent_id: str) -> Institution:
    """Return the parent, or raise AccountError if ``level`` may not sit under it."""
    parent = session.get(Institution, parent_id)
    if parent is None:
        raise AccountError(_("The parent institution does not exist."))
    if parent.level not in PARENT_LEVELS.get(level, frozenset()):
        raise AccountError(
            _("A {child} cannot be placed under a {parent}.").format(
                child=_(LEVEL_LABELS[Level(level)]).lower(),
                parent=_(LEVEL_LABELS[Level(parent.level)]).lower(),
            )
        )
    return parent


def list_institutions(db: Database) -> list[Institution]:
    with db.session() as session:
        return list(session.scalars(select(Institution).order_by(Institution.name_zh)))


def get_institution(db: Database, institution_id: str | None) -> Institution | None:
    if institution_id is None:
        return None
    with db.session() as session:
        return session.get(Institution, institution_id)


def set_professional_details(
    db: Database,
    actor: User,
    user_id: str,
    *,
    practising_number: str | None = None,
    institution_id: str | None = None,
    department: str | None = None,
    title: str | None = None,
) -> User:
    """Set what a certificate prints about a person (administrators; audited)."""
    _require_admin(actor)
    device = device_id(db)
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccountError(_("No such user."))
        if institution_id is not None and session.get(Institution, institution_id) is None:
            raise AccountError(_("The institution does not exist."))
        user.practising_number = (practising_number or "").strip()[:64] or None
        user.institution_id = institution_id
        user.department = (department or "").strip()[:128] or None
        user.title = (title or "").strip()[:64] or None
        session.add(user)
        fields = ("practising_number", "institution_id", "department", "title")
        record_changes(session, user, {f: getattr(user, f) for f in fields}, device)
        audit.record(session, "user_details_changed", actor_id=actor.id, subject=user.id)
    return user
