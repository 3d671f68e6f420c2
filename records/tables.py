"""Database tables. IDs are device-generated UUIDs so records merge across PCs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(**kwargs: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), **kwargs))


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    username: str = Field(index=True, unique=True, max_length=64)
    display_name: str = Field(max_length=128)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=256)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts(nullable=False, default=utcnow)
    language: str = Field(default="zh_CN", max_length=8)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    at: datetime = _ts(nullable=False, default=utcnow, index=True)
    actor_id: str | None = Field(default=None, max_length=32, index=True)
    event: str = Field(max_length=64, index=True)
    subject: str | None = Field(default=None, max_length=128)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Attempt(SQLModel, table=True):
    """One doctor playing one case version; each stage's answer is stored as it is given."""

    __tablename__ = "attempts"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=32)
    pack_id: str = Field(max_length=64)
    pack_version: int
    case_id: str = Field(max_length=64, index=True)
    case_version: int
    mode: str = Field(default="practice", max_length=16)
    status: str = Field(default="in_progress", max_length=16, index=True)
    stage: str = Field(max_length=16)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    stage_seconds: dict[str, float] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    score: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    started_at: datetime = _ts(nullable=False, default=utcnow)
    updated_at: datetime = _ts(nullable=False, default=utcnow)
    completed_at: datetime | None = _ts(nullable=True)
    device_id: str = Field(default="", max_length=32)


class Setting(SQLModel, table=True):
    __tablename__ = "settings"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1024)
