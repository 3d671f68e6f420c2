"""Audit log of security-relevant events (logins, accounts, roles, trust)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.tables import AuditEvent


def record(
    session: Session,
    event: str,
    *,
    actor_id: str | None = None,
    subject: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to ``session``; it commits with the change it describes."""
    entry = AuditEvent(event=event, actor_id=actor_id, subject=subject, detail=detail)
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 200, event: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.at.desc()).limit(limit)
    if event:
        query = query.where(AuditEvent.event == event)
    return list(session.scalars(query))
