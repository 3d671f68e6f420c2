"""Exam session logic: a pure state machine over stored events, and their hash chain.

The desktop records every fact as an ``ExamEvent`` (start, resume, heartbeat, navigate,
flag, unflag, answer, submit) and stores it chained (``chain_record``); the state is
``replay(events)``. Nothing here reads a clock: every time comes in with an event or as
``now``.

Timing choice, for fairness after a power cut: only time while the exam was open counts.
The desktop appends a heartbeat every ``HEARTBEAT_SECONDS`` while the exam is shown and a
``resume`` event when it is reopened. Active time is the sum of gaps between consecutive
events, each capped at ``MAX_GAP_SECONDS`` (a sleeping laptop or a stalled UI does not eat
the doctor's time), and the gap that ends in a ``resume`` is not counted at all (the
machine was off). A doctor therefore loses at most one heartbeat interval per interruption
and gains nothing by pulling the plug, since answers stay locked to the same case list.
Wall-clock time since start would instead penalise the doctor for the power cut.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assessments.assembly import AssembledExam
from assessments.blueprints import Blueprint
from assessments.scoring import Answers
from case_bank.models import Case

START, RESUME, HEARTBEAT = "start", "resume", "heartbeat"
NAVIGATE, FLAG, UNFLAG, ANSWER, SUBMIT = "navigate", "flag", "unflag", "answer", "submit"
OWN_READ = "own_read"
KINDS = (START, RESUME, HEARTBEAT, NAVIGATE, FLAG, UNFLAG, OWN_READ, ANSWER, SUBMIT)
HEARTBEAT_SECONDS = 15.0
MAX_GAP_SECONDS = 60.0
GENESIS_HASH = "0" * 64


class ExamError(Exception):
    """An event that the exam's state does not allow (a programming or tampering error)."""


class ExamLocked(ExamError):
    """The exam was submitted; nothing may change."""


class ExamTimeUp(ExamError):
    """The time limit has passed; the exam must be submitted."""


@dataclass(frozen=True)
class ExamEvent:
    kind: str
    at: float  # seconds since the epoch, UTC
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExamState:
    attempt_id: str
    blueprint_id: str
    case_ids: tuple[str, ...]
    seed: int
    started_at: float
    time_limit_seconds: float
    active_seconds: float = 0.0
    last_event_at: float = 0.0
    current: int = 0
    flagged: frozenset[str] = frozenset()
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    own_reads: Mapping[str, str] = field(default_factory=dict)
    submitted_at: float | None = None
    submit_reason: str | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def current_case_id(self) -> str:
        return self.case_ids[self.current]

    def unanswered(self) -> tuple[str, ...]:
        """Cases without an answer, for the submit confirmation."""
        return tuple(c for c in self.case_ids if c not in self.answers)


def start_event(attempt_id: str, blueprint: Blueprint, exam: AssembledExam, at: float) -> ExamEvent:
    """The first event of an attempt: what was assembled and the time limit."""
    return ExamEvent(
        START,
        at,
        {
            "attempt_id": attempt_id,
            "blueprint_id": blueprint.id,
            "case_ids": list(exam.case_ids),
            "seed": exam.seed,
            "time_limit_seconds": blueprint.time_limit_seconds,
        },
    )


def answer_event(
    case: Case, answers: Mapping[str, Any], at: float, own_read_required: bool
) -> ExamEvent:
    """An answer (``records.attempts`` layout: own_read, decision) after checking it parses."""
    parsed = Answers.from_dict(dict(answers))
    if own_read_required and case.own_read is not None and parsed.own_read is None:
        raise ExamError(f"case {case.id} needs an own read before the AI output")
    return ExamEvent(ANSWER, at, {"case_id": case.id, "answers": dict(answers)})


def remaining_seconds(state: ExamState, now: float) -> float:
    """Time left at ``now`` (the open time since the last event counts, capped)."""
    if state.submitted:
        return max(0.0, state.time_limit_seconds - state.active_seconds)
    running = min(max(0.0, now - state.last_event_at), MAX_GAP_SECONDS)
    return max(0.0, state.time_limit_seconds - state.active_seconds - running)


def _started(event: ExamEvent) -> ExamState:
    d = event.data
    case_ids = tuple(str(c) for c in d["case_ids"])
    if not case_ids or len(set(case_ids)) != len(case_ids):
        raise ExamError("an exam needs distinct cases")
    return ExamState(
        attempt_id=str(d["attempt_id"]),
        blueprint_id=str(d["blueprint_id"]),
        case_ids=case_ids,
        seed=int(d["seed"]),
        started_at=event.at,
        time_limit_seconds=float(d["time_limit_seconds"]),
        last_event_at=event.at,
    )


def _case_id(state: ExamState, event: ExamEvent) -> str:
    case_id = str(event.data.get("case_id", ""))
    if case_id not in state.case_ids:
        raise ExamError(f"case '{case_id}' is not in this exam")
    return case_id


