"""Pack format versions: explicit upgrade steps, and refusal of packs for a newer app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kinds_helpers import copy_pack, edit_case

from case_bank import formats
from case_bank.pack import load_pack
from xiangyi import __version__
from xiangyi.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _edit_pack_yaml(folder: Path, old: str, new: str) -> None:
    path = folder / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_old_format_has_an_upgrade_step() -> None:
    assert sorted(formats.STEPS) == list(range(formats.OLDEST_FORMAT, formats.CURRENT_FORMAT))
    for source, step in formats.STEPS.items():
        assert step.source == source and step.summary


def test_step_0_to_1_renames_fields_without_touching_the_input() -> None:
    pack = {"format": 0, "id": "p-1", "min_version": "0.1"}
    case = {"id": "c-1", "ai_output": {"kind": "ecg", "sampling_hz": 250}}
    upgraded_pack = formats.upgrade_pack(pack)
    upgraded_case = formats.upgrade_case(case, 0)
    assert upgraded_pack == {"format": 1, "id": "p-1", "min_app_version": "0.1"}
    assert upgraded_case == {"id": "c-1", "ai_output": {"kind": "ecg", "sampling_rate": 250}}
    assert pack["min_version"] == "0.1" and case["ai_output"]["sampling_hz"] == 250
    assert formats.upgrade_case(upgraded_case, 1) == upgraded_case


def test_a_format_0_pack_loads_through_the_upgrade(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    _edit_pack_yaml(folder, "format: 1", "format: 0")
    _edit_pack_yaml(folder, "min_app_version:", "min_version:")

    def old_ecg(data: dict[str, Any]) -> None:
        data["ai_output"]["sampling_hz"] = data["ai_output"].pop("sampling_rate")

    edit_case(folder, "ecg", old_ecg)
    pack = load_pack(folder)
    assert pack.problems == []
    assert pack.info is not None and pack.info.format == formats.CURRENT_FORMAT
    ecg = pack.case("kinds-ecg-001").ai_output
    assert getattr(ecg, "sampling_rate", None) == 250


def test_a_current_pack_with_an_old_field_name_is_an_error(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    _edit_pack_yaml(folder, "min_app_version:", "min_version:")
    errors = [str(p) for p in load_pack(folder).errors]
    assert "pack.yaml:10: min_version: unknown field (check the spelling)" in errors
    assert any("min_app_version: this field is required" in e for e in errors)


def test_a_newer_format_is_refused(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    _edit_pack_yaml(folder, "format: 1", f"format: {formats.CURRENT_FORMAT + 1}")
    pack = load_pack(folder)
    assert not pack.valid and pack.cases == []
    assert [str(p) for p in pack.problems] == [
        f"pack.yaml:1: format: the pack uses format {formats.CURRENT_FORMAT + 1}, but this "
        f"version of Xiangyi reads formats up to {formats.CURRENT_FORMAT}; install a newer "
        "Xiangyi to use it"
    ]


@pytest.mark.parametrize("value", ['"one"', "-1", "true", "1.5"])
def test_a_nonsense_format_is_refused(tmp_path: Path, value: str) -> None:
    folder = copy_pack(tmp_path)
    _edit_pack_yaml(folder, "format: 1", f"format: {value}")
    pack = load_pack(folder)
    assert not pack.valid
    assert pack.problems[0].field == "format"


def test_a_pack_requiring_a_newer_app_is_refused(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    _edit_pack_yaml(folder, 'min_app_version: "0.1"', 'min_app_version: "99.0"')
    pack = load_pack(folder)
    assert not pack.valid and pack.info is None and pack.cases == []
    message = str(pack.problems[0])
    assert message.startswith("pack.yaml:10: min_app_version: the pack needs Xiangyi 99.0")
    assert __version__ in message


def test_version_comparison() -> None:
    assert formats.parse_version("0.1") == (0, 1, 0)
    assert formats.parse_version("1.2.3rc1") == (1, 2, 3)
    assert not formats.app_too_old("0.1", "0.1.0")
    assert formats.app_too_old("0.10", "0.9.9")
    assert not formats.app_too_old("1.0", "1.0.1")
    assert formats.app_too_old("1.0.2", "1.0.1")
