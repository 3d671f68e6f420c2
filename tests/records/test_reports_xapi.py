"""xAPI statements: structural validation against the xAPI 1.0.3 rules (data model,
part two of the specification), stable ids across exports, and what they carry."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import report_fixtures
from report_fixtures import County

from records.reports import xapi
from records.tables import Attempt, ExamAttempt

# The county fixtures, shared by the report tests.
county_template = report_fixtures.county_template
county = report_fixtures.county

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# ISO 8601 duration as xAPI uses it (§4.6: to 0.01 s); a time part needs a component.
DURATION_RE = re.compile(
    r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$"
)
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
LANG_TAG_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "version",
                  "stored", "authority", "attachments"}  # fmt: skip


def is_iri(value: object) -> bool:
    parsed = urlparse(str(value))
    return bool(parsed.scheme and (parsed.netloc or parsed.scheme == "urn")) and " " not in str(
        value
    )


def _language_map(value: object, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: a language map is needed")
        return
    for tag, text in value.items():
        if not LANG_TAG_RE.match(tag) or not isinstance(text, str):
            problems.append(f"{where}: bad language map entry {tag!r}")


def _extensions(value: object, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: extensions must be an object")
        return
    problems += [f"{where}: key {key!r} is not an IRI" for key in value if not is_iri(key)]


def _actor(actor: Any, problems: list[str]) -> None:
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent":
        problems.append("actor: an Agent is needed")
        return
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    if len(ifis) != 1:
        problems.append("actor: exactly one inverse functional identifier")
    account = actor.get("account")
    if account is not None and (
        set(account) != {"homePage", "name"} or not is_iri(account["homePage"])
        or not isinstance(account["name"], str) or not account["name"]
    ):  # fmt: skip
        problems.append("actor.account: homePage (IRL) and name are required")


def _result(result: Any, problems: list[str]) -> None:
    allowed = {"score", "success", "completion", "response", "duration", "extensions"}
    if not isinstance(result, dict) or set(result) - allowed:
        problems.append("result: unknown properties")
        return
    score = result.get("score")
    if score is not None:
        scaled = score.get("scaled")
        if scaled is not None and not (isinstance(scaled, int | float) and -1 <= scaled <= 1):
            problems.append("result.score.scaled must be in [-1, 1]")
        if (
            "min" in score
            and "max" in score
            and not score["min"] <= score.get("raw", score["min"]) <= score["max"]
        ):
            problems.append("result.score.raw must lie between min and max")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            problems.append(f"result.{flag} must be a boolean")
    if "duration" in result and not DURATION_RE.match(result["duration"]):
        problems.append(f"result.duration {result['duration']!r} is not ISO 8601")
    if "extensions" in result:
        _extensions(result["extensions"], "result.extensions", problems)


def _context(context: Any, problems: list[str]) -> None:
    if "registration" in context and not UUID_RE.match(context["registration"]):
        problems.append("context.registration must be a UUID")
    if "extensions" in context:
        _extensions(context["extensions"], "context.extensions", problems)
    for parents in (context.get("contextActivities") or {}).values():
        for activity in parents:
            if not is_iri(activity.get("id")):
                problems.append("context activity id must be an IRI")


def validate(statement: Any) -> list[str]:
    """Problems with ``statement`` against the xAPI 1.0.3 data model (empty: valid)."""
    problems: list[str] = []
    if not isinstance(statement, dict):
        return ["a statement is a JSON object"]
    problems += [f"unknown property {k!r}" for k in set(statement) - STATEMENT_KEYS]
    for required in ("actor", "verb", "object"):
        if required not in statement:
            problems.append(f"{required} is required")
    if not UUID_RE.match(str(statement.get("id", ""))):
        problems.append("id must be a UUID")
    _actor(statement.get("actor"), problems)
    verb = statement.get("verb") or {}
    if not is_iri(verb.get("id")):
        problems.append("verb.id must be an IRI")
    if "display" in verb:
        _language_map(verb["display"], "verb.display", problems)
    obj = statement.get("object") or {}
    if obj.get("objectType", "Activity") != "Activity" or not is_iri(obj.get("id")):
        problems.append("object: an Activity with an IRI id")
    definition = obj.get("definition") or {}
    if "type" in definition and not is_iri(definition["type"]):
        problems.append("object.definition.type must be an IRI")
    if "name" in definition:
        _language_map(definition["name"], "object.definition.name", problems)
    if "result" in statement:
        _result(statement["result"], problems)
    if "context" in statement:
        _context(statement["context"], problems)
    stamp = statement.get("timestamp")
    if stamp is not None and (
        not TIMESTAMP_RE.match(stamp) or datetime.fromisoformat(stamp).tzinfo is None
    ):
        problems.append(f"timestamp {stamp!r} must be ISO 8601 with a time zone")
    if "version" in statement and not str(statement["version"]).startswith("1.0."):
        problems.append("version must be 1.0.x")
    return problems


def test_the_validator_catches_what_it_should() -> None:
    good = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://x.org", "name": "u1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
        "object": {"id": "https://x.org/a/1"},
        "result": {"score": {"scaled": 0.5}, "duration": "PT1M2.5S"},
        "timestamp": "2026-03-02T01:00:00.000Z",
    }
    assert validate(good) == []
    bad_cases = [
        ({"id": "not-a-uuid"}, "id must be a UUID"),
        ({"verb": {"id": "passed"}}, "verb.id"),
        ({"actor": {"account": {"homePage": "clinic", "name": "u1"}}}, "actor.account"),
        ({"result": {"score": {"scaled": 1.5}}}, "scaled"),
        ({"result": {"duration": "90 seconds"}}, "duration"),
        ({"result": {"extensions": {"reliance": "x"}}}, "not an IRI"),
        ({"timestamp": "2026-03-02T01:00:00"}, "time zone"),
        ({"object": {"id": "case-1"}}, "object"),
    ]
    for change, message in bad_cases:
        assert any(message in p for p in validate({**good, **change})), change
    missing = dict(good)
    del missing["verb"]
    assert "verb is required" in validate(missing)


def test_every_statement_is_valid_and_carries_the_records(county: County) -> None:
    found = list(xapi.statements(county.db, county.catalogue))
    assert found
    for statement in found:
        assert validate(statement) == [], statement
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in found}
    assert verbs == {"attempted", "answered", "completed", "passed", "failed"}
    with county.db.session() as session:
        completed = session.query(Attempt).filter_by(status="completed").count()
        started = session.query(Attempt).count()
        exams = session.query(ExamAttempt).all()
    by_verb = {v: [s for s in found if s["verb"]["id"].endswith("/" + v)] for v in verbs}
    practice_answers = [
        s for s in by_verb["answered"] if s["context"]["extensions"][xapi.EXT_MODE] != "exam"
    ]
    assert len(practice_answers) == completed
    assert len([s for s in by_verb["attempted"] if "/case/" in s["object"]["id"]]) == started
    assert len(by_verb["passed"]) + len(by_verb["failed"]) == len(exams)
    li = county.doctors["li"]
    theirs = [s for s in practice_answers if s["actor"]["account"]["name"] == li.id]
    assert {s["actor"]["account"]["homePage"] for s in theirs} == {
        f"{xapi.BASE_IRI}/institutions/{county.village.id}"
    }
    reliance = {s["result"]["extensions"][xapi.EXT_RELIANCE] for s in theirs}
    assert "over_reliance" in reliance
    assert any(s["result"]["extensions"][xapi.EXT_CRITICAL_ERROR] for s in theirs)
    assert all(s["result"]["duration"].startswith("PT") for s in theirs)
    assert all(s["context"]["extensions"][xapi.EXT_AI_KIND] for s in theirs)
    # No names or practising numbers leave in statements.
    text = json.dumps(found, ensure_ascii=False)
    assert "李秀梅" not in text and "141440300054321" not in text


def test_ids_are_stable_across_exports(county: County, tmp_path: Path) -> None:
    first = xapi.write_xapi(county.db, county.catalogue, tmp_path / "a.jsonl")
    second = xapi.write_xapi(county.db, county.catalogue, tmp_path / "b.jsonl")
    assert first == second > 0
    a = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    b = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text("utf-8").splitlines()]
    assert [s["id"] for s in a] == [s["id"] for s in b]
    assert len({s["id"] for s in a}) == len(a)  # one id per act
    assert a == b


def test_scope_and_user_filters(county: County) -> None:
    village = list(xapi.statements(county.db, county.catalogue, institution_id=county.village.id))
    assert {s["actor"]["account"]["name"] for s in village} == {county.doctors["li"].id}
    one = list(xapi.statements(county.db, county.catalogue, user_ids=[county.doctors["zhao"].id]))
    assert {s["actor"]["account"]["name"] for s in one} == {county.doctors["zhao"].id}
    with pytest.raises(KeyError):
        list(xapi.statements(county.db, county.catalogue, institution_id="nowhere"))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (12.5, "PT12.5S"), (59.999, "PT1M"), (3723.25, "PT1H2M3.25S"), (-3, "PT0S")],
)
def test_durations(seconds: float, text: str) -> None:
    assert xapi.iso_duration(seconds) == text
    assert DURATION_RE.match(text)
