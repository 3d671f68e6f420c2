"""A pack project: a folder with ``pack.yaml``, ``cases/*.yaml`` and ``assets/``, open for
editing. Every file is a round-trip document; saving writes only files whose text changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from case_bank.authoring.order import CASE_ROOT, PACK_ROOT, key_order_for

__all__ = ["CASE_ROOT", "PackProject", "ProjectError", "new_document", "write_atomic"]
from case_bank.authoring.template import new_case_text, new_pack_text
from case_bank.authoring.yamldoc import YamlDocument
from case_bank.yamlsafe import MAX_YAML_BYTES
from xiangyi.i18n import _

PACK_FILE = "pack.yaml"
CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"


class ProjectError(Exception):
    """The folder cannot be opened or changed as asked; the message says why."""


def new_document(rel: str, text: str, root: Any) -> YamlDocument:
    doc = YamlDocument(rel, text)
    doc.key_order = key_order_for(root, lambda: doc.get(()))
    return doc


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_YAML_BYTES:
        raise ProjectError(_("{file} is too large to edit").format(file=path.name))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectError(_("{file} is not UTF-8 text").format(file=path.name)) from exc


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file: a power cut leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass
class PackProject:
    """An open pack folder: ``info`` is ``pack.yaml``, ``cases`` maps ``cases/x.yaml`` to
    its document (in file-name order)."""

    folder: Path
    info: YamlDocument
    cases: dict[str, YamlDocument]
    removed: set[str] = field(default_factory=set)  # case files deleted when saved

    @classmethod
    def open(cls, folder: Path) -> PackProject:
        """Open the pack in ``folder`` (each file as it is, even when invalid)."""
        folder = Path(folder)
        if not (folder / PACK_FILE).is_file():
            raise ProjectError(_("{folder} has no pack.yaml").format(folder=folder))
        info = new_document(PACK_FILE, _read(folder / PACK_FILE), PACK_ROOT)
        cases = {}
        for path in sorted((folder / "cases").glob("*.yaml")):
            if path.is_file() and not path.is_symlink():
                rel = f"cases/{path.name}"
                cases[rel] = new_document(rel, _read(path), CASE_ROOT)
        return cls(folder, info, cases)

    @classmethod
    def create(
        cls, folder: Path, pack_id: str, title_zh: str, title_en: str, author: str
    ) -> PackProject:
        """Start a new pack in an empty (or new) ``folder``; nothing is written until saved."""
        folder = Path(folder)
        if folder.exists() and any(folder.iterdir()):
            raise ProjectError(_("Choose an empty folder for a new pack."))
        text = new_pack_text(pack_id, title_zh, title_en, author)
        project = cls(folder, new_document(PACK_FILE, "", PACK_ROOT), {})
        project.info.set_text(text)
        return project

    # -- cases ---------------------------------------------------------------------------
    def documents(self) -> list[YamlDocument]:
        return [self.info, *self.cases.values()]

    def document(self, rel: str) -> YamlDocument:
        return self.info if rel == PACK_FILE else self.cases[rel]

    def case_id(self, rel: str) -> str:
        value = self.cases[rel].get(("id",))
        return str(value) if value else Path(rel).stem

    def rel_of(self, case_id: str) -> str | None:
        for rel in self.cases:
            if self.case_id(rel) == case_id:
                return rel
        return None

    def new_case(self, case_id: str, kind: str) -> str:
        """Add a case from the canonical template; returns its file name (``cases/id.yaml``)."""
        import re

        if not re.match(CASE_ID_PATTERN, case_id):
            raise ProjectError(
                _("A case ID has 3 to 64 small letters, digits, dots, dashes or underscores.")
            )
        rel = f"cases/{case_id}.yaml"
        if rel in self.cases or self.rel_of(case_id) is not None:
            raise ProjectError(_("The case ID '{id}' is already used.").format(id=case_id))
        author = str(self.info.get(("author",)) or "")
        licence = str(self.info.get(("licence",)) or "CC-BY-4.0")
        doc = new_document(rel, "", CASE_ROOT)
        doc.set_text(new_case_text(case_id, kind, author, licence))
        self.cases[rel] = doc
        self.cases = dict(sorted(self.cases.items()))
        return rel

    def remove_case(self, rel: str) -> None:
        """Take a case out of the pack; its file is deleted when the pack is saved."""
        del self.cases[rel]
        self.removed.add(rel)

    def add_asset(self, source: Path, name: str | None = None) -> str:
        """Copy ``source`` into ``assets/``; returns the path a case refers to."""
        target_name = name or Path(source).name
        target = self.folder / "assets" / target_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if Path(source).resolve() != target.resolve():
            shutil.copyfile(source, target)
        return f"assets/{target_name}"

    # -- saving --------------------------------------------------------------------------
    @property
    def changed(self) -> list[str]:
        """The files whose text differs from the saved one."""
        return [doc.rel for doc in self.documents() if doc.changed] + sorted(self.removed)

    def save(self) -> list[str]:
        """Write the changed files (and the pack's folders); returns what was written."""
        written = []
        (self.folder / "cases").mkdir(parents=True, exist_ok=True)
        for doc in self.documents():
            if not doc.changed and (self.folder / doc.rel).is_file():
                continue
            text = doc.text()
            write_atomic(self.folder / doc.rel, text)
            doc.saved_text = text
            written.append(doc.rel)
        for rel in sorted(self.removed):
            if rel not in self.cases:  # not re-created under the same name meanwhile
                (self.folder / rel).unlink(missing_ok=True)
                written.append(rel)
        self.removed.clear()
        return written

    def texts(self) -> dict[str, str]:
        """Every file's current text, by relative path."""
        return {doc.rel: doc.text() for doc in self.documents()}