def apply(state: ExamState, event: ExamEvent) -> ExamState:
    """The state after ``event``; raises ``ExamError`` for an event not allowed now."""
    if event.kind not in KINDS or event.kind == START:
        raise ExamError(f"unexpected event '{event.kind}'")
    if state.submitted:
        raise ExamLocked("the exam was submitted")
    gap = (
        0.0
        if event.kind == RESUME
        else min(max(0.0, event.at - state.last_event_at), MAX_GAP_SECONDS)
    )
    state = replace(state, active_seconds=state.active_seconds + gap, last_event_at=event.at)
    time_up = state.active_seconds >= state.time_limit_seconds
    if event.kind in (RESUME, HEARTBEAT):
        return state
    if event.kind == SUBMIT:
        reason = "time_up" if time_up else str(event.data.get("reason", "doctor"))
        return replace(state, submitted_at=event.at, submit_reason=reason)
    if time_up:
        raise ExamTimeUp("the time limit has passed")
    if event.kind == NAVIGATE:
        index = int(event.data.get("index", -1))
        if not 0 <= index < len(state.case_ids):
            raise ExamError(f"no case at position {index}")
        return replace(state, current=index)
    case_id = _case_id(state, event)
    if event.kind == FLAG:
        return replace(state, flagged=state.flagged | {case_id})
    if event.kind == UNFLAG:
        return replace(state, flagged=state.flagged - {case_id})
    if event.kind == OWN_READ:
        # The impression before the AI output is stored first and then locked, so the
        # AI cannot rewrite it afterwards.
        if case_id in state.own_reads:
            raise ExamError(f"case {case_id} already has its own read")
        choice = str(event.data.get("interpretation") or "")
        if not choice:
            raise ExamError("an own read needs an interpretation")
        return replace(state, own_reads={**state.own_reads, case_id: choice})
    answers = dict(event.data.get("answers") or {})
    Answers.from_dict(answers)  # refuses a malformed answer before it is kept
    own = state.own_reads.get(case_id)
    given = (answers.get("own_read") or {}).get("interpretation")
    if own is not None and given != own:
        raise ExamError(f"case {case_id}: the answer's own read differs from the stored one")
    return replace(state, answers={**state.answers, case_id: answers})


def replay(events: Iterable[ExamEvent]) -> ExamState:
    """Fold the stored events of one attempt, oldest first, into its state."""
    iterator = iter(events)
    first = next(iterator, None)
    if first is None or first.kind != START:
        raise ExamError("an attempt must begin with a start event")
    state = _started(first)
    for event in iterator:
        state = apply(state, event)
    return state


# --- Hash chain -----------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text, no NaN: the same value always gives the same text."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


@dataclass(frozen=True)
class ChainedRecord:
    """One stored event: ``hash = sha256(prev_hash + canonical_json(body))``."""

    attempt_id: str
    seq: int
    event: ExamEvent
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return _body(self.attempt_id, self.seq, self.event)

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChainedRecord:
        event = ExamEvent(str(data["kind"]), float(data["at"]), dict(data["data"]))
        return cls(
            str(data["attempt_id"]),
            int(data["seq"]),
            event,
            str(data["prev_hash"]),
            str(data["hash"]),
        )


def _body(attempt_id: str, seq: int, event: ExamEvent) -> dict[str, Any]:
    return {
        "attempt_id": attempt_id,
        "seq": seq,
        "kind": event.kind,
        "at": event.at,
        "data": dict(event.data),
    }


def _digest(prev_hash: str, body: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(body)).encode("utf-8")).hexdigest()


def chain_record(
    previous: ChainedRecord | None, attempt_id: str, event: ExamEvent
) -> ChainedRecord:
    """The record for ``event``, linked to ``previous`` (None for the first)."""
    prev_hash = previous.hash if previous is not None else GENESIS_HASH
    seq = previous.seq + 1 if previous is not None else 0
    return ChainedRecord(
        attempt_id, seq, event, prev_hash, _digest(prev_hash, _body(attempt_id, seq, event))
    )


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    bad_index: int | None = None
    reason: str = ""


def verify_chain(records: Sequence[ChainedRecord]) -> ChainCheck:
    """Recompute every link; the first record that does not match is reported."""
    prev_hash = GENESIS_HASH
    for index, record in enumerate(records):
        if record.seq != index:
            return ChainCheck(False, index, "sequence number out of order")
        if record.attempt_id != records[0].attempt_id:
            return ChainCheck(False, index, "record of another attempt")
        if record.prev_hash != prev_hash:
            return ChainCheck(False, index, "link to the previous record is broken")
        if _digest(prev_hash, record.body()) != record.hash:
            return ChainCheck(False, index, "record content does not match its hash")
        prev_hash = record.hash
    return ChainCheck(True)
