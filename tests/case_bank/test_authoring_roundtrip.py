"""The studio's YAML round trip: built-in packs unchanged byte for byte, edits local."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from case_bank.authoring.checks import all_problems, check_project
from case_bank.authoring.drafts import discard_draft, find_draft, restore_draft, write_draft
from case_bank.authoring.history import EditHistory
from case_bank.authoring.project import PackProject, ProjectError
from case_bank.authoring.yamldoc import YamlDocument, dump
from case_bank.pack import builtin_packs_dir, load_pack

PACKS = sorted(p.parent.name for p in builtin_packs_dir().glob("*/pack.yaml"))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yaml")}


@pytest.mark.parametrize("name", PACKS)
def test_builtin_pack_saves_byte_identical(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    shutil.copytree(builtin_packs_dir() / name, folder)
    before = _files(folder)
    project = PackProject.open(folder)
    # The serialiser itself reproduces every file, not only "nothing to write".
    for doc in project.documents():
        assert doc.readable
        assert dump(doc.tree) == (folder / doc.rel).read_text(encoding="utf-8"), doc.rel
    assert project.changed == []
    assert project.save() == []
    assert _files(folder) == before


OLD_TRUTH = [
    "Atrial fibrillation with a mean ventricular rate of about 95/min: the RR intervals are",
    "irregularly irregular, there is no P wave before the QRS complexes, and small fibrillatory",
    "(f) waves ripple the baseline. The 12-lead ECG after referral confirmed atrial",
    "fibrillation; her CHA₂DS₂-VASc score was 3 (hypertension, age 65–74, female) and oral",
    "anticoagulation was started.",
]


def _diff(a: str, b: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_editing_one_field_changes_only_its_lines(tmp_path: Path) -> None:
    folder = tmp_path / "ecg"
    shutil.copytree(builtin_packs_dir() / "ecg-basics", folder)
    project = PackProject.open(folder)
    rel = "cases/ecg-af-001.yaml"
    before = project.cases[rel].text()
    history = EditHistory(project)
    history.apply(rel, ("presentation", "age_years"), 71)
    history.apply(rel, ("ai_output", "beats", 3, "time_s"), 2.4)
    history.apply(rel, ("feedback", "truth", "en"), "Atrial fibrillation, confirmed.")
    after = project.cases[rel].text()
    assert sorted(_diff(before, after)) == sorted(
        [
            "-  age_years: 68",
            "-    - {time_s: 2.364}",
            "-    en: >-",
            *(f"-      {line}" for line in OLD_TRUTH),
            "+  age_years: 71",
            "+    - {time_s: 2.4}",
            "+    en: Atrial fibrillation, confirmed.",
        ]
    )
    assert project.save() == [rel]
    assert load_pack(folder).valid
    # Undo three times: the text is the original again, byte for byte.
    for _ in range(3):
        history.undo()
    assert project.cases[rel].text() == before
    history.redo()
    assert "age_years: 71" in project.cases[rel].text()


def test_new_field_goes_where_the_model_puts_it(tmp_path: Path) -> None:
    folder = tmp_path / "ecg"
    shutil.copytree(builtin_packs_dir() / "ecg-basics", folder)
    project = PackProject.open(folder)
    doc = project.cases["cases/ecg-af-001.yaml"]
    doc.set(("ai_output", "tool", "stated_ppv"), 0.8)
    lines = doc.text().splitlines()
    assert lines.index("    stated_ppv: 0.8") == lines.index("    specificity: 0.92") + 1
    long_text = " ".join(["The AI reading agrees with the strip."] * 6)
    doc.set(("feedback", "ai_assessment", "en"), long_text)
    text = doc.text()
    assert "    en: >-\n      The AI reading" in text
    assert max(len(line) for line in text.splitlines() if "AI reading" in line) <= 100
    assert YamlDocument("x", text).get(("feedback", "ai_assessment", "en")) == long_text


def test_new_case_round_trips_byte_identical(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    project = PackProject.create(folder, "my-pack", "我的病例包", "My pack", "Dr Li")
    rel = project.new_case("img-001", "image")
    history = EditHistory(project)
    history.apply(rel, ("title",), {"zh_CN": "胸片", "en": "A chest film"})
    history.apply(rel, ("ai_output", "boxes"), [{"x": 10, "y": 20, "w": 30.5, "h": 40}])
    history.apply(rel, ("key", "interpretation"), {"interpretation_1": 1.0})
    history.apply(
        rel,
        ("presentation", "vitals"),
        [{"label": {"zh_CN": "血压", "en": "BP"}, "value": "120/80 mmHg"}],
    )
    assert sorted(project.save()) == ["cases/img-001.yaml", "pack.yaml"]
    first = _files(folder)
    again = PackProject.open(folder)
    assert again.changed == []
    for doc in again.documents():
        assert dump(doc.tree) == doc.saved_text
    assert again.save() == []
    assert _files(folder) == first
    text = first["cases/img-001.yaml"].decode()
    assert "    - {x: 10, y: 20, w: 30.5, h: 40}" in text
    assert "\n\npresentation:\n" in text and "\n\nkey:\n" in text


def test_live_checks_match_pack_validate(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    project = PackProject.create(folder, "my-pack", "我的病例包", "My pack", "Dr Li")
    project.new_case("ecg-001", "ecg")
    project.new_case("img-001", "image")
    live = sorted(map(str, all_problems(check_project(project))))
    project.save()
    assert live and live == sorted(map(str, load_pack(folder).problems))
    assert any("ai_output.signal" in line for line in live)


def test_duplicate_case_id_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ecg"
    shutil.copytree(builtin_packs_dir() / "ecg-basics", folder)
    text = (folder / "cases" / "ecg-af-001.yaml").read_text(encoding="utf-8")
    (folder / "cases" / "zz-copy.yaml").write_text(text, encoding="utf-8")
    (folder / "cases" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    project = PackProject.open(folder)
    assert not project.cases["cases/broken.yaml"].readable
    live = sorted(map(str, all_problems(check_project(project))))
    assert live == sorted(map(str, load_pack(folder).problems))
    with pytest.raises(ProjectError):
        project.new_case("ecg-af-001", "ecg")
    with pytest.raises(ProjectError):
        project.new_case("Bad Id", "ecg")


def test_draft_survives_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "ecg"
    shutil.copytree(builtin_packs_dir() / "ecg-basics", folder)
    drafts = tmp_path / "drafts"
    project = PackProject.open(folder)
    EditHistory(project).apply("cases/ecg-af-001.yaml", ("difficulty",), 3)
    assert write_draft(drafts, project) is not None
    reopened = PackProject.open(folder)  # the studio crashed before saving
    draft = find_draft(drafts, reopened)
    assert draft is not None and draft.stale == []
    assert restore_draft(reopened, draft) == ["cases/ecg-af-001.yaml"]
    assert reopened.changed == ["cases/ecg-af-001.yaml"]
    assert reopened.cases["cases/ecg-af-001.yaml"].get(("difficulty",)) == 3
    discard_draft(drafts, folder)
    assert find_draft(drafts, reopened) is None


def test_hostile_files_are_refused_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "ecg"
    shutil.copytree(builtin_packs_dir() / "ecg-basics", folder)
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n"
    (folder / "cases" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    (folder / "cases" / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    project = PackProject.open(folder)
    found = {p.file: p.message for p in all_problems(check_project(project))}
    assert found["cases/bomb.yaml"] == "anchors and aliases (& and *) are not allowed"
    assert found["cases/deep.yaml"] == "the file is nested too deeply"
    assert project.save() == []  # nothing rewritten
    assert (folder / "cases" / "bomb.yaml").read_text(encoding="utf-8") == bomb

    (folder / "cases" / "latin1.yaml").write_bytes("id: café\n".encode("latin-1"))
    with pytest.raises(ProjectError, match=r"not UTF-8"):
        PackProject.open(folder)
    (folder / "cases" / "latin1.yaml").unlink()
    (folder / "cases" / "huge.yaml").write_text("a: " + "x" * 1_100_000 + "\n")
    with pytest.raises(ProjectError, match="too large"):
        PackProject.open(folder)
    with pytest.raises(ProjectError, match=r"no pack\.yaml"):
        PackProject.open(tmp_path)
    with pytest.raises(ProjectError):
        PackProject.create(folder, "x-pack", "甲", "A", "me")  # not an empty folder
