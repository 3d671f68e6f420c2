"""Competency framework: loading, bad files located by line and field, CASE export."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from assessments.framework import (
    FRAMEWORK_FILE,
    FrameworkError,
    builtin_framework,
    load_framework,
    to_case_package,
)
from case_bank.vocabulary import Domain


def test_builtin_framework_covers_the_six_domains() -> None:
    fw = builtin_framework()
    assert [d.id for d in fw.domains] == list(Domain)
    assert [lv.id for lv in fw.levels] == [
        "not_yet_competent",
        "developing",
        "competent",
        "proficient",
    ]
    for spec in fw.domains:
        assert 3 <= len(spec.subcompetencies) <= 5
        assert all(s.id.startswith(f"{spec.id}.") for s in spec.subcompetencies)
    assert fw.domain("clinical_encounters").subcompetencies[1].id == (
        "clinical_encounters.interpret_outputs"
    )


def test_unknown_domain_id_names_file_line_and_field(tmp_path: Path) -> None:
    text = FRAMEWORK_FILE.read_text(encoding="utf-8")
    bad = text.replace("  - id: basic_knowledge\n", "  - id: basic_knowlege\n", 1)
    path = tmp_path / "framework.yaml"
    path.write_text(bad, encoding="utf-8")
    line = bad.splitlines().index("  - id: basic_knowlege") + 1
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("framework.yaml", line, "domains[0].id")
    assert str(problem).startswith(f"framework.yaml:{line}: domains[0].id: ")
    assert "basic_knowledge" in problem.message  # the message lists what is allowed


def test_missing_domain_is_refused(tmp_path: Path) -> None:
    text = FRAMEWORK_FILE.read_text(encoding="utf-8")
    cut = text[: text.index("  - id: practice_improvement\n")]
    path = tmp_path / "fw.yaml"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(FrameworkError, match="practice_improvement"):
        load_framework(path)


def test_case_package_structure() -> None:
    fw = builtin_framework()
    package = to_case_package(fw, "en")
    json.dumps(package)  # JSON-ready
    assert set(package) >= {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions"}
    items = package["CFItems"]
    n_subs = sum(len(d.subcompetencies) for d in fw.domains)
    assert len(items) == 6 + n_subs
    assert sorted({i["CFItemType"] for i in items}) == ["Competency", "Domain"]
    ids = [i["identifier"] for i in items] + [package["CFDocument"]["identifier"]]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)
    # every item is the child of exactly one node: a domain of the document, a
    # subcompetency of its domain
    assocs = package["CFAssociations"]
    assert {a["associationType"] for a in assocs} == {"isChildOf"}
    parent = {a["originNodeURI"]["identifier"]: a["destinationNodeURI"] for a in assocs}
    assert len(parent) == len(items) == len(assocs)
    by_code = {i["humanCodingScheme"]: i for i in items}
    sub = by_code["clinical_encounters.interpret_outputs"]
    assert parent[sub["identifier"]]["identifier"] == by_code["clinical_encounters"]["identifier"]
    domain = by_code["basic_knowledge"]
    assert parent[domain["identifier"]]["identifier"] == package["CFDocument"]["identifier"]
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [lv["score"] for lv in levels] == [0, 1, 2, 3]


def test_case_package_is_deterministic_and_bilingual() -> None:
    fw = builtin_framework()
    zh, en = to_case_package(fw, "zh_CN"), to_case_package(fw, "en")
    assert to_case_package(fw, "zh_CN") == zh
    assert [i["identifier"] for i in zh["CFItems"]] == [i["identifier"] for i in en["CFItems"]]
    assert zh["CFItems"][0]["fullStatement"] == en["CFItems"][0]["notes"]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_domain_names_on_screens_match_the_framework(language: str) -> None:
    """Home, certificates and reports name a domain as the framework does, in both languages."""
    from case_bank.vocabulary import DOMAIN_LABELS
    from xiangyi import i18n

    fw = builtin_framework()
    i18n.set_language(language)
    try:
        for spec in fw.domains:
            title = spec.title.zh_CN if language == "zh_CN" else spec.title.en
            assert i18n._(DOMAIN_LABELS[spec.id]) == title
    finally:
        i18n.set_language("en")
