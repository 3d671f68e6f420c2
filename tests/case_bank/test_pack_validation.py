"""Validating a whole pack folder: every problem at once, located, with hostile input refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from kinds_helpers import copy_pack, edit_case, make_dicom, read_case, write_case
from PIL import Image

from case_bank import pack as pack_module
from case_bank.pack import PackError, builtin_packs, builtin_packs_dir, load_pack, require_valid
from xiangyi.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_pack(tmp_path)


def _errors(folder: Path) -> list[str]:
    return [str(p) for p in load_pack(folder).errors]


def test_builtin_pack_validates_with_every_asset_read() -> None:
    pack = load_pack(builtin_packs_dir() / "ecg-basics")
    assert pack.problems == []
    folders = sorted(p.name for p in builtin_packs_dir().iterdir() if (p / "pack.yaml").is_file())
    assert sorted(p.info.id for p in builtin_packs() if p.info) == folders


def test_malformed_yaml_is_located(folder: Path) -> None:
    (folder / "cases" / "risk.yaml").write_text("id: x\ntitle: [unclosed\nkind: 1\n")
    errors = _errors(folder)
    assert any(e.startswith("cases/risk.yaml:") and "bracket" in e for e in errors)
    # the other cases are still validated and reported on
    assert len(load_pack(folder).cases) == 8


def test_alias_bomb_is_refused(folder: Path) -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    (folder / "cases" / "risk.yaml").write_text(bomb)
    assert any("cases/risk.yaml:1:" in e and "&" in e for e in _errors(folder))


def test_wrong_types_and_unknown_fields_name_file_line_and_field(folder: Path) -> None:
    path = folder / "cases" / "triage.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("difficulty: 2", "difficulty: hard")
    text = text.replace("  urgency: emergent", "  urgency: emergent\n  colour: red")
    text = text.replace("domains: [clinical_encounters, social_ethical]", "domains: [cardiology]")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    errors = _errors(folder)

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    assert f"cases/triage.yaml:{line_of('difficulty')}: difficulty: expected a whole number" in (
        errors
    )
    assert (
        f"cases/triage.yaml:{line_of('colour')}: ai_output.colour: unknown field "
        "(check the spelling)" in errors
    )
    domain = [e for e in errors if "domains[0]" in e]
    assert domain and "unknown competency domain 'cardiology'" in domain[0]
    assert "basic_knowledge" in domain[0]
    assert domain[0].startswith(f"cases/triage.yaml:{line_of('domains')}:")


def test_unknown_kind_is_clear(folder: Path) -> None:
    edit_case(folder, "report", lambda d: d["ai_output"].update(kind="hologram"))
    errors = _errors(folder)
    assert any("ai_output.kind" in e or "unknown kind 'hologram'" in e for e in errors), errors


def test_missing_asset_is_an_error(folder: Path) -> None:
    (folder / "assets" / "chest-heat.png").unlink()
    errors = _errors(folder)
    assert any(
        e.startswith("cases/image-chest.yaml:")
        and "ai_output.heat_map.asset" in e
        and "not found" in e
        for e in errors
    ), errors


def test_extra_asset_is_a_warning_only(folder: Path) -> None:
    shutil.copy(folder / "assets" / "chest.png", folder / "assets" / "unused.png")
    (folder / "cases" / "notes.txt").write_text("draft")
    pack = load_pack(folder)
    assert pack.valid
    warnings = [str(p) for p in pack.warnings]
    assert any("assets/unused.png" in w and "no case uses" in w for w in warnings)
    assert any("cases/notes.txt" in w for w in warnings)
    assert all(w.startswith("warning:") for w in warnings)


def test_asset_of_a_broken_case_is_not_called_unused(folder: Path) -> None:
    edit_case(folder, "image-chest", lambda d: d.update(difficulty=9))
    pack = load_pack(folder)
    assert not pack.valid
    assert not [p for p in pack.warnings if "chest" in p.file]


def test_duplicate_case_ids(folder: Path) -> None:
    data = read_case(folder, "risk")
    write_case(folder, "risk-copy", data)
    errors = _errors(folder)
    assert any(
        e.startswith("cases/risk.yaml:1: id:") and "cases/risk-copy.yaml" in e for e in errors
    ), errors


def test_files_larger_than_the_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_module, "MAX_FILE_BYTES", 4000)
    errors = _errors(folder)
    assert any(e.startswith("assets/ecg.npy:") and "larger than" in e for e in errors), errors


def test_pack_larger_than_the_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_module, "MAX_PACK_BYTES", 10_000)
    assert any("the pack is larger than" in e for e in _errors(folder))


def test_too_many_cases(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_module, "MAX_CASES", 3)
    assert any("at most 3 cases" in e for e in _errors(folder))


def test_huge_case_file_is_refused(folder: Path) -> None:
    (folder / "cases" / "risk.yaml").write_text("a: " + "x" * 1_100_000)
    assert any(e.startswith("cases/risk.yaml") and "larger than" in e for e in _errors(folder))


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_symlinks_are_refused(folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    shutil.copy(folder / "assets" / "chest.png", secret)
    (folder / "assets" / "chest.png").unlink()
    (folder / "assets" / "chest.png").symlink_to(secret)
    errors = _errors(folder)
    assert any(e.startswith("assets/chest.png") and "symbolic link" in e for e in errors)
    assert any("ai_output.image" in e and "symbolic link" in e for e in errors)


def test_png_that_is_really_text(folder: Path) -> None:
    (folder / "assets" / "chest.png").write_text("I am not an image")
    errors = _errors(folder)
    assert any(
        "ai_output.image" in e and "chest.png is not a PNG file: its content is text" in e
        for e in errors
    ), errors


def test_jpeg_renamed_png(folder: Path) -> None:
    shutil.copy(folder / "assets" / "fundus.jpg", folder / "assets" / "chest.png")
    assert any("is not a PNG file: its content is jpeg" in e for e in _errors(folder))


def test_overlay_outside_the_image(folder: Path) -> None:
    def move_box(data: dict[str, Any]) -> None:
        data["ai_output"]["boxes"][0]["x"] = 60
        data["ai_output"]["heat_map"] = {"blobs": [{"x": 100, "y": 5, "radius": 3}]}

    edit_case(folder, "image-chest", move_box)
    errors = _errors(folder)
    assert any("ai_output.boxes[0]" in e and "outside the image (64 × 64" in e for e in errors)
    assert any("ai_output.heat_map.blobs[0]" in e for e in errors), errors


def test_heat_map_must_match_the_image(folder: Path) -> None:
    Image.fromarray(np.zeros((10, 20), dtype=np.uint8)).save(folder / "assets" / "chest-heat.png")
    errors = _errors(folder)
    assert any("heat map is 20 × 10 pixels" in e for e in errors), errors
    Image.fromarray(np.zeros((64, 64, 3), dtype=np.uint8)).save(
        folder / "assets" / "chest-heat.png"
    )
    assert any("greyscale" in e for e in _errors(folder))


def test_signal_must_match_leads_and_beats(folder: Path) -> None:
    edit_case(folder, "ecg", lambda d: d["ai_output"]["beats"].append({"time_s": 9.5}))
    assert any("ai_output.beats[4]" in e and "after the end" in e for e in _errors(folder))
    edit_case(folder, "ecg", lambda d: d["ai_output"].update(leads=["I", "II", "V1"]))
    assert any("ai_output.signal" in e and "3 lead(s)" in e for e in _errors(folder))


def test_dicom_with_identifiers_is_refused_and_accepted_once_stripped(folder: Path) -> None:
    from case_bank.dicom import deidentify_file

    raw = make_dicom(folder.parent / "raw.dcm")
    shutil.copy(raw, folder / "assets" / "film.dcm")

    def use_dicom(data: dict[str, Any]) -> None:
        data["ai_output"]["image"] = "assets/film.dcm"
        data["ai_output"]["window"] = {"centre": 1000, "width": 2000}
        del data["ai_output"]["heat_map"]
        data["ai_output"]["boxes"][0].update(x=2, y=2)
        data["ai_output"]["polygons"] = []

    edit_case(folder, "image-chest", use_dicom)
    errors = _errors(folder)
    assert any("PatientName" in e and "InstitutionName" in e for e in errors), errors
    deidentify_file(raw, folder / "assets" / "film.dcm")
    pack = load_pack(folder)
    assert pack.errors == []
    assert [str(w) for w in pack.warnings] == [
        "warning: assets/chest-heat.png: no case uses this asset; remove it or refer to it from a "
        "case",
        "warning: assets/chest.png: no case uses this asset; remove it or refer to it from a case",
    ]


def test_require_valid_raises_with_every_error(folder: Path) -> None:
    (folder / "assets" / "chest.png").unlink()
    (folder / "cases" / "risk.yaml").write_text("nonsense: [")
    with pytest.raises(PackError) as info:
        require_valid(load_pack(folder))
    assert len(info.value.problems) >= 2


def test_not_a_folder(tmp_path: Path) -> None:
    pack = load_pack(tmp_path / "missing")
    assert not pack.valid and "does not exist" in str(pack.problems[0])


def test_messages_are_translated(folder: Path) -> None:
    edit_case(folder, "risk", lambda d: d.update(colour="red"))
    set_language("zh_CN")
    problems = load_pack(folder).errors
    set_language("en")
    english = load_pack(folder).errors
    assert [p.field for p in problems] == [p.field for p in english] == ["colour"]
    assert english[0].message == "unknown field (check the spelling)"
