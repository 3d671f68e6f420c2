"""The one translation mechanism for every user-facing string (gettext + Babel).

Every package, Qt or not, marks strings with ``_()`` (translate now) or ``N_()``
(mark a constant, translate when shown). The current language is process-wide and
can change at run time; ``_()`` looks it up on every call, so a screen re-labels
itself simply by calling its ``retranslate()`` again.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "xiangyi"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}

_log = logging.getLogger(__name__)
_current = DEFAULT_LANGUAGE
_catalogues: dict[str, gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


def _catalogue(language: str) -> gettext.NullTranslations:
    if language not in _catalogues:
        try:
            _catalogues[language] = gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=[language]
            )
        except OSError:
            # A missing compiled catalogue must not stop the app; English source
            # strings are shown and the problem is logged for the IT helper.
            _log.warning("No compiled catalogue for %s in %s", language, LOCALE_DIR)
            _catalogues[language] = gettext.NullTranslations()
    return _catalogues[language]


def normalise(language: str) -> str:
    """Map user or system spellings (zh-CN, zh_Hans, en_US) to a supported code."""
    code = language.replace("-", "_")
    if code.lower().startswith("zh"):
        return "zh_CN"
    if code.lower().startswith("en"):
        return "en"
    raise ValueError(f"Unsupported language: {language}")


def set_language(language: str) -> None:
    """Switch the process language and tell every listener (e.g. the Qt shell)."""
    global _current
    _current = normalise(language)
    for listener in list(_listeners):
        listener(_current)


def current_language() -> str:
    return _current


def add_listener(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def remove_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _catalogue(_current).gettext(message)


def translate_to(language: str, message: str) -> str:
    """Translate ``message`` into ``language`` whatever the current language is (for
    documents printed in both languages at once, such as certificates)."""
    return _catalogue(normalise(language)).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message
