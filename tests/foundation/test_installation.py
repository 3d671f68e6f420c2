"""The manifest of an installation's built-in files: written at build time, checked
quickly at start (present, same size) and thoroughly by the self-test (checksums)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xiangyi import installation
from xiangyi.installation import MANIFEST_NAME, check_content, content_files, write_manifest


def _bundle(root: Path) -> list[str]:
    files = {
        "case_bank/packs/demo/pack.yaml": b"id: demo\n",
        "case_bank/packs/demo/assets/x.png": b"\x89PNG....",
        "records/migrations/versions/0001_initial.py": b"revision = '0001'\n",
        "records/fonts/A.ttf": b"font",
        "xiangyi/locale/zh_CN/LC_MESSAGES/xiangyi.mo": b"mo",
        "xiangyi/locale/zh_CN/LC_MESSAGES/xiangyi.po": b"po",  # not content
        "case_bank/pack.py": b"code",  # not content
        "desktop/__pycache__/x.cpython-311.pyc": b"",  # not content
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    listed = content_files(root)
    write_manifest(root, listed, root / MANIFEST_NAME)
    return listed


def test_content_is_data_and_alembic_scripts(tmp_path: Path) -> None:
    assert _bundle(tmp_path) == [
        "case_bank/packs/demo/assets/x.png",
        "case_bank/packs/demo/pack.yaml",
        "records/fonts/A.ttf",
        "records/migrations/versions/0001_initial.py",
        "xiangyi/locale/zh_CN/LC_MESSAGES/xiangyi.mo",
    ]
    assert check_content(tmp_path, thorough=True) == []


def test_missing_and_truncated_files_found_quickly(tmp_path: Path) -> None:
    _bundle(tmp_path)
    (tmp_path / "records/fonts/A.ttf").unlink()
    (tmp_path / "case_bank/packs/demo/pack.yaml").write_bytes(b"id")
    problems = check_content(tmp_path)
    assert {(p.path, p.kind) for p in problems} == {
        ("records/fonts/A.ttf", "missing"),
        ("case_bank/packs/demo/pack.yaml", "changed"),
    }
    message = str(installation.DamagedInstallation(problems))
    assert "records/fonts/A.ttf" in message and "Reinstall Xiangyi" in message


def test_same_size_damage_needs_the_thorough_check(tmp_path: Path) -> None:
    _bundle(tmp_path)
    (tmp_path / "case_bank/packs/demo/pack.yaml").write_bytes(b"id: xxxx\n")
    assert check_content(tmp_path) == []
    problems = check_content(tmp_path, thorough=True)
    assert [(p.path, p.kind) for p in problems] == [("case_bank/packs/demo/pack.yaml", "changed")]


def test_no_manifest_is_fine_from_source_not_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_content(tmp_path) == []
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert [p.kind for p in check_content(tmp_path)] == ["no_manifest"]
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert [p.kind for p in check_content(tmp_path)] == ["no_manifest"]


def test_source_tree_lists_the_builtin_content() -> None:
    listed = content_files(installation.app_root())
    assert any(n.startswith("case_bank/packs/") and n.endswith(".yaml") for n in listed)
    assert any(n.startswith("courses/modules/") for n in listed)
    assert "assessments/framework.yaml" in listed
    assert "records/migrations/env.py" in listed
    assert any(n.startswith("desktop/help/") for n in listed)
    assert not any(n.endswith((".po", ".pot", ".pyc")) for n in listed)
