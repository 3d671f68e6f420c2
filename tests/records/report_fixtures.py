"""A small, realistic county for the report tests, made through the real record code:
a county commission with a township centre and a village clinic under it, a community
centre, four doctors who read lessons, play practice cases (right, wrong, following a
wrong AI, a critical error), sit module checks and the certification exam, and hold
certificates (one valid, one revoked)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from credential_fixtures import LEVELS, PASSPHRASE
from learning_fixtures import BANK, play, right_answer, wrong_answer

from assessments import exam as logic
from assessments.blueprints import builtin_blueprints
from records import accounts, exams, institutions, learning
from records.credentials import issuer, issuing, revocation
from records.db import Database, open_database
from records.reports.catalogue import Catalogue, builtin_catalogue
from records.tables import Attempt, Institution, User

ADMIN_PASSWORD = "admin-pass-1"
LEARNER_PASSWORD = "learner-pass-1"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@dataclass
class County:
    db: Database
    data_dir: Path
    admin: User
    county: Institution
    township: Institution
    village: Institution
    community: Institution
    doctors: dict[str, User] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=builtin_catalogue)


def _doctor(county: County, username: str, name: str, place: Institution, number: str) -> User:
    user = accounts.create_user(
        county.db, username, name, LEARNER_PASSWORD, "learner", actor_id=county.admin.id
    )
    return institutions.set_professional_details(
        county.db, county.admin, user.id, practising_number=number,
        institution_id=place.id, department="全科", title="主治医师",
    )  # fmt: skip


def sit_exam(db: Database, user: User, blueprint_id: str, start: float, good: bool) -> str:
    """A real exam through records.exams, every case answered right (``good``) or
    wrong; returns the exam attempt id."""
    blueprint = builtin_blueprints()[blueprint_id]
    state = exams.start(db, user.id, blueprint, list(BANK.values()), start, seed=11)
    for n, case_id in enumerate(state.case_ids):
        case, at = BANK[case_id], start + 30 * (n + 1)
        decision = right_answer(case) if good else wrong_answer(case)
        own = {"interpretation": decision["interpretation"]}
        exams.append(
            db, state.attempt_id, logic.ExamEvent(logic.OWN_READ, at, {"case_id": case_id, **own})
        )
        answer = logic.answer_event(case, {"own_read": own, "decision": decision}, at + 9, False)
        state = exams.append(db, state.attempt_id, answer)
    exams.finish(db, state.attempt_id, start + 30 * (len(state.case_ids) + 1), BANK, blueprint)
    return state.attempt_id


def _critical(case_id: str) -> dict[str, object]:
    case = BANK[case_id]
    answer = right_answer(case)
    answer["action"] = case.key.critical_actions[0]
    return answer


def _cases(kind: str, count: int) -> list[str]:
    return sorted(c.id for c in BANK.values() if c.ai_kind == kind)[:count]


def build_county(db: Database, data_dir: Path) -> County:
    admin = accounts.create_user(db, "admin", "张主任", ADMIN_PASSWORD, "admin")
    county_inst = institutions.create_institution(
        db, admin, "青山县卫生健康委员会", "county", name_en="Qingshan County Health Commission"
    )
    township = institutions.create_institution(
        db, admin, "红星乡卫生院", "township", name_en="Hongxing Township Health Centre",
        parent_id=county_inst.id, code="HX-001",
    )  # fmt: skip
    village = institutions.create_institution(
        db, admin, "红星村卫生室", "village", name_en="Hongxing Village Clinic",
        parent_id=township.id,
    )  # fmt: skip
    community = institutions.create_institution(
        db, admin, "城关社区卫生服务中心", "community", parent_id=county_inst.id
    )
    county = County(db, data_dir, admin, county_inst, township, village, community)
    doctors = county.doctors
    doctors["wang"] = _doctor(county, "wangjg", "王建国", township, "141440300012345")
    doctors["li"] = _doctor(county, "lixm", "李秀梅", village, "141440300054321")
    doctors["zhao"] = _doctor(county, "zhaolei", "赵磊", community, "141440300099999")
    doctors["new"] = _doctor(county, "chenxin", "陈新", township, "")
    accounts.create_user(db, "trainer", "刘老师", "trainer-pass-1", "trainer", actor_id=admin.id)
    _learn(county)
    return county


def _learn(county: County) -> None:
    db, wang, li, zhao = (
        county.db,
        county.doctors["wang"],
        county.doctors["li"],
        county.doctors["zhao"],
    )
    ecg = _cases("ecg", 4)
    for n, case_id in enumerate(ecg):
        at = T0 + timedelta(hours=n)
        play(db, wang.id, case_id, right_answer(BANK[case_id]), at=at, seconds=40.0)
        play(db, li.id, case_id, wrong_answer(BANK[case_id]), at=at, seconds=25.0)
    for n, case_id in enumerate(_cases("image", 3)):
        play(db, zhao.id, case_id, right_answer(BANK[case_id]), at=T0 + timedelta(days=1, hours=n))
    critical = next(c.id for c in BANK.values() if c.key.critical_actions)
    play(db, li.id, critical, _critical(critical), at=T0 + timedelta(days=2))
    ecg_module = next(m for m in county.catalogue.modules if m.id == "ecg-ai")
    for who in (wang, zhao):
        for lesson in ecg_module.lessons:
            learning.save_reading(
                db, who.id, "ecg-ai", lesson.id, position=1.0, active_seconds=300.0, completed=True
            )
    for n, case_id in enumerate(county.catalogue.practice_ids["ecg-ai"]):
        play(
            db, zhao.id, case_id, right_answer(BANK[case_id]), at=T0 + timedelta(days=3, minutes=n)
        )
    # Practice attempts in a module count towards it and its study time.
    with db.session() as session:
        for row in session.query(Attempt).filter(Attempt.user_id.in_([wang.id, zhao.id])):
            if BANK[row.case_id].ai_kind == "ecg":
                row.module_id = "ecg-ai"
    start = T0.timestamp() + 5 * 86400
    wang_exam = sit_exam(db, wang, "certification", start, good=True)
    sit_exam(db, li, "certification", start + 3600, good=False)
    sit_exam(db, zhao, "ecg-module-check", start + 7200, good=True)
    zhao_exam = sit_exam(db, zhao, "certification", start + 9000, good=True)
    issuer.create_issuer_key(db, county.data_dir, county.admin, "青山县卫生健康委员会", PASSPHRASE)
    key = issuer.unlock(county.data_dir, PASSPHRASE)
    issuing.issue_for_exam(db, wang_exam, levels=LEVELS, signer=key)
    revoked = issuing.issue_for_exam(db, zhao_exam, levels=LEVELS, signer=key)
    revocation.revoke(db, county.admin, revoked.id, "信息有误", key)


_BUILT: list[tuple[Path, County]] = []  # one county per test process


@pytest.fixture(scope="session")
def county_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, County]:
    """The county built once per test process (it takes seconds: password hashing and
    real exams), whichever test module asks first; each test gets its own copy of the
    files through ``county``. Imported into several modules, the fixture is registered
    once per module, hence the cache."""
    if not _BUILT:
        data_dir = tmp_path_factory.mktemp("county") / "data"
        data_dir.mkdir()
        db = open_database(data_dir)
        built = build_county(db, data_dir)
        db.close()  # checkpoints the WAL, so the folder can be copied as it is
        _BUILT.append((data_dir, built))
    return _BUILT[0]


@pytest.fixture
def county(county_template: tuple[Path, County], tmp_path: Path) -> Iterator[County]:
    """A fresh copy of the county's database and keys for one test."""
    source, built = county_template
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    db = open_database(data_dir)
    yield replace(built, db=db, data_dir=data_dir)
    db.close()
