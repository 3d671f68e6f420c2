"""The set-up every screenshot script shares: its arguments (output folder, language,
``--translations`` not yet merged into the catalogue), a temporary folder, the language
for our strings and Qt's, and the QApplication.

    with screenshot_session() as session:
        ...  # session.out, session.tmp, session.app, session.suffix, session.language
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class ScreenshotSession:
    out: Path
    tmp: Path
    app: Any  # QApplication
    language: str

    @property
    def suffix(self) -> str:
        """File-name suffix: none for Chinese (the default), "-en" for English."""
        return "" if self.language == "zh_CN" else f"-{self.language}"


@contextmanager
def screenshot_session() -> Iterator[ScreenshotSession]:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("language", nargs="?", default="zh_CN")
    parser.add_argument("--translations", nargs="*", type=Path, default=[])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from xiangyi import i18n

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.translations:
            from certificate_ui_screenshots import compile_with

            i18n.LOCALE_DIR = compile_with(args.translations, tmp / "locale")
            i18n._catalogues.clear()
        app = QApplication(sys.argv)
        i18n.set_language(args.language)
        from desktop.qt_i18n import QtLanguage

        QtLanguage(app)
        yield ScreenshotSession(out, tmp, app, args.language)
