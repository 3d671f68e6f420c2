"""Hostile YAML is refused with a located, translated message."""

from __future__ import annotations

from pathlib import Path

import pytest

from case_bank import yamlsafe
from case_bank.yamlsafe import YamlError, load_text


def test_values_and_lines_are_recorded() -> None:
    doc = load_text("a: 1\nb:\n  - x\n  - y: true\n")
    assert doc.data == {"a": 1, "b": ["x", {"y": True}]}
    assert doc.line_of(("b", 1, "y")) == 4
    assert doc.line_of(("b", 1, "missing")) == 4
    assert doc.line_of(("a",)) == 1


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(YamlError) as info:
        load_text("a: 1\nb: [unclosed\nc: 2\n")
    assert info.value.line is not None and info.value.line >= 2


def test_alias_bomb_is_refused() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    with pytest.raises(YamlError, match="&"):
        load_text(bomb)


def test_duplicate_keys_refused() -> None:
    with pytest.raises(YamlError) as info:
        load_text("a: 1\na: 2\n")
    assert info.value.line == 2


def test_python_tags_are_not_constructed() -> None:
    with pytest.raises(YamlError):
        load_text("a: !!python/object/apply:os.system ['echo hacked']\n")


def test_huge_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_YAML_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    with pytest.raises(YamlError, match="KB"):
        yamlsafe.load_file(path)


def test_non_utf8_and_empty(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(YamlError, match="UTF-8"):
        yamlsafe.load_file(bad)
    with pytest.raises(YamlError):
        load_text("")


def test_impossible_date_and_deep_nesting_are_messages_not_crashes() -> None:
    with pytest.raises(YamlError):
        load_text("when: 2024-03-38\n")
    with pytest.raises(YamlError, match="nested"):
        load_text("a: " + "[" * 3000 + "]" * 3000 + "\n")


def test_anchor_without_alias_is_harmless_but_alias_is_refused() -> None:
    assert load_text("a: &x 1\nb: 2\n").data == {"a": 1, "b": 2}
    with pytest.raises(YamlError, match="&"):
        load_text("a: &x [1]\nb: *x\n")
