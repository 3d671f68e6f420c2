"""Learning-record statements (xAPI 1.0.3) as JSON lines.

Mapping (docs/records.md has the full table):

- a case attempt: ``attempted`` when started; ``answered`` when decided, with the score
  (``score.scaled`` = case score 0–1), ``success`` = correct interpretation,
  ``completion``, ``duration`` (time on the stages) and the reliance data as result
  extensions;
- a lesson read to the end: ``completed``, with the active reading time;
- a module completed: ``completed``;
- an exam: ``attempted`` when started; each case ``answered`` at its last answer, with
  the case score; ``passed`` or ``failed`` when submitted, with the exam score.

Actors are ``account`` agents: ``homePage`` is the IRI of the doctor's institution (of
this installation when the doctor has none) and ``name`` is the user id; no names or
practising numbers leave in statements. Statement ids are UUID version 5 of the record
and verb, so exporting again gives the same ids and a learning record store keeps one.
Timestamps are those of the act, in UTC. Extensions are under ``EXTENSION_BASE``.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assessments.blueprints import builtin_blueprints
from assessments.exam import ANSWER
from courses.progress import Status
from records.db import Database
from records.reports import derive, gather
from records.reports.catalogue import Catalogue
from records.reports.files import atomic_target
from records.reports.gather import ExamRow, Person, Rows
from records.reports.record import CancelCheck, Progress, check, resolve_scope
from records.settings import device_id
from records.tables import ExamAttempt, ExamEventRow

BASE_IRI = "https://xiangyi.example.org"
XAPI_BASE = f"{BASE_IRI}/xapi"
EXTENSION_BASE = f"{XAPI_BASE}/ext/"
ACTIVITY_BASE = f"{XAPI_BASE}/activities/"
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"{XAPI_BASE}/statements")
VERSION = "1.0.3"

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "attempted": {"en-US": "attempted", "zh-CN": "尝试"},
    "answered": {"en-US": "answered", "zh-CN": "作答"},
    "completed": {"en-US": "completed", "zh-CN": "完成"},
    "passed": {"en-US": "passed", "zh-CN": "通过"},
    "failed": {"en-US": "failed", "zh-CN": "未通过"},
}
ACTIVITY_TYPES = {
    "case": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "exam": "http://adlnet.gov/expapi/activities/assessment",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "module": "http://adlnet.gov/expapi/activities/module",
}
# Result extensions: what the doctor did with the AI output in one case.
EXT_RELIANCE = EXTENSION_BASE + "reliance"  # appropriate_acceptance, over_reliance, …
EXT_AI_CORRECT = EXTENSION_BASE + "ai-correct"
EXT_OWN_READ_CORRECT = EXTENSION_BASE + "own-read-correct"
EXT_SWITCHED = EXTENSION_BASE + "switched-after-ai"
EXT_CRITICAL_ERROR = EXTENSION_BASE + "critical-error"
EXT_CRITICAL_ERRORS = EXTENSION_BASE + "critical-errors"  # count, on an exam
EXT_CONFIDENCE = EXTENSION_BASE + "confidence"
# Context extensions.
EXT_AI_KIND = EXTENSION_BASE + "ai-kind"
EXT_MODE = EXTENSION_BASE + "mode"
EXT_DOMAINS = EXTENSION_BASE + "domains"


def iso_time(moment: datetime) -> str:
    """``2026-03-02T01:00:00.000Z`` (UTC; a naive time is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration, to the hundredth of a second as xAPI asks: ``PT1H2M3.5S``."""
    centis = round(max(0.0, seconds) * 100)
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    text = f"{rest // 100}.{rest % 100:02d}".rstrip("0").rstrip(".")
    seconds_part = f"{text}S" if rest or not (hours or minutes) else ""
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + seconds_part


def statement_id(*parts: str) -> str:
    return str(uuid.uuid5(STATEMENT_NAMESPACE, "/".join(parts)))


def _registration(record_id: str) -> str:
    try:
        return str(uuid.UUID(hex=record_id))
    except ValueError:  # an id not made by uuid4().hex: still one stable UUID per record
        return statement_id("registration", record_id)


def home_page(institution_id: str | None, installation: str) -> str:
    if institution_id:
        return f"{BASE_IRI}/institutions/{institution_id}"
    return f"{BASE_IRI}/installations/{installation}"


def _activity(kind: str, key: str, zh: str, en: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{ACTIVITY_BASE}{kind}/{key}",  # ids are [a-z0-9._-]: safe in an IRI path
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"zh-CN": zh, "en-US": en or zh}},
    }


def _statement(
    sid: str, actor: dict[str, Any], verb: str, obj: dict[str, Any], at: datetime, **more: Any
) -> dict[str, Any]:
    statement = {
        "id": sid,
        "actor": actor,
        "verb": {"id": ADL + verb, "display": VERBS[verb]},
        "object": obj,
        "timestamp": iso_time(at),
        "version": VERSION,
    }
    statement.update({k: v for k, v in more.items() if v is not None})
    return statement


def _context(
    registration: str, extensions: Mapping[str, Any], parent: Any = None
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": registration,
        "platform": "Xiangyi",
        "language": "zh-CN",
        "extensions": dict(extensions),
    }
    if parent is not None:
        context["contextActivities"] = {"parent": [parent]}
    return context


def _score(scaled: float) -> dict[str, float]:
    value = min(1.0, max(0.0, float(scaled)))
    return {"scaled": round(value, 4), "raw": round(value, 4), "min": 0.0, "max": 1.0}


def _case_statements(
    actor: dict[str, Any], rows: Rows, catalogue: Catalogue
) -> Iterator[dict[str, Any]]:
    for attempt in rows.cases:
        case = catalogue.cases.get(attempt.case_id)
        title = case.title if case is not None else None
        obj = _activity(
            "case", attempt.case_id, title.zh_CN if title else attempt.case_id,
            title.en if title else attempt.case_id,
        )  # fmt: skip
        ext: dict[str, Any] = {EXT_MODE: attempt.mode}
        if case is not None:
            ext[EXT_AI_KIND] = str(case.ai_kind)
            ext[EXT_DOMAINS] = [str(d) for d in case.domains]
        context = _context(_registration(attempt.id), ext)
        yield _statement(
            statement_id("case", attempt.id, "attempted"), actor, "attempted", obj,
            attempt.started_at, context=context,
        )  # fmt: skip
        score = attempt.score
        if attempt.status != "completed" or score is None or attempt.completed_at is None:
            continue
        extensions = {
            EXT_RELIANCE: score.get("reliance"),
            EXT_AI_CORRECT: score.get("ai_correct"),
            EXT_OWN_READ_CORRECT: score.get("own_read_correct"),
            EXT_SWITCHED: score.get("switched"),
            EXT_CRITICAL_ERROR: bool(score.get("critical_error")),
            EXT_CONFIDENCE: attempt.confidence,
        }
        result = {
            "score": _score(score.get("total", 0.0)),
            "success": bool(score.get("correct")),
            "completion": True,
            "duration": iso_duration(attempt.seconds),
            "extensions": {k: v for k, v in extensions.items() if v is not None},
        }
        yield _statement(
            statement_id("case", attempt.id, "answered"), actor, "answered", obj,
            attempt.completed_at, result=result, context=context,
        )  # fmt: skip


def _exam_statements(
    actor: dict[str, Any], exam: ExamRow, answered: Mapping[str, float], catalogue: Catalogue
) -> Iterator[dict[str, Any]]:
    blueprint = builtin_blueprints().get(exam.blueprint_id)
    obj = _activity(
        "exam", exam.blueprint_id, blueprint.title.zh_CN if blueprint else exam.blueprint_id,
        blueprint.title.en if blueprint else exam.blueprint_id,
    )  # fmt: skip
    context = _context(_registration(exam.id), {EXT_MODE: "exam"})
    yield _statement(
        statement_id("exam", exam.id, "attempted"), actor, "attempted", obj, exam.started_at,
        context=context,
    )  # fmt: skip
    if exam.submitted_at is None or exam.passed is None:
        return
    critical = set(exam.result.get("critical_errors", []))
    for case_id, total in exam.result.get("case_totals", {}).items():
        case = catalogue.cases.get(case_id)
        if total is None or case_id not in answered:
            continue  # unanswered: nothing was done, so nothing to state
        case_obj = _activity(
            "case",
            case_id,
            case.title.zh_CN if case else case_id,
            case.title.en if case else case_id,
        )
        ext = {EXT_MODE: "exam", **({EXT_AI_KIND: str(case.ai_kind)} if case else {})}
        yield _statement(
            statement_id("exam", exam.id, "answered", case_id), actor, "answered", case_obj,
            datetime.fromtimestamp(answered[case_id], UTC),
            result={"score": _score(total), "completion": True,
                    "extensions": {EXT_CRITICAL_ERROR: case_id in critical}},
            context=_context(_registration(exam.id), ext, parent=obj),
        )  # fmt: skip
    verb = "passed" if exam.passed else "failed"
    result = {
        "score": _score(exam.score or 0.0),
        "success": bool(exam.passed),
        "completion": True,
        "duration": iso_duration(float(exam.result.get("active_seconds", 0.0))),
        "extensions": {EXT_CRITICAL_ERRORS: len(critical)},
    }
    yield _statement(
        statement_id("exam", exam.id, verb), actor, verb, obj, exam.submitted_at,
        result=result, context=context,
    )  # fmt: skip


def _learning_statements(
    actor: dict[str, Any], person: Person, rows: Rows, catalogue: Catalogue
) -> Iterator[dict[str, Any]]:
    modules = {m.id: m for m in catalogue.modules}
    for lesson in rows.lessons:
        if lesson.completed_at is None:
            continue
        module = modules.get(lesson.module_id)
        found = (
            next((x for x in module.lessons if x.id == lesson.lesson_id), None) if module else None
        )
        obj = _activity(
            "lesson", f"{lesson.module_id}/{lesson.lesson_id}",
            found.title.zh_CN if found else lesson.lesson_id, found.title.en if found else "",
        )  # fmt: skip
        yield _statement(
            statement_id("lesson", person.id, lesson.module_id, lesson.lesson_id, "completed"),
            actor, "completed", obj, lesson.completed_at,
            result={"completion": True, "duration": iso_duration(lesson.active_seconds)},
        )  # fmt: skip
    states = derive.module_states(rows, catalogue.modules, catalogue.practice_ids)
    for module in catalogue.modules:
        state = states[module.id]
        if state.status != Status.COMPLETED or state.completed_at is None:
            continue
        obj = _activity("module", module.id, module.title.zh_CN, module.title.en)
        yield _statement(
            statement_id("module", person.id, module.id, "completed"), actor, "completed", obj,
            state.completed_at, result={"completion": True},
        )  # fmt: skip


def _answer_times(db: Database, user_ids: list[str]) -> dict[str, dict[str, float]]:
    """The time of the last answer to each case of each submitted exam of ``user_ids``
    (from the exam's event chain), by exam id."""
    times: dict[str, dict[str, float]] = defaultdict(dict)
    query = (
        select(ExamEventRow.attempt_id, ExamEventRow.at, ExamEventRow.data)
        .join(ExamAttempt, ExamAttempt.id == ExamEventRow.attempt_id)
        .where(
            ExamEventRow.kind == ANSWER,
            ExamAttempt.submitted_at.is_not(None),
            ExamAttempt.user_id.in_(user_ids),
        )
        .order_by(ExamEventRow.attempt_id, ExamEventRow.seq)
    )
    with db.session() as session:
        for attempt_id, at, data in session.execute(query):
            times[attempt_id][str((data or {}).get("case_id", ""))] = float(at)
    return times


def statements(
    db: Database,
    catalogue: Catalogue,
    *,
    institution_id: str | None = None,
    user_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Iterator[dict[str, Any]]:
    """Every statement for the doctors of ``institution_id`` and below it (None: all),
    or only ``user_ids``; per doctor in report order, each doctor's in time order.
    Raises KeyError for an unknown institution and ``Cancelled`` when asked to stop."""
    _scope, wanted, _all = resolve_scope(db, institution_id)
    doctors = gather.people(db, wanted, user_ids)
    installation = device_id(db)
    answers: dict[str, dict[str, float]] = {}
    for done, (person, rows) in enumerate(gather.iter_rows(db, doctors), start=1):
        check(cancelled)
        if done % gather.CHUNK == 1:  # the first doctor of a chunk: its exams' answer times
            start = done - 1
            chunk = [p.id for p in doctors[start : start + gather.CHUNK]]
            answers = _answer_times(db, chunk)
        actor = {
            "objectType": "Agent",
            "account": {
                "homePage": home_page(person.institution_id, installation),
                "name": person.id,
            },
        }
        found = list(_case_statements(actor, rows, catalogue))
        for exam in rows.exams:
            found.extend(_exam_statements(actor, exam, answers.get(exam.id, {}), catalogue))
        found.extend(_learning_statements(actor, person, rows, catalogue))
        yield from sorted(found, key=lambda st: (st["timestamp"], st["id"]))
        if progress is not None:
            progress(done, len(doctors))


def write_xapi(
    db: Database,
    catalogue: Catalogue,
    target: Path,
    *,
    institution_id: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the statements as JSON lines (UTF-8) to ``target``; returns how many."""
    count = 0
    with atomic_target(Path(target)) as temp, temp.open("w", encoding="utf-8") as handle:
        for statement in statements(
            db, catalogue, institution_id=institution_id, progress=progress, cancelled=cancelled
        ):
            handle.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
            count += 1
    return count
