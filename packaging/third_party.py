"""The THIRD-PARTY-LICENCES folder of a build: one sub-folder per bundled distribution
with its licence files, Python's licence, the LGPL texts for Qt, and an index.

Used by xiangyi.spec after the analysis, from the top-level names of what it collected.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
QT_DISTRIBUTIONS = {"PySide6_Essentials", "PySide6", "shiboken6"}
FIRST_PARTY = {"xiangyi"}


def _licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if "License" in c]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:80] if text else "see the licence files"


def distributions_for(top_levels: Iterable[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions that provide the given top-level import names."""
    provided = metadata.packages_distributions()
    found: dict[str, metadata.Distribution] = {}
    for name in sorted(set(top_levels)):
        for dist_name in provided.get(name, []):
            if dist_name in FIRST_PARTY or dist_name in found:
                continue
            try:
                found[dist_name] = metadata.distribution(dist_name)
            except metadata.PackageNotFoundError:
                continue
    return found


def _python_licence() -> Path | None:
    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (base / "LICENSE.txt", base / "lib" / version / "LICENSE.txt"):
        if candidate.is_file():
            return candidate
    return None


def write_licences(
    target: Path, top_levels: Iterable[str], system_libraries: Iterable[str] = ()
) -> list[str]:
    """Fill ``target`` (emptied first); returns the index lines. ``system_libraries``
    are the shared libraries copied from the build machine (Linux)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    index = [
        "Third-party software in this build of Xiangyi",
        "==============================================",
        "",
        "Each folder holds the licence files of one component. Xiangyi itself is under the",
        "Apache-2.0 licence; its certificate fonts carry their own licences in",
        "_internal/records/fonts (Windows and Linux alike).",
        "",
    ]
    python = _python_licence()
    if python is not None:
        folder = target / "Python"
        folder.mkdir()
        shutil.copy2(python, folder / "LICENSE.txt")
    index.append(f"Python {sys.version.split()[0]}: PSF-2.0 (Python/)")
    for name, dist in sorted(distributions_for(top_levels).items(), key=lambda i: i[0].lower()):
        folder = target / f"{name}-{dist.version}"
        folder.mkdir()
        copied = 0
        for file in dist.files or []:
            if not LICENCE_FILE.search(file.name) or file.suffix in (".py", ".pyc"):
                continue
            source = Path(str(file.locate()))
            if source.is_file():
                flat = str(file).replace("/", "_").replace("\\", "_")
                shutil.copy2(source, folder / flat)
                copied += 1
        if name in QT_DISTRIBUTIONS:
            for text in ("LGPL-3.0.txt", "GPL-3.0.txt", "Qt-NOTICE.txt"):
                shutil.copy2(HERE / "licences" / text, folder / text)
            copied += 3
        if not copied:
            (folder / "LICENCE-UNKNOWN.txt").write_text(
                f"{name} {dist.version} ships no licence file; its metadata says: "
                f"{_licence_of(dist)}\n",
                encoding="utf-8",
            )
        index.append(f"{name} {dist.version}: {_licence_of(dist)} ({folder.name}/)")
    system = [n for n in system_libraries if not n.lower().startswith(("python", "libpython"))]
    if system and not sys.platform.startswith("win"):
        index += [
            "",
            "System libraries copied from the build machine's Linux distribution, each under",
            "its own licence (mostly MIT/X11, LGPL-2.1-or-later, BSD or zlib; the",
            "distribution's /usr/share/doc/<package>/copyright has the text):",
            *textwrap.wrap(", ".join(system), 88, break_on_hyphens=False),
        ]
    (target / "README.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    return index
