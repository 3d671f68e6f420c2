"""Bring the catalogues in step with the sources (run by `make update-messages`).

Extracts the template, merges it into zh_CN and en, copies English msgids into
the English catalogue, and lists zh_CN messages still to translate.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "xiangyi" / "locale"
SOURCES = ["xiangyi", "case_bank", "assessments", "courses", "records", "desktop"]


def babel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def _translated(string: object) -> bool:
    """A plural entry is translated only when every one of its forms is."""
    if isinstance(string, tuple):
        return bool(string) and all(string)
    return bool(string)


def main() -> int:
    babel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_",
        "-k",
        "N_",
        "-k",
        "ngettext:1,2",
        "--no-location",
        "--sort-output",
        "-o",
        str(LOCALES / "xiangyi.pot"),
        *SOURCES,
    )
    babel(
        "update",
        "-i",
        str(LOCALES / "xiangyi.pot"),
        "-d",
        str(LOCALES),
        "-D",
        "xiangyi",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    english = LOCALES / "en" / "LC_MESSAGES" / "xiangyi.po"
    with english.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = message.id
    with english.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    with (LOCALES / "zh_CN" / "LC_MESSAGES" / "xiangyi.po").open("rb") as handle:
        chinese = read_po(handle)
    missing = [m.id for m in chinese if m.id and (not _translated(m.string) or m.fuzzy)]
    for msgid in missing:
        print(f"zh_CN untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
