"""Field-by-field history of a person's details (name, practising number, institution,
department, title). Every edit adds a ``ProfileChange``; the value on the user row is
always the newest change, so records merged from many PCs agree whatever the order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.tables import ProfileChange, User, utcnow

PROFILE_FIELDS = ("display_name", "practising_number", "institution_id", "department", "title")


def record_changes(
    session: Session,
    user: User,
    values: dict[str, str | None],
    device_id: str,
    *,
    at: datetime | None = None,
) -> list[ProfileChange]:
    """Add a history entry for every field in ``values`` that differs from the history's
    newest value (a field without history counts as empty)."""
    at = at or utcnow()
    newest = newest_values(session, [user.id]).get(user.id, {})
    added = []
    for field, value in values.items():
        if field not in PROFILE_FIELDS:
            raise ValueError(field)
        if newest.get(field) == value:
            continue  # unchanged (no history and no value counts as unchanged too)
        change = ProfileChange(
            user_id=user.id, field=field, value=value, changed_at=at, device_id=device_id
        )
        session.add(change)
        added.append(change)
    return added


def _newer(a: ProfileChange, b: ProfileChange) -> bool:
    # The ID breaks ties between changes made at the same instant on two PCs.
    return (a.changed_at, a.id) > (b.changed_at, b.id)


def newest_values(session: Session, user_ids: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """For each user, the newest value of each field that has a history."""
    ids = list(user_ids)
    winners: dict[tuple[str, str], ProfileChange] = {}
    for start in range(0, len(ids), 500):
        query = select(ProfileChange).where(ProfileChange.user_id.in_(ids[start : start + 500]))
        for change in session.scalars(query):
            key = (change.user_id, change.field)
            if key not in winners or _newer(change, winners[key]):
                winners[key] = change
    result: dict[str, dict[str, str | None]] = {}
    for (user_id, field), change in winners.items():
        result.setdefault(user_id, {})[field] = change.value
    return result


def apply_newest(session: Session, user_ids: Iterable[str]) -> int:
    """Set each user's details to the newest change of each field; returns how many
    users changed. Rows are locked first so concurrent merges decide on the same data."""
    ids = sorted(set(user_ids))
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        users = session.scalars(
            select(User).where(User.id.in_(chunk)).order_by(User.id).with_for_update()
        ).all()
        newest = newest_values(session, chunk)
        for user in users:
            fields = newest.get(user.id, {})
            before = tuple(getattr(user, f) for f in PROFILE_FIELDS)
            for field, value in fields.items():
                if field == "display_name" and not value:
                    continue  # a name is required; an empty one is never the current value
                setattr(user, field, value)
            changed += before != tuple(getattr(user, f) for f in PROFILE_FIELDS)
    return changed


def history(session: Session, user_id: str) -> list[ProfileChange]:
    """All changes of one person, oldest first."""
    query = select(ProfileChange).where(ProfileChange.user_id == user_id)
    return list(session.scalars(query.order_by(ProfileChange.changed_at, ProfileChange.id)))
