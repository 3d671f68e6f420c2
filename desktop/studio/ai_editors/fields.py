"""Small input widgets shared by the AI-output editors, and the merge that keeps YAML as written.

An editor rebuilds the ``ai_output`` mapping from its widgets; :func:`merge` lays that
over the mapping it was loaded from, so every value the trainer did not change stays
the very object the YAML gave (an ``int`` stays an ``int``, a date stays a date, key
order is kept). That is what makes "open and save without changes" byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from xiangyi.i18n import N_, _

LANGUAGES = ("zh_CN", "en")
LANGUAGE_NAMES = {"zh_CN": N_("Chinese (zh_CN)"), "en": N_("English (en)")}


def _same(old: Any, new: Any) -> bool:
    """Equal and of a compatible type (True == 1 in Python, but not in YAML)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return bool(old == new)
    return type(old) is type(new) and old == new


def merge(source: Any, new: Any) -> Any:
    """``new`` laid over ``source``: unchanged values stay the objects of ``source``.

    In mappings a key of ``new`` set to None is removed; a key missing from ``new`` is kept
    from ``source`` (the editor does not own it); an empty value for a key that
    ``source`` lacks is left out, so optional lists do not appear from nowhere.
    """
    if isinstance(source, dict) and isinstance(new, dict):
        result: dict[str, Any] = {}
        for key, old in source.items():
            if key not in new:
                result[key] = old
            elif new[key] is not None:
                result[key] = merge(old, new[key])
        for key, value in new.items():
            if key not in source and value not in (None, [], {}):
                result[key] = clean(value)
        return result
    if isinstance(source, list) and isinstance(new, list) and len(source) == len(new):
        return [merge(a, b) for a, b in zip(source, new, strict=True)]
    return source if _same(source, new) else clean(new)


def clean(value: Any) -> Any:
    """A new value without the keys its editor left empty (None, [] or {})."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def format_number(value: Any) -> str:
    """A number as a trainer would type it: 150, 0.88, 6.68 (no float noise)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_number(text: str) -> int | float | str | None:
    """Typed text as a number (an int when written without a point); bad text stays text,
    so validation names the field instead of the value silently vanishing."""
    text = text.strip().replace(",", ".") if text.count(",") == 1 else text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def format_moment(value: Any) -> str:
    """A trend time (a date or a day number) as text."""
    if isinstance(value, date):
        return value.isoformat()
    return format_number(value)


def parse_moment(text: str) -> date | int | str | None:
    """``2024-03-01`` → a date, ``14`` → day 14; anything else is left for validation."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (for optional parts of an output)."""
    return value if isinstance(value, dict) else {}


def bilingual(zh: str, en: str) -> dict[str, str] | None:
    """The mapping of a bilingual text, or None when both languages are empty."""
    if not zh and not en:
        return None
    return {"zh_CN": zh, "en": en}


class Texts:
    """Translated strings of a widget, set again when the language changes."""

    def __init__(self) -> None:
        self._entries: list[tuple[Callable[[str], object], str]] = []

    def say(self, setter: Callable[[str], object], msgid: str) -> None:
        """Call ``setter`` with the translation of ``msgid`` now and after each switch."""
        self._entries.append((setter, msgid))
        setter(_(msgid))

    def apply(self) -> None:
        for setter, msgid in self._entries:
            setter(_(msgid))


class TextsWidget(QWidget):
    """A widget whose ``texts`` re-label themselves on a language change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = Texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.texts.apply()
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Strings that are not plain msgids (counts, formatted text)."""


class NumberEdit(QLineEdit):
    """A number typed as text, so a loaded value shows (and comes back) exactly as written."""

    def set_number(self, value: Any) -> None:
        self.setText(format_number(value))

    def number(self) -> int | float | str | None:
        return parse_number(self.text())


class BilingualEdit(TextsWidget):
    """One text in Chinese and English, side by side (lines or short paragraphs)."""

    changed = Signal()

    def __init__(self, name: str, multiline: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for language in LANGUAGES:
            edit: QLineEdit | QPlainTextEdit
            if multiline:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
                edit.textChanged.connect(self.changed)
            else:
                edit = QLineEdit()
                edit.textEdited.connect(self.changed)
            edit.setObjectName(f"{name}_{language}")
            self.texts.say(edit.setPlaceholderText, LANGUAGE_NAMES[language])
            self.edits[language] = edit
            row.addWidget(edit, 1)

    def text(self, language: str) -> str:
        edit = self.edits[language]
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def set_text(self, language: str, text: str) -> None:
        edit = self.edits[language]
        if isinstance(edit, QPlainTextEdit):
            edit.setPlainText(text)
        else:
            edit.setText(text)

    def set_value(self, value: Any) -> None:
        """Show a ``{zh_CN, en}`` mapping (or nothing)."""
        value = value if isinstance(value, dict) else {}
        for language in LANGUAGES:
            self.set_text(language, str(value.get(language) or ""))

    def value(self) -> dict[str, str] | None:
        return bilingual(self.text("zh_CN"), self.text("en"))
