"""Institutions as a tree (county → township → village or community): rename, move,
and walk it. Moves keep the level rules of ``records.institutions.PARENT_LEVELS`` and
never make an institution its own ancestor. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import audit
from records.accounts import AccountError
from records.db import Database
from records.institutions import Level, check_placement
from records.people import confirm_admin, require_admin
from records.tables import Institution, User
from xiangyi.i18n import _

_LEVEL_ORDER: dict[str, int] = {
    Level.COUNTY: 0,
    Level.TOWNSHIP: 1,
    Level.COMMUNITY: 2,
    Level.VILLAGE: 3,
}


@dataclass
class Node:
    """One institution with the institutions directly under it, sorted by name."""

    institution: Institution
    children: list[Node] = field(default_factory=list)


def institution_tree(db: Database) -> list[Node]:
    """The institutions as a forest of roots (an orphan whose parent is gone is a root)."""
    with db.session() as session:
        rows = list(session.scalars(select(Institution)))
    nodes = {row.id: Node(row) for row in rows}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.institution.parent_id or "")
        (parent.children if parent else roots).append(node)

    def key(node: Node) -> tuple[int, str]:
        return (_LEVEL_ORDER.get(node.institution.level, 9), node.institution.name_zh)

    def sort(level: list[Node]) -> None:
        level.sort(key=key)
        for node in level:
            sort(node.children)

    sort(roots)
    return roots


def rename_institution(
    db: Database, actor: User | None, institution_id: str, name_zh: str, *, name_en: str = ""
) -> Institution:
    """Change an institution's names (audited with the old and new Chinese name)."""
    actor = require_admin(actor)
    if not name_zh.strip() or len(name_zh) > 256 or len(name_en) > 256:
        raise AccountError(_("Please enter the institution's name (at most 256 characters)."))
    with db.session() as session:
        confirm_admin(session, actor)
        row = _get(session, institution_id)
        old = row.name_zh
        row.name_zh, row.name_en = name_zh.strip(), name_en.strip()
        session.add(row)
        audit.record(
            session,
            "institution_renamed",
            actor_id=actor.id,
            subject=row.id,
            old=old,
            new=row.name_zh,
        )
    return row


def move_institution(
    db: Database, actor: User | None, institution_id: str, parent_id: str | None
) -> Institution:
    """Place an institution (with everything under it) under another, or at the top."""
    actor = require_admin(actor)
    with db.session() as session:
        confirm_admin(session, actor)
        row = _get(session, institution_id)
        if parent_id is not None:
            check_placement(session, row.level, parent_id)
            if institution_id in _ancestors(session, parent_id):
                raise AccountError(_("An institution cannot be moved under itself."))
        old = row.parent_id
        row.parent_id = parent_id
        session.add(row)
        audit.record(
            session, "institution_moved", actor_id=actor.id, subject=row.id, old=old, new=parent_id
        )
    return row


def find_institution(session: Session, code_or_name: str) -> Institution | None:
    """The institution with this code, or else with exactly this Chinese or English name."""
    text = code_or_name.strip()
    if not text:
        return None
    by_code = session.scalars(select(Institution).where(Institution.code == text)).first()
    if by_code is not None:
        return by_code
    by_name = select(Institution).where(
        (Institution.name_zh == text) | (Institution.name_en == text)
    )
    return session.scalars(by_name).first()


def _ancestors(session: Session, institution_id: str) -> set[str]:
    """``institution_id`` and every institution above it (stops on a damaged loop)."""
    seen: set[str] = set()
    current: str | None = institution_id
    while current is not None and current not in seen:
        seen.add(current)
        row = session.get(Institution, current)
        current = row.parent_id if row is not None else None
    return seen


def _get(session: Session, institution_id: str) -> Institution:
    row = session.get(Institution, institution_id)
    if row is None:
        raise AccountError(_("The institution does not exist."))
    return row
