"""The gettext catalogues are complete, consistent with the sources, and switchable."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from xiangyi import i18n

REPO = Path(__file__).resolve().parents[2]
LOCALE_DIR = REPO / "xiangyi" / "locale"
POT = LOCALE_DIR / "xiangyi.pot"
LANGUAGES = ("zh_CN", "en")
SOURCE_DIRS = ("xiangyi", "case_bank", "assessments", "courses", "records", "desktop")
# Same as `make extract-messages`: Babel's default keywords plus -k _ -k N_ -k ngettext:1,2.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python")]

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
MNEMONIC = re.compile(r"(?<!&)&([A-Za-z0-9])")

MessageId = str | tuple[str, ...]


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _po(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "xiangyi.po"


def _ids(catalog: Catalog) -> set[MessageId]:
    return {
        message.id if isinstance(message.id, str) else tuple(message.id)
        for message in catalog
        if message.id
    }


def _strings(value: str | Sequence[str | None] | None) -> tuple[str, ...]:
    if value is None or isinstance(value, str):
        return (value or "",)
    return tuple(part or "" for part in value)


def _placeholders(text: str) -> Counter[str]:
    return Counter(token for token in PLACEHOLDER.findall(text) if token != "%%")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_message_is_translated(language: str) -> None:
    catalog = _read(_po(language))
    problems = []
    for template in _read(POT):
        if not template.id:
            continue
        message = catalog.get(template.id)
        if message is None:
            problems.append(f"missing: {template.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {template.id!r}")
        elif not all(_strings(message.string)):
            problems.append(f"untranslated: {template.id!r}")
    assert not problems, f"{language} catalogue is incomplete:\n" + "\n".join(problems)


def test_zh_cn_keeps_every_placeholder() -> None:
    problems = []
    for message in _read(_po("zh_CN")):
        if not message.id:
            continue
        expected = _placeholders(_strings(message.id)[0])
        for translation in _strings(message.string):
            if _placeholders(translation) != expected:
                problems.append(f"{message.id!r} -> {translation!r}")
    assert not problems, "placeholders differ from the source:\n" + "\n".join(problems)


def test_zh_cn_keeps_every_mnemonic() -> None:
    problems = []
    for message in _read(_po("zh_CN")):
        if not message.id:
            continue
        for letter in MNEMONIC.findall(_strings(message.id)[0]):
            translation = _strings(message.string)[0]
            found = {found.lower() for found in MNEMONIC.findall(translation)}
            if letter.lower() not in found:
                problems.append(f"{message.id!r} -> {translation!r} (needs (&{letter.upper()}))")
    assert not problems, "Qt mnemonics lost in translation:\n" + "\n".join(problems)


def test_template_is_up_to_date_with_the_sources() -> None:
    extracted: set[MessageId] = set()
    for directory in SOURCE_DIRS:
        path = REPO / directory
        if not path.is_dir():
            continue
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(path), method_map=METHOD_MAP, keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                message = tuple(part for part in message if part is not None)
                if len(message) == 1:
                    message = message[0]
            if message:
                extracted.add(message)
    template = _ids(_read(POT))
    missing = sorted(map(repr, extracted - template))
    stale = sorted(map(repr, template - extracted))
    assert not missing and not stale, (
        "xiangyi/locale/xiangyi.pot is out of date; run `make update-messages` "
        "and translate the new strings.\n"
        f"Marked in the sources but missing from the .pot ({len(missing)}):\n  "
        + "\n  ".join(missing)
        + f"\nIn the .pot but no longer in the sources ({len(stale)}):\n  "
        + "\n  ".join(stale)
    )


def test_template_has_strings_marked_inside_f_strings() -> None:
    """Babel's extractor cannot see ``_()`` inside an f-string on Python 3.11, so such a
    string silently stays English; scan the syntax tree, which does see it."""
    template = {_strings(message_id)[0] for message_id in _ids(_read(POT))}
    missing = []
    for directory in SOURCE_DIRS:
        for path in sorted((REPO / directory).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_", "ngettext")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value not in template
                ):
                    where = f"{path.relative_to(REPO)}:{node.lineno}"
                    missing.append(f"{node.args[0].value!r} ({where})")
    assert not missing, (
        "these marked strings are not in xiangyi/locale/xiangyi.pot. If `make update-messages` "
        "does not pick them up, they sit inside an f-string: move the _() call out of it "
        "(e.g. label = _('...') first), then run `make update-messages`.\n  " + "\n  ".join(missing)
    )


@pytest.fixture
def compiled_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Compile the .po files into a temporary locale folder and point i18n at it."""
    for language in LANGUAGES:
        target = tmp_path / language / "LC_MESSAGES" / "xiangyi.mo"
        target.parent.mkdir(parents=True)
        with target.open("wb") as handle:
            write_mo(handle, _read(_po(language)))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_catalogues", {})
    return tmp_path


def test_switching_language_changes_translations(compiled_locale: Path) -> None:
    i18n.set_language("zh_CN")
    assert i18n._("Sign in") == "登录"
    i18n.set_language("en")
    assert i18n._("Sign in") == "Sign in"
    i18n.set_language("zh-CN")
    assert i18n._("Sign out") == "退出登录"
