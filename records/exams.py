"""Exam attempts as stored: every event is committed, hash-chained, before the
next screen shows, and the state is always rebuilt from the stored chain."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from assessments import exam as logic
from assessments.assembly import assemble
from assessments.blueprints import Blueprint
from assessments.results import ExamResult, exam_result
from case_bank.models import Case
from records.db import Database
from records.settings import device_id
from records.tables import ExamAttempt, ExamEventRow
from xiangyi.i18n import _


class TamperedExam(Exception):
    """The stored events of an exam do not match their hash chain."""


def _records(rows: Sequence[ExamEventRow]) -> list[logic.ChainedRecord]:
    return [
        logic.ChainedRecord(
            row.attempt_id,
            row.seq,
            logic.ExamEvent(row.kind, row.at, dict(row.data)),
            row.prev_hash,
            row.hash,
        )
        for row in rows
    ]


def _rows(db: Database, attempt_id: str) -> list[ExamEventRow]:
    with db.session() as session:
        query = select(ExamEventRow).where(ExamEventRow.attempt_id == attempt_id)
        return list(session.scalars(query.order_by(ExamEventRow.seq)))


def chain(db: Database, attempt_id: str) -> list[logic.ChainedRecord]:
    """The stored chain, verified; raises TamperedExam if any record was edited."""
    records = _records(_rows(db, attempt_id))
    check = logic.verify_chain(records)
    if not check.ok:
        raise TamperedExam(
            _("The exam record was changed after it was written (event {n}).").format(
                n=check.bad_index
            )
        )
    return records


def state(db: Database, attempt_id: str) -> logic.ExamState:
    return logic.replay(r.event for r in chain(db, attempt_id))


def _store(db: Database, record: logic.ChainedRecord) -> None:
    with db.session() as session:
        session.add(
            ExamEventRow(
                attempt_id=record.attempt_id,
                seq=record.seq,
                kind=record.event.kind,
                at=record.event.at,
                data=dict(record.event.data),
                prev_hash=record.prev_hash,
                hash=record.hash,
            )
        )


def seen_case_ids(db: Database, user_id: str, blueprint_id: str) -> set[str]:
    with db.session() as session:
        rows = session.scalars(
            select(ExamAttempt).where(
                ExamAttempt.user_id == user_id, ExamAttempt.blueprint_id == blueprint_id
            )
        )
        return {case_id for row in rows for case_id in row.case_ids}


def start(
    db: Database,
    user_id: str,
    blueprint: Blueprint,
    bank: Sequence[Case],
    at: float,
    *,
    module_id: str | None = None,
    seed: int | None = None,
) -> logic.ExamState:
    """Assemble (raises AssemblyError when the bank falls short) and store the start."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    exam = assemble(blueprint, bank, seed, seen_case_ids(db, user_id, blueprint.id))
    row = ExamAttempt(
        user_id=user_id,
        blueprint_id=blueprint.id,
        module_id=module_id,
        case_ids=list(exam.case_ids),
        device_id=device_id(db),
    )
    with db.session() as session:
        session.add(row)
    record = logic.chain_record(None, row.id, logic.start_event(row.id, blueprint, exam, at))
    _store(db, record)
    return logic.replay([record.event])


def append(db: Database, attempt_id: str, event: logic.ExamEvent) -> logic.ExamState:
    """Check ``event`` against the stored state, then store it chained (committed)."""
    records = chain(db, attempt_id)
    current = logic.replay(r.event for r in records)
    new_state = logic.apply(current, event)  # raises for an event not allowed now
    _store(db, logic.chain_record(records[-1], attempt_id, event))
    return new_state


def finish(
    db: Database,
    attempt_id: str,
    at: float,
    cases: Mapping[str, Case],
    blueprint: Blueprint,
    reason: str = "doctor",
) -> ExamResult:
    """Submit (if not yet) and store the result summary on the attempt."""
    current = state(db, attempt_id)
    if not current.submitted:
        current = append(db, attempt_id, logic.ExamEvent(logic.SUBMIT, at, {"reason": reason}))
    result = exam_result(current, cases, blueprint)
    choices = {
        case_id: (answers.get("decision") or {}).get("interpretation")
        for case_id, answers in current.answers.items()
    }
    with db.session() as session:
        row = session.get(ExamAttempt, attempt_id)
        assert row is not None
        row.submitted_at = datetime.fromtimestamp(current.submitted_at or at, UTC)
        row.score = result.score
        row.passed = result.passed
        row.result = {**summary(result), "choices": choices}
    return result


def summary(result: ExamResult) -> dict[str, Any]:
    """The parts of a result kept with the attempt (for records and reports)."""
    return {
        "score": result.score,
        "passed": result.passed,
        "fail_reasons": list(result.fail_reasons),
        "failed_domains": list(result.failed_domains),
        "domain_scores": dict(result.domain_scores),
        "critical_errors": list(result.critical_errors),
        "active_seconds": result.active_seconds,
        "brier": result.brier,
        "case_totals": {c: (s.total if s else None) for c, s in result.case_scores.items()},
    }


def open_attempt(db: Database, user_id: str) -> ExamAttempt | None:
    """The user's unsubmitted exam, to resume after an interruption."""
    with db.session() as session:
        query = select(ExamAttempt).where(
            ExamAttempt.user_id == user_id, ExamAttempt.submitted_at.is_(None)
        )
        return session.scalars(query.order_by(ExamAttempt.started_at.desc())).first()


def passed_at(db: Database, user_id: str, blueprint_id: str) -> datetime | None:
    """When the user first passed ``blueprint_id`` (None if never)."""
    with db.session() as session:
        query = select(ExamAttempt).where(
            ExamAttempt.user_id == user_id,
            ExamAttempt.blueprint_id == blueprint_id,
            ExamAttempt.passed.is_(True),
        )
        row = session.scalars(query.order_by(ExamAttempt.submitted_at)).first()
        return row.submitted_at if row is not None else None


def submitted_results(db: Database, user_id: str, blueprint_id: str) -> list[tuple[float, bool]]:
    """(submitted at, passed) of the user's finished attempts, for the attempt rules."""
    with db.session() as session:
        rows = session.scalars(
            select(ExamAttempt).where(
                ExamAttempt.user_id == user_id,
                ExamAttempt.blueprint_id == blueprint_id,
                ExamAttempt.submitted_at.is_not(None),
            )
        )
        return [
            (row.submitted_at.timestamp(), bool(row.passed))
            for row in rows
            if row.submitted_at is not None
        ]
