"""The built-in content of an installed (frozen) Xiangyi and its manifest.

The build (packaging/xiangyi.spec) writes ``content-manifest.json`` beside the
packages: the size and SHA-256 of every data file it bundled (case packs, modules,
blueprints, migrations, catalogues, fonts, help). At start the app checks that each
listed file is there with its size (a few hundred ``stat`` calls, about a millisecond);
``xiangyi --self-test`` also checks every checksum. A missing manifest when running from
source is normal: there is nothing to compare against.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from xiangyi.i18n import _

MANIFEST_NAME = "content-manifest.json"
MANIFEST_FORMAT = 1
# The first-party packages whose data files are built-in content.
PACKAGES = ("xiangyi", "case_bank", "assessments", "courses", "records", "desktop")
# Source files that are not content; alembic's scripts are read from disk, so they are.
_NOT_CONTENT = frozenset({".py", ".pyc", ".pyo", ".po", ".pot"})
_SCRIPT_FOLDERS = ("records/migrations/",)

Kind = Literal["missing", "changed", "unreadable", "no_manifest"]


@dataclass(frozen=True)
class ContentProblem:
    path: str  # relative to the installation's root, with "/"
    kind: Kind

    def __str__(self) -> str:
        if self.kind == "missing":
            return _("missing: {path}").format(path=self.path)
        if self.kind == "changed":
            return _("changed or damaged: {path}").format(path=self.path)
        if self.kind == "no_manifest":
            return _("the list of built-in files is missing or unreadable: {path}").format(
                path=self.path
            )
        return _("cannot be read: {path}").format(path=self.path)


class DamagedInstallation(Exception):
    """Built-in files are missing or changed; ``str()`` says which and what to do."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__(self.message())

    def message(self, limit: int = 8) -> str:
        lines = [_("Some built-in files of this Xiangyi installation are missing or damaged:")]
        lines += [f"  {problem}" for problem in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(
                _("  … and {n} more").format(n=len(self.problems) - limit),
            )
        lines.append(
            _(
                "Reinstall Xiangyi (copy the whole folder again or run the installer). "
                "Your records are kept in the data folder and are not affected."
            )
        )
        return "\n".join(lines)


def app_root() -> Path:
    """The folder holding the packages: the repository from source, the bundle's
    internal folder when frozen."""
    return Path(__file__).resolve().parent.parent


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def is_content(relative: str) -> bool:
    """Whether a file (path relative to the root, with "/") is built-in content."""
    parts = relative.split("/")
    if parts[0] not in PACKAGES or "__pycache__" in parts:
        return False
    if relative.startswith(_SCRIPT_FOLDERS) and relative.endswith(".py"):
        return True
    return Path(relative).suffix not in _NOT_CONTENT


def content_files(root: Path) -> list[str]:
    """Every content file under ``root``'s packages, sorted (what a build bundles)."""
    found = []
    for package in PACKAGES:
        for path in (root / package).rglob("*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and is_content(relative):
                found.append(relative)
    return sorted(found)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_of(root: Path, files: Iterable[str]) -> dict[str, object]:
    entries = {}
    for relative in sorted(files):
        path = root / relative
        entries[relative] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return {"format": MANIFEST_FORMAT, "files": entries}


def write_manifest(root: Path, files: Iterable[str], target: Path) -> int:
    """Write the manifest of ``files`` (relative to ``root``) to ``target``; their count."""
    doc = manifest_of(root, files)
    target.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return len(doc["files"])  # type: ignore[arg-type]


def read_manifest(path: Path) -> dict[str, dict[str, object]] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = doc["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if doc.get("format") != MANIFEST_FORMAT or not isinstance(files, dict):
        return None
    return files


def check_content(root: Path | None = None, *, thorough: bool = False) -> list[ContentProblem]:
    """Problems with the built-in files against the manifest (none when all is well).

    Quick by default: each file exists with its recorded size. ``thorough`` also
    compares checksums. Running from source (no manifest, not frozen) is never a
    problem; a frozen build without a readable manifest is one.
    """
    root = root or app_root()
    manifest_path = root / MANIFEST_NAME
    if not manifest_path.exists() and not is_frozen():
        return []
    files = read_manifest(manifest_path)
    if files is None:
        return [ContentProblem(MANIFEST_NAME, "no_manifest")]
    problems = []
    for relative, entry in files.items():
        path = root / relative
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problems.append(ContentProblem(relative, "missing"))
            continue
        except OSError:
            problems.append(ContentProblem(relative, "unreadable"))
            continue
        if size != entry.get("size"):
            problems.append(ContentProblem(relative, "changed"))
            continue
        if thorough:
            try:
                if _sha256(path) != entry.get("sha256"):
                    problems.append(ContentProblem(relative, "changed"))
            except OSError:
                problems.append(ContentProblem(relative, "unreadable"))
    return problems


def require_intact(root: Path | None = None, *, thorough: bool = False) -> None:
    """Raise DamagedInstallation when ``check_content`` finds anything."""
    problems = check_content(root, thorough=thorough)
    if problems:
        raise DamagedInstallation(problems)


def manifest_count(root: Path | None = None) -> int | None:
    """How many files the manifest lists (None without one)."""
    files = read_manifest((root or app_root()) / MANIFEST_NAME)
    return None if files is None else len(files)
