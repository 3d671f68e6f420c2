"""Shared set-up for the record-bundle tests: clinic PCs with doctors and records, a
county hub that trusts their issuing keys, and a canonical dump of the record tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from assessments import exam as exam_logic
from records import accounts, institutions
from records.credentials import issuer, issuing, revocation
from records.credentials.issuer import IssuerKey
from records.db import Database, open_database
from records.learning import save_reading
from records.settings import device_id
from records.tables import (
    Assignment,
    Attempt,
    Credential,
    ExamAttempt,
    ExamEventRow,
    Institution,
    LessonProgress,
    ProfileChange,
    Revocation,
    User,
)

PASSPHRASE = "a long issuing passphrase"
PASSWORD = "password-123"
RECORD_TABLES = (
    Institution,
    User,
    ProfileChange,
    Assignment,
    Attempt,
    LessonProgress,
    ExamAttempt,
    ExamEventRow,
    Credential,
    Revocation,
)


@dataclass
class Clinic:
    db: Database
    data_dir: Path
    admin: User
    key: IssuerKey
    institution_id: str
    doctors: list[User] = field(default_factory=list)

    @property
    def device(self) -> str:
        return device_id(self.db)


def make_clinic(folder: Path, name: str, doctors: int = 2) -> Clinic:
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(folder)
    admin = accounts.create_user(db, "admin", f"{name}管理员", PASSWORD, "admin")
    township = institutions.create_institution(db, admin, f"{name}乡卫生院", "township")
    village = institutions.create_institution(
        db, admin, f"{name}村卫生室", "village", parent_id=township.id
    )
    issuer.create_issuer_key(db, folder, admin, name, PASSPHRASE)
    clinic = Clinic(db, folder, admin, issuer.unlock(folder, PASSPHRASE), village.id)
    for n in range(doctors):
        add_doctor(clinic, f"doc{n}", f"{name}医生{n}")
    return clinic


def add_doctor(clinic: Clinic, username: str, name: str) -> User:
    user = accounts.create_user(
        clinic.db, username, name, PASSWORD, "learner", actor_id=clinic.admin.id
    )
    user = institutions.set_professional_details(
        clinic.db,
        clinic.admin,
        user.id,
        practising_number=f"1414{len(clinic.doctors):011d}",
        institution_id=clinic.institution_id,
        title="乡村医生",
    )
    clinic.doctors.append(user)
    return user


def add_attempts(clinic: Clinic, user: User, count: int, when: datetime | None = None) -> None:
    """``count`` completed case attempts (and one still in progress, which stays home)."""
    when = when or datetime.now(UTC)
    device = clinic.device
    with clinic.db.session() as session:
        for n in range(count):
            session.add(
                Attempt(
                    user_id=user.id,
                    pack_id="core",
                    pack_version=1,
                    case_id=f"case-{n}",
                    case_version=1,
                    mode="practice",
                    status="completed",
                    stage="done",
                    answers={"triage": {"choice": "refer", "confidence": 0.7}},
                    stage_seconds={"triage": 12.5},
                    score={"total": 0.5 + n / 100, "critical": []},
                    started_at=when - timedelta(minutes=5),
                    updated_at=when,
                    completed_at=when,
                    device_id=device,
                )
            )
        session.add(
            Attempt(
                user_id=user.id,
                pack_id="core",
                pack_version=1,
                case_id="open",
                case_version=1,
                stage="triage",
                device_id=device,
            )
        )


def add_exam(clinic: Clinic, user: User, *, issue: bool = True) -> Credential | None:
    """A submitted certification exam with its hash-chained events; issued if asked."""
    with clinic.db.session() as session:
        attempt = ExamAttempt(
            user_id=user.id,
            blueprint_id="certification",
            case_ids=["a", "b"],
            submitted_at=datetime.now(UTC),
            score=0.84,
            passed=True,
            result={"score": 0.84},
            device_id=clinic.device,
        )
        session.add(attempt)
        session.flush()
        previous = None
        for seq, kind in enumerate(("start", "answer", "submit")):
            event = exam_logic.ExamEvent(kind, 1000.0 + seq, {"n": seq})
            previous = exam_logic.chain_record(previous, attempt.id, event)
            session.add(
                ExamEventRow(
                    attempt_id=attempt.id,
                    seq=previous.seq,
                    kind=kind,
                    at=event.at,
                    data=dict(event.data),
                    prev_hash=previous.prev_hash,
                    hash=previous.hash,
                )
            )
    if not issue:
        return None
    levels = {"basic_knowledge": "competent", "clinical_encounters": "proficient"}
    return issuing.issue_for_exam(clinic.db, attempt.id, levels=levels, signer=clinic.key)


def fill(clinic: Clinic, attempts: int = 3) -> None:
    """Some of everything: attempts, a lesson, exams, certificates, one revoked."""
    for user in clinic.doctors:
        add_attempts(clinic, user, attempts)
        save_reading(clinic.db, user.id, "m1", "l1", position=0.5, active_seconds=60)
    first = add_exam(clinic, clinic.doctors[0])
    add_exam(clinic, clinic.doctors[-1])
    assert first is not None
    revocation.revoke(clinic.db, clinic.admin, first.id, "考核数据有误", clinic.key)


def make_hub(folder: Path, clinics: list[Clinic]) -> tuple[Database, User]:
    """A county hub with its administrator, trusting the clinics' issuing keys."""
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(folder)
    admin = accounts.create_user(db, "countyadmin", "县卫健委管理员", PASSWORD, "admin")
    for clinic in clinics:
        issuer.trust_issuer(db, admin, clinic.key.public)
    return db, admin


def empty_hub(folder: Path) -> Database:
    """A hub database with no accounts of its own (its dump holds imports only)."""
    folder.mkdir(parents=True, exist_ok=True)
    return open_database(folder)


def signers(clinics: list[Clinic]) -> dict[str, tuple[str, Ed25519PublicKey]]:
    """The clinics' issuing keys, for a hub without accounts of its own."""
    return {
        c.key.fingerprint: (c.key.name, Ed25519PublicKey.from_public_bytes(c.key.public.raw))
        for c in clinics
    }


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every record table, rows sorted, timestamps and JSON as text: two databases hold
    the same records exactly when their dumps are equal."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.session() as session:
        for table in RECORD_TABLES:
            columns = list(table.__table__.columns)
            rows = session.execute(select(*columns)).all()
            out[table.__tablename__] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out
