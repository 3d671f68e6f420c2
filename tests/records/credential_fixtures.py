"""Shared set-up for the credential tests: an issuer, an institution, a doctor with a
passed certification exam, and helpers to issue and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from records import accounts, institutions
from records.credentials import issuer, issuing
from records.credentials.issuer import IssuerKey
from records.db import Database
from records.tables import Credential, ExamAttempt, User

PASSPHRASE = "a long issuing passphrase"
LEVELS = {
    "basic_knowledge": "competent",
    "social_ethical": "proficient",
    "clinical_encounters": "competent",
    "evidence_evaluation": "developing",
    "workflow_analysis": "competent",
    "practice_improvement": "not_yet_competent",
}


@dataclass
class World:
    db: Database
    data_dir: Path
    admin: User
    doctor: User
    institution_id: str
    key: IssuerKey


def passed_exam(db: Database, user: User, when: datetime | None = None) -> str:
    with db.session() as session:
        attempt = ExamAttempt(
            user_id=user.id,
            blueprint_id="certification",
            case_ids=[],
            submitted_at=when or datetime(2025, 6, 2, 10, tzinfo=UTC),
            score=0.84,
            passed=True,
            result={},
        )
        session.add(attempt)
    return attempt.id


def make_doctor(world: World, username: str, name: str, number: str = "141440300012345") -> User:
    user = accounts.create_user(
        world.db, username, name, "password-123", "learner", actor_id=world.admin.id
    )
    return institutions.set_professional_details(
        world.db,
        world.admin,
        user.id,
        practising_number=number,
        institution_id=world.institution_id,
    )


def build_world(db: Database, data_dir: Path) -> World:
    admin = accounts.create_user(db, "admin", "张主任", "password-123", "admin")
    township = institutions.create_institution(
        db, admin, "红星乡卫生院", "township", name_en="Hongxing Township Health Centre"
    )
    issuer.create_issuer_key(db, data_dir, admin, "青山县卫生健康委员会", PASSPHRASE)
    world = World(db, data_dir, admin, admin, township.id, issuer.unlock(data_dir, PASSPHRASE))
    world.doctor = make_doctor(world, "wangjg", "王建国")
    return world


def issue(world: World, user: User | None = None, when: datetime | None = None) -> Credential:
    attempt = passed_exam(world.db, user or world.doctor, when)
    return issuing.issue_for_exam(world.db, attempt, levels=LEVELS, signer=world.key)
