"""A learner with a realistic month of study, for screenshots of the home and history
screens: lessons read, cases played through the real attempt code over four weeks (some
wrong, some unsure), a module assigned with a due date, and a certificate that expires
soon. Everything is made up; used by scripts/screenshots.py."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from case_bank.models import Case
from case_bank.pack import Pack, builtin_packs_dir, load_pack
from courses.loader import builtin_modules_dir, load_modules
from records import accounts, attempts
from records.assignments import assign
from records.db import Database
from records.learning import save_reading
from records.tables import Attempt, ExamAttempt, User

PASSPHRASE = "sample issuing passphrase"


def _packs() -> list[Pack]:
    """Built-in packs that load cleanly (content may be mid-edit)."""
    packs = [
        load_pack(p.parent, check_assets=False) for p in builtin_packs_dir().glob("*/pack.yaml")
    ]
    return [pack for pack in packs if pack.valid and pack.info is not None]


def _decision(case: Case, rng: random.Random, right: bool) -> dict[str, object]:
    key = case.key
    ranked = sorted(key.interpretation, key=lambda o: -key.interpretation[o])
    options = [o.id for o in case.decision.interpretations]
    wrong = [o for o in options if key.interpretation.get(o, 0.0) < 1.0] or ranked
    expected = str(key.expected_reliance)
    return {
        "reliance": expected if right else ("accept" if expected == "override" else "override"),
        "interpretation": ranked[0] if right else rng.choice(wrong),
        "confidence": rng.choice([0.5, 0.6, 0.8, 0.9, 0.9]) if right else rng.choice([0.7, 0.9]),
        "action": key.ideal_actions[0]
        if right
        else rng.choice([o.id for o in case.decision.actions]),
        "limitations": [str(x) for x in key.limitations] if right else [],
    }


def _play(db: Database, user: User, pack: Pack, case: Case, decision: dict, at: datetime) -> None:  # type: ignore[type-arg]
    assert pack.info is not None
    attempt = attempts.start_attempt(db, user.id, pack.info.id, pack.info.version, case)
    while attempt.stage != attempts.FEEDBACK:
        answer = None
        if attempt.stage == attempts.OWN_READ:
            answer = {"interpretation": decision["interpretation"]}
        elif attempt.stage == attempts.DECISION:
            answer = decision
        attempt = attempts.advance(db, attempt, case, answer, 40.0 + 80.0 * random.random())
    with db.session() as session:
        stored = session.get(Attempt, attempt.id)
        assert stored is not None
        stored.completed_at = stored.updated_at = at


def seed_learner(db: Database, data_dir: Path, admin: User) -> User:
    """李秀英, a township doctor four weeks into her training."""
    from records.credentials import issuer, issuing

    rng = random.Random(11)
    doctor = accounts.create_user(
        db, "lixy", "李秀英", "learner-pass-1", "learner", actor_id=admin.id
    )
    now = datetime.now(UTC)
    modules = {m.module.id: m.module for m in load_modules(builtin_modules_dir()) if m.module}
    # All of the foundations module's lessons, the first lesson of the ECG module.
    for module_id, count in (("ai-foundations", 99), ("ecg-ai", 1)):
        for lesson in modules[module_id].lessons[:count] if module_id in modules else []:
            save_reading(
                db,
                doctor.id,
                module_id,
                lesson.id,
                position=1.0,
                active_seconds=60.0 * lesson.minutes * rng.uniform(0.8, 1.3),
                completed=True,
            )
    played = [(pack, case) for pack in _packs() for case in pack.cases]
    rng.shuffle(played)
    for index, (pack, case) in enumerate(played[:26]):
        right = rng.random() < 0.62
        at = now - timedelta(days=27 - index, hours=rng.randint(0, 8))
        _play(db, doctor, pack, case, _decision(case, rng, right), at)
    assign(db, admin, due=date.today() + timedelta(days=5), module_id="ecg-ai", user_id=doctor.id)
    # Certified almost three years ago: the home screen reminds her to re-certify.
    issuer.create_issuer_key(db, data_dir, admin, "青山县卫生健康委员会", PASSPHRASE)
    with db.session() as session:
        exam = ExamAttempt(
            user_id=doctor.id,
            blueprint_id="certification",
            case_ids=[],
            submitted_at=now - timedelta(days=3 * 365 - 48),
            score=0.84,
            passed=True,
            result={"active_seconds": 3600.0},
        )
        session.add(exam)
    levels = dict.fromkeys(
        (
            "basic_knowledge",
            "social_ethical",
            "clinical_encounters",
            "evidence_evaluation",
            "workflow_analysis",
            "practice_improvement",
        ),
        "competent",
    )
    issuing.issue_for_exam(db, exam.id, levels=levels, signer=issuer.unlock(data_dir, PASSPHRASE))
    return doctor
