"""The county hub: the same record flows on PostgreSQL give what they give on SQLite.

Each flow runs on a fresh SQLite file and on a fresh database of the session's real
PostgreSQL server (tests/postgres_fixtures.py, time zone Asia/Shanghai like a county
server) and returns what a user would see, with the random IDs left out; the flow checks
its own expectations on both, and the two summaries must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from credential_fixtures import LEVELS, build_world, passed_exam
from learning_fixtures import BANK, play, right_answer, wrong_answer

from assessments import exam as logic
from assessments.blueprints import builtin_blueprints
from courses.assignments import DueState
from records import accounts, assignments, attempts, audit, exams, history, institutions
from records.credentials import issuing, revocation
from records.credentials.verify import Outcome, verify_token
from records.db import Database, open_database
from records.tables import AuditEvent, ExamEventRow, User

Flow = Callable[[Database, Path], dict[str, Any]]
TODAY = date(2026, 3, 2)
CHECKED = date(2026, 6, 10)


def _utc(value: datetime | None) -> bool:
    return value is None or value.utcoffset() == timedelta(0)


def _events(db: Database) -> list[str]:
    with db.session() as session:
        rows = session.query(AuditEvent).order_by(AuditEvent.at, AuditEvent.event)
        return sorted(e.event for e in rows)


def accounts_flow(db: Database, _data_dir: Path) -> dict[str, Any]:
    assert accounts.needs_first_admin(db)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner", actor_id=admin.id)
    with pytest.raises(accounts.AccountError):
        accounts.create_user(db, "wang", "重名", "secret123", "learner")
    assert accounts.authenticate(db, "wang", "secret123").id == doctor.id
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginError):
            accounts.authenticate(db, "wang", "wrong-password")
    with pytest.raises(accounts.LoginError, match="locked"):
        accounts.authenticate(db, "wang", "secret123")
    locked = accounts.get_user(db, doctor.id)
    assert locked is not None and locked.locked_until is not None
    assert _utc(locked.locked_until) and locked.locked_until > datetime.now(UTC)
    accounts.change_role(db, admin, doctor.id, "trainer")
    return {
        "users": [(u.username, u.display_name, u.role, u.active) for u in accounts.list_users(db)],
        "locked_minutes": round((locked.locked_until - datetime.now(UTC)).total_seconds() / 60),
        "events": _events(db),
    }


def attempts_flow(db: Database, _data_dir: Path) -> dict[str, Any]:
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    when = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # already 6 January in Beijing
    play(db, doctor.id, "ecg-af-001", right_answer(BANK["ecg-af-001"]), at=when)
    play(db, doctor.id, "ecg-stemi-002", wrong_answer(BANK["ecg-stemi-002"]))
    case = BANK["ecg-peds-003"]
    info = next(p.info for p in _packs() if p.info and case.id in {c.id for c in p.cases})
    open_attempt = attempts.start_attempt(db, doctor.id, info.id, info.version, case)
    attempts.advance(db, open_attempt, case, None, 4.0)
    resumed = attempts.in_progress(db, doctor.id)
    assert resumed is not None and resumed.id == open_attempt.id
    done = attempts.completed(db, doctor.id)
    assert done[0].completed_at == when and all(_utc(a.started_at) for a in done)
    entries = history.history(db, doctor.id, BANK)
    return {
        "completed": [(a.case_id, a.status, a.stage, a.score["correct"]) for a in done],
        "answers": [a.answers for a in done],
        "seconds": [a.stage_seconds for a in done],
        "first_completed": done[0].completed_at.isoformat(),
        "history": [(e.case_id, e.correct, e.reliance, e.critical_error) for e in entries],
        "in_progress": (resumed.case_id, resumed.stage, resumed.stage_seconds),
        "study_time": history.study_time(db, doctor.id),
    }


def _packs() -> list[Any]:
    from case_bank.pack import builtin_packs

    return list(builtin_packs())


def exams_flow(db: Database, _data_dir: Path) -> dict[str, Any]:
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    blueprint = builtin_blueprints()["ecg-module-check"]
    bank = [c for c in BANK.values() if c.ai_kind == "ecg"]
    t0 = 1_780_000_000.0
    state = exams.start(db, doctor.id, blueprint, bank, t0, seed=7)
    for n, case_id in enumerate(state.case_ids):
        case, at = BANK[case_id], t0 + 20 * (n + 1)
        decision = right_answer(case) if n % 2 == 0 else wrong_answer(case)
        own = {"interpretation": decision["interpretation"]}
        exams.append(
            db, state.attempt_id, logic.ExamEvent(logic.OWN_READ, at, {"case_id": case_id, **own})
        )
        answer = logic.answer_event(case, {"own_read": own, "decision": decision}, at + 5, True)
        state = exams.append(db, state.attempt_id, answer)
    result = exams.finish(db, state.attempt_id, t0 + 300, BANK, blueprint)
    chain = exams.chain(db, state.attempt_id)
    assert logic.verify_chain(chain).ok
    passed = exams.passed_at(db, doctor.id, blueprint.id)
    stored = exams.submitted_results(db, doctor.id, blueprint.id)
    with db.session() as session:
        row = session.query(ExamEventRow).filter_by(attempt_id=state.attempt_id, seq=2).one()
        row.data = {**row.data, "interpretation": "edited"}
    with pytest.raises(exams.TamperedExam):
        exams.state(db, state.attempt_id)
    return {
        "cases": state.case_ids,
        "score": result.score,
        "passed": result.passed,
        "stored": stored,
        "passed_at": passed,
        "events": [(r.seq, r.event.kind) for r in chain],
    }


def credentials_flow(db: Database, data_dir: Path) -> dict[str, Any]:
    world = build_world(db, data_dir)
    attempt = passed_exam(db, world.doctor, datetime(2026, 6, 2, 10, tzinfo=UTC))
    credential = issuing.issue_for_exam(db, attempt, levels=LEVELS, signer=world.key)
    token = issuing.token_of(credential)
    valid = verify_token(db, token, today=CHECKED, checked_by=world.admin.id)
    assert valid.outcome == Outcome.VALID and valid.details["holder"] == "王建国"
    again = issuing.issue_for_exam(db, attempt, levels=LEVELS, signer=world.key)
    assert again.id == credential.id  # idempotent: one exam, one certificate
    revocation.revoke(db, world.admin, credential.id, "发现舞弊", world.key)
    revoked = verify_token(db, token, today=CHECKED)
    assert revoked.outcome == Outcome.REVOKED
    stored = issuing.list_credentials(db, user_id=world.doctor.id)
    assert all(_utc(c.issued_at) for c in stored)
    return {
        "credentials": [
            (c.holder_name, c.status, c.valid_from, c.valid_until, c.levels) for c in stored
        ],
        "outcomes": [valid.outcome, revoked.outcome],
        "revocations": [e["reason"] for e in revocation.revocation_list(db)["revocations"]],
        "by_code": issuing.by_code(db, credential.code) is not None,
    }


def assignments_flow(db: Database, _data_dir: Path) -> dict[str, Any]:
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    county = institutions.create_institution(db, admin, "青山县卫健委", "county")
    town = institutions.create_institution(
        db, admin, "红星乡卫生院", "township", parent_id=county.id
    )
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    doctor = institutions.set_professional_details(
        db, admin, doctor.id, institution_id=town.id, practising_number="141440300012345"
    )
    due = TODAY + timedelta(days=30)
    assignments.assign(db, admin, due=due, module_id="ecg-ai", user_id=doctor.id, today=TODAY)
    assignments.assign(
        db, admin, due=TODAY - timedelta(days=1), blueprint_id="certification",
        institution_id=county.id, today=TODAY - timedelta(days=10),
    )  # fmt: skip
    passed_exam(db, doctor, datetime(2026, 3, 1, 9, tzinfo=UTC))
    found = assignments.user_assignments(db, doctor, {}, today=TODAY)
    assert {a.state for a in found} == {DueState.OPEN, DueState.DONE}
    with db.session() as session:
        stored = session.get(User, doctor.id)
        assert stored is not None
    return {
        "assigned": sorted((a.kind, a.target, a.due, a.state, a.via_institution) for a in found),
        "chain": len(assignments.institution_chain(db, town.id)),
        "institutions": [(i.name_zh, i.level) for i in institutions.list_institutions(db)],
        "doctor": (stored.practising_number, stored.institution_id == town.id),
        "audit": [e.event for e in _recent(db)],
    }


def _recent(db: Database) -> list[AuditEvent]:
    with db.session() as session:
        return sorted(audit.recent(session), key=lambda e: e.event)


FLOWS: dict[str, Flow] = {
    "accounts": accounts_flow,
    "attempts": attempts_flow,
    "exams": exams_flow,
    "credentials": credentials_flow,
    "assignments": assignments_flow,
}


def _run(url: str | None, data_dir: Path, flow: Flow) -> dict[str, Any]:
    data_dir.mkdir()
    database = open_database(data_dir, url)
    try:
        assert database.is_sqlite == (url is None)
        return flow(database, data_dir)
    finally:
        database.close()


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_flow_gives_the_same_on_postgresql(name: str, pg_url: str, tmp_path: Path) -> None:
    on_sqlite = _run(None, tmp_path / "clinic", FLOWS[name])
    on_postgresql = _run(pg_url, tmp_path / "hub", FLOWS[name])
    assert on_postgresql == on_sqlite
