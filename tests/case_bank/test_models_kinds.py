"""Every AI output kind: one valid sample each, and the cross-field checks of each model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kinds_helpers import KINDS_PACK, read_case, write_case
from pydantic import ValidationError

from case_bank.models import Case, EcgOutput, ImageOutput, RiskOutput, TrendOutput
from case_bank.pack import builtin_packs_dir, load_case_file, load_pack
from case_bank.vocabulary import AIKind
from xiangyi.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _problems_after(tmp_path: Path, name: str, *changes: Any) -> list[str]:
    """Problems of kinds-pack case ``name`` after applying ``changes`` to a copy of it."""
    data = read_case(KINDS_PACK, name)
    for change in changes:
        change(data)
    (tmp_path / "cases").mkdir(exist_ok=True)
    write_case(tmp_path, name, data)
    rel = f"cases/{name}.yaml"
    case, problems = load_case_file(tmp_path / rel, rel)
    assert (case is None) == bool(problems)
    return [str(p) for p in problems]


def test_kinds_pack_has_a_valid_case_of_every_kind() -> None:
    pack = load_pack(KINDS_PACK)
    assert pack.problems == []
    assert pack.valid
    assert {case.ai_kind for case in pack.cases} == set(AIKind)
    for case in pack.cases:
        assert case.ai_output.kind == case.ai_kind


def test_builtin_ecg_cases_still_validate_unchanged() -> None:
    pack = load_pack(builtin_packs_dir() / "ecg-basics")
    assert pack.problems == []
    assert all(isinstance(c.ai_output, EcgOutput) for c in pack.cases)
    assert len(pack.cases) >= 13


def test_output_helpers() -> None:
    pack = load_pack(KINDS_PACK)
    risk = pack.case("kinds-risk-001").ai_output
    assert isinstance(risk, RiskOutput)
    assert risk.band().severity == "high"
    chest = pack.case("kinds-image-chest-001").ai_output
    assert isinstance(chest, ImageOutput)
    assert [name for _loc, name in chest.asset_refs()] == [
        "assets/chest.png",
        "assets/chest-heat.png",
    ]
    assert chest.overlay_issues(64, 64) == []
    assert [loc for loc, _msg in chest.overlay_issues(40, 40)] == [
        ("boxes", 0),
        ("polygons", 0, "points", 1),
        ("polygons", 0, "points", 2),
    ]


def test_requires_own_read() -> None:
    pack = load_pack(KINDS_PACK)
    optional = pack.case("kinds-ecg-001")  # own_read.required is false
    without = pack.case("kinds-risk-001")  # no own_read stage at all
    assert not optional.requires_own_read(exam=False)
    assert optional.requires_own_read(exam=True)
    assert not without.requires_own_read(exam=False)
    assert without.requires_own_read(exam=True)
    assert without.own_read_prompt().en
    builtin = load_pack(builtin_packs_dir() / "ecg-basics").cases[0]
    assert builtin.requires_own_read(exam=False)


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


CHECKS = [
    # (case file, edit path, new value, expected field, text in the message)
    (
        "trend",
        ("ai_output", "series", 0, "points", 1, "t"),
        "2024-02-01",
        "series[0].points",
        "order",
    ),
    ("trend", ("ai_output", "alerts", 0, "t"), 3, "ai_output", "dates or day numbers"),
    ("trend", ("ai_output", "forecast", "lower"), [1], "forecast.lower", "one value per"),
    ("trend", ("ai_output", "forecast", "series"), 5, "forecast.series", "no series"),
    ("prescription", ("ai_output", "alerts", 1, "items"), [0, 7], "alerts[1].items", "below 2"),
    ("prescription", ("ai_output", "alerts", 1, "items"), [1], "alerts[1].items", "at least 2"),
    ("prescription", ("ai_output", "alerts", 0, "true_alert"), True, "ai_output.alerts", "fatigue"),
    (
        "llm",
        ("ai_output", "messages", 1, "false_statements", 0, "quote", "en"),
        "Nope.",
        "quote.en",
        "copied exactly",
    ),
    ("risk", ("ai_output", "bands", 0, "upto"), 50, "ai_output.bands", "lowest"),
    ("risk", ("ai_output", "bands", 2, "upto"), 11, "ai_output.score", "above the last band"),
    ("image-chest", ("ai_output", "image"), "../secret.png", "ai_output.image", "assets/ folder"),
    ("image-chest", ("ai_output", "image"), "/etc/passwd", "ai_output.image", "assets/ folder"),
    ("image-chest", ("ai_output", "image"), "assets/chest.gif", "ai_output.image", ".png"),
    (
        "image-chest",
        ("ai_output", "window"),
        {"centre": 40, "width": 400},
        "ai_output.window",
        "DICOM",
    ),
    (
        "image-chest",
        ("ai_output", "heat_map", "blobs"),
        [{"x": 1, "y": 1, "radius": 2}],
        "ai_output.heat_map",
        "not both",
    ),
    ("image-chest", ("ai_output", "suggests"), "cancer", "ai_output.suggests", "interpretations"),
    ("image-chest", ("key", "ideal_actions"), ["fly"], "key.ideal_actions", "decision.actions"),
    ("image-chest", ("ai_kind",), "risk", "ai_kind", "differs"),
    ("ecg", ("ai_output", "leads"), ["I", "I"], "ai_output.leads", "twice"),
    ("ecg", ("ai_output", "tool", "sensitivity"), None, "tool.sensitivity", "performance"),
]


@pytest.mark.parametrize(("name", "path", "value", "where", "text"), CHECKS)
def test_cross_field_checks_name_the_field(
    tmp_path: Path, name: str, path: tuple[Any, ...], value: Any, where: str, text: str | None
) -> None:
    changes = [_set(path, value)]
    if path[-1] == "sensitivity":
        changes.append(lambda d: d["ai_output"]["tool"].pop("stated_ppv"))
        changes.append(lambda d: d["ai_output"]["tool"].pop("specificity"))
    problems = _problems_after(tmp_path, name, *changes)
    assert problems, "the edit should make the case invalid"
    matching = [p for p in problems if p.startswith(f"cases/{name}.yaml:") and where in p]
    assert matching, problems
    if text is not None:
        assert any(text in p for p in matching), matching


def test_llm_invented_content_must_be_marked(tmp_path: Path) -> None:
    def unmark(data: dict[str, Any]) -> None:
        message = data["ai_output"]["messages"][1]
        message["false_statements"] = []
        message["sources"][0]["exists"] = True

    assert any("mark the invented" in p for p in _problems_after(tmp_path, "llm", unmark))


def test_many_inconsistencies_are_reported_together(tmp_path: Path) -> None:
    data = load_pack(KINDS_PACK).case("kinds-trend-001").model_dump(mode="json")
    data["ai_output"]["series"][0]["points"].reverse()
    data["ai_output"]["forecast"]["upper"] = [1.0]
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    assert "time order" in str(info.value) and "one value per" in str(info.value)

    def break_case(case: dict[str, Any]) -> None:
        case["key"]["ideal_actions"] = ["nowhere"]
        case["key"]["interpretation"] = {"controlled": 0.5, "unknown": 1.0}
        case["decision"]["actions"][1]["id"] = case["decision"]["actions"][0]["id"]

    problems = _problems_after(tmp_path, "trend", break_case)
    assert len(problems) == 4, problems
    fields = [p.split(": ")[1] for p in problems]
    assert fields == [
        "decision.actions[1].id",
        "key.interpretation.unknown",
        "key.ideal_actions",
        "key.acceptable_actions",
    ], problems


def test_day_numbers_are_allowed_in_trends() -> None:
    data = load_pack(KINDS_PACK).case("kinds-trend-001").ai_output.model_dump(mode="json")
    for series in data["series"]:
        for day, point in enumerate(series["points"]):
            point["t"] = day * 7
    data["forecast"]["points"] = [{"t": 21, "value": 158}, {"t": 28, "value": 163}]
    data["alerts"][0]["t"] = 14
    trend = TrendOutput.model_validate(data)
    assert trend.forecast is not None and trend.forecast.points[0].t == 21
    data["alerts"][0]["t"] = "soon"
    with pytest.raises(ValidationError, match="day number"):
        TrendOutput.model_validate(data)
