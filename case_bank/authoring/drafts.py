"""Autosaved drafts of unsaved edits, kept outside the pack so they never get published.

Drafts of one pack live in ``<drafts root>/<folder hash>/``: the changed files' texts
and ``draft.json`` naming the pack folder and, per file, the text it was based on
(hash), so a draft whose file was changed on disk since is not offered blindly.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from case_bank.authoring.project import PackProject, write_atomic

DRAFT_INDEX = "draft.json"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draft_folder(root: Path, pack_folder: Path) -> Path:
    key = hashlib.sha256(str(Path(pack_folder).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(root) / key


@dataclass
class Draft:
    """Unsaved texts found for a pack: relative path → text."""

    folder: Path
    texts: dict[str, str]
    stale: list[str]  # files changed on disk since the draft was written


def write_draft(root: Path, project: PackProject) -> Path | None:
    """Store the texts of every changed file; removes the draft when nothing is changed."""
    target = draft_folder(root, project.folder)
    changed = [doc for doc in project.documents() if doc.changed]
    if not changed:
        discard_draft(root, project.folder)
        return None
    index = {"pack_folder": str(project.folder.resolve()), "files": {}}
    for number, doc in enumerate(changed):
        name = f"{number:04d}.yaml"
        write_atomic(target / name, doc.text())
        index["files"][doc.rel] = {"draft": name, "base": _hash(doc.saved_text)}  # type: ignore[index]
    write_atomic(target / DRAFT_INDEX, json.dumps(index, ensure_ascii=False, indent=1))
    return target


def find_draft(root: Path, project: PackProject) -> Draft | None:
    """The draft left for ``project`` (after a crash), or None."""
    folder = draft_folder(root, project.folder)
    try:
        index = json.loads((folder / DRAFT_INDEX).read_text(encoding="utf-8"))
        files = dict(index["files"])
        texts = {
            rel: (folder / Path(entry["draft"]).name).read_text(encoding="utf-8")
            for rel, entry in files.items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    stale = []
    for rel, entry in files.items():
        on_disk = project.folder / rel
        base = on_disk.read_text(encoding="utf-8") if on_disk.is_file() else ""
        if _hash(base) != entry.get("base"):
            stale.append(rel)
    return Draft(folder, texts, stale) if texts else None


def restore_draft(project: PackProject, draft: Draft) -> list[str]:
    """Put the draft's texts into the project (unsaved); returns the files restored."""
    from case_bank.authoring.project import CASE_ROOT, new_document

    for rel, text in draft.texts.items():
        if rel == "pack.yaml":
            project.info.set_text(text)
        elif rel.startswith("cases/") and rel.count("/") == 1 and rel.endswith(".yaml"):
            if rel not in project.cases:
                project.cases[rel] = new_document(rel, "", CASE_ROOT)
            project.cases[rel].set_text(text)
    project.cases = dict(sorted(project.cases.items()))
    return sorted(draft.texts)


def discard_draft(root: Path, pack_folder: Path) -> None:
    shutil.rmtree(draft_folder(root, pack_folder), ignore_errors=True)
