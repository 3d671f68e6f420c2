"""Database tables (SQLAlchemy 2 typed ORM). IDs are device-generated UUIDs so
records from many clinic PCs merge without clashes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are stored in UTC and always come back time-zone aware (SQLite would
    return them naive), so no caller has to patch them up."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        # A naive value means UTC (as SQLite reads it back); PostgreSQL would otherwise
        # take it in the server's time zone.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        # PostgreSQL answers in the server's zone (Asia/Shanghai at a county hub).
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dict[str, Any]: JSON,
        dict[str, float]: JSON,
        list[str]: JSON,
        datetime: UTCDateTime(),
        date: Date(),
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    # Professional details printed on certificates and used by records and reports.
    # ``institution_id`` has no foreign key: records from many PCs merge at the county.
    practising_number: Mapped[str | None] = mapped_column(String(64), default=None)
    institution_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    department: Mapped[str | None] = mapped_column(String(128), default=None)
    title: Mapped[str | None] = mapped_column(String(64), default=None)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    event: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(128), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Attempt(Base):
    """One doctor playing one case version; each stage's answer is stored as it is given."""

    __tablename__ = "attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id"), index=True)
    pack_id: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    case_version: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    status: Mapped[str] = mapped_column(String(16), default="in_progress", index=True)
    stage: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stage_seconds: Mapped[dict[str, float]] = mapped_column(default=dict)
    score: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    device_id: Mapped[str] = mapped_column(String(32), default="")
    module_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(1024))


class InstalledPack(Base):
    """A case pack installed from an archive into ``<data_dir>/packs/<folder>``."""

    __tablename__ = "installed_packs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(256))
    title_en: Mapped[str] = mapped_column(String(256))
    signer: Mapped[str | None] = mapped_column(String(128), default=None)
    signer_fingerprint: Mapped[str | None] = mapped_column(String(80), default=None)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)
    installed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    folder: Mapped[str] = mapped_column(String(160))
    manifest_sha256: Mapped[str] = mapped_column(String(64))


class TrustedKey(Base):
    """A trainer's public key an administrator trusts to sign packs on this PC."""

    __tablename__ = "trusted_keys"

    fingerprint: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    public_key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(32), default=None)


class LessonProgress(Base):
    """One doctor's reading of one lesson: position, completion, active time, checks."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "lesson_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id"), index=True)
    module_id: Mapped[str] = mapped_column(String(64), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[float] = mapped_column(Float, default=0.0)
    active_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    checks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str] = mapped_column(String(32), default="")


class ExamAttempt(Base):
    """One sitting of an exam assembled from a blueprint; its events are hash-chained."""

    __tablename__ = "exam_attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id"), index=True)
    blueprint_id: Mapped[str] = mapped_column(String(64), index=True)
    module_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    case_ids: Mapped[list[str]] = mapped_column(default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    passed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    device_id: Mapped[str] = mapped_column(String(32), default="")


class ExamEventRow(Base):
    """One exam event, chained: ``hash = sha256(prev_hash + canonical body)``."""

    __tablename__ = "exam_events"
    __table_args__ = (UniqueConstraint("attempt_id", "seq"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    attempt_id: Mapped[str] = mapped_column(String(32), ForeignKey("exam_attempts.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[float] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Institution(Base):
    """A health institution: county hospital or commission, township centre, village clinic."""

    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name_zh: Mapped[str] = mapped_column(String(256))
    name_en: Mapped[str] = mapped_column(String(256), default="")
    level: Mapped[str] = mapped_column(String(16))  # county, township, village, community
    parent_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("institutions.id"), default=None, index=True
    )
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Credential(Base):
    """A certificate: pending until the issuer key signs ``payload`` (canonical JSON)."""

    __tablename__ = "credentials"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id"), index=True)
    institution_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    exam_attempt_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("exam_attempts.id"), default=None, unique=True
    )
    blueprint_id: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(String(128))
    practising_number: Mapped[str | None] = mapped_column(String(64), default=None)
    institution_name: Mapped[str] = mapped_column(String(256), default="")
    levels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    valid_from: Mapped[date]
    valid_until: Mapped[date] = mapped_column(index=True)
    issuer_fingerprint: Mapped[str | None] = mapped_column(String(80), default=None)
    issuer_name: Mapped[str | None] = mapped_column(String(256), default=None)
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    signature: Mapped[str | None] = mapped_column(String(128), default=None)
    open_badge: Mapped[str | None] = mapped_column(Text, default=None)  # signed OB 3.0 JSON
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    replaced_by: Mapped[str | None] = mapped_column(String(32), default=None)
    device_id: Mapped[str] = mapped_column(String(32), default="")


class Revocation(Base):
    """A signed revocation; it may name a credential issued on another PC."""

    __tablename__ = "revocations"

    credential_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    issuer_fingerprint: Mapped[str] = mapped_column(String(80), index=True)
    reason: Mapped[str] = mapped_column(String(512))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_by: Mapped[str] = mapped_column(String(128))
    signature: Mapped[str] = mapped_column(String(128))


class TrustedIssuer(Base):
    """An institution's certificate-issuing public key that this PC accepts."""

    __tablename__ = "trusted_issuers"

    fingerprint: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    public_key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(32), default=None)


class VerificationCheck(Base):
    """One verification of a certificate: what was checked and what was found."""

    __tablename__ = "verification_checks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # pdf, image, json, code, token
    subject: Mapped[str] = mapped_column(String(256))
    credential_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checked_by: Mapped[str | None] = mapped_column(String(32), default=None)


class Assignment(Base):
    """A module or an exam assigned to a person or to everyone of an institution (and of
    the institutions under it), with a due date. Exactly one target and one assignee."""

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    module_id: Mapped[str | None] = mapped_column(String(64), default=None)
    blueprint_id: Mapped[str | None] = mapped_column(String(64), default=None)
    user_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    institution_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    due_date: Mapped[date]
    assigned_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str] = mapped_column(String(32), default="")


class ProfileChange(Base):
    """One change of one professional-detail field of a person. The person's current
    value is the newest change; older ones stay as history (record bundles merge them
    field by field, the newer change winning)."""

    __tablename__ = "profile_changes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(String(256), default=None)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str] = mapped_column(String(32), default="")


class BundleLogEntry(Base):
    """One record bundle written here (``export``) or merged here (``import``)."""

    __tablename__ = "bundle_log"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    direction: Mapped[str] = mapped_column(String(8), index=True)
    bundle_id: Mapped[str] = mapped_column(String(32), index=True)
    device_id: Mapped[str] = mapped_column(String(32), index=True)
    signer: Mapped[str] = mapped_column(String(256), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    since: Mapped[datetime | None] = mapped_column(default=None)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16), default="ok")
