"""The open pack in the studio: edits with undo, live checks and autosaved drafts.

A thin Qt layer over ``case_bank.authoring``: it applies edits through the core
history, re-checks the edited case a moment after typing stops, and writes a draft a
few seconds after the last change, so a crash loses almost nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from case_bank.authoring.checks import CaseCheck, check_case, check_info, check_project
from case_bank.authoring.drafts import discard_draft, write_draft
from case_bank.authoring.history import EditHistory
from case_bank.authoring.project import PACK_FILE, PackProject
from case_bank.authoring.status import CaseStatus, case_status
from case_bank.authoring.yamldoc import Path_
from case_bank.validation import Problem

_log = logging.getLogger(__name__)
CHECK_DELAY_MS = 400
AUTOSAVE_DELAY_MS = 3000


class StudioSession(QObject):
    """``edited(rel)`` after any change of a file; ``checked()`` after new check results;
    ``drafted()`` after a draft was written."""

    edited = Signal(str)
    checked = Signal()
    drafted = Signal()

    def __init__(
        self,
        project: PackProject,
        drafts_root: Path,
        results: dict[str, CaseCheck] | None = None,
    ) -> None:
        super().__init__()
        self.project = project
        self.history = EditHistory(project)
        self.drafts_root = drafts_root
        self.results: dict[str, CaseCheck] = {}
        self._pending: set[str] = set()
        self.check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self.check_pending)
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        if results is None:
            self.check_all()
        else:
            self.results = results  # checked while the pack was opened

    # -- edits -------------------------------------------------------------------------
    def edit(self, rel: str, path: Path_, value: Any, *, merge: bool = True) -> None:
        """Set a field (one undo step per field while typing) and schedule checks."""
        if self.history.apply(rel, path, value, merge=merge) is not None:
            self.touched(rel)

    def replace_text(self, rel: str, text: str) -> None:
        if self.history.replace_text(rel, text) is not None:
            self.touched(rel)

    def undo(self) -> str | None:
        edit = self.history.undo()
        if edit is not None:
            self.touched(edit.rel)
        return edit.rel if edit else None

    def redo(self) -> str | None:
        edit = self.history.redo()
        if edit is not None:
            self.touched(edit.rel)
        return edit.rel if edit else None

    def new_case(self, case_id: str, kind: str) -> str:
        rel = self.project.new_case(case_id, kind)
        self.touched(rel)
        self.check_pending()
        return rel

    def remove_case(self, rel: str) -> None:
        """Remove a case (deleted from disk on save). Undo cannot bring it back, so the
        undo history is cleared; until saved, the file is still on disk."""
        self.project.remove_case(rel)
        self.history.done.clear()
        self.history.undone.clear()
        self.results.pop(rel, None)
        self._pending.discard(rel)
        self.autosave_timer.start()
        self.edited.emit(rel)
        self.check_all()

    def touched(self, rel: str) -> None:
        self._pending.add(rel)
        self.check_timer.start()
        self.autosave_timer.start()
        self.edited.emit(rel)

    # -- checks ------------------------------------------------------------------------
    def check_all(self) -> None:
        """Check every file (on opening, after saving)."""
        self._pending.clear()
        self.results = check_project(self.project)
        self.checked.emit()

    def check_pending(self) -> None:
        """Re-check the files edited since the last check (pack.yaml: all of them)."""
        pending, self._pending = self._pending, set()
        self.check_timer.stop()
        if PACK_FILE in pending or any(rel not in self.results for rel in pending):
            self.check_all()
            return
        _info, source, _problems = check_info(self.project.info.text())
        for rel in pending:
            doc = self.project.cases[rel]
            self.results[rel] = check_case(rel, doc.text(), self.project.folder, source or 1)
        self.checked.emit()

    def problems(self, rel: str | None = None) -> list[Problem]:
        """Current problems of one file, or of the whole pack."""
        if rel is not None:
            result = self.results.get(rel)
            return list(result.problems) if result else []
        return [p for result in self.results.values() for p in result.problems]

    def status(self, rel: str) -> CaseStatus:
        result = self.results.get(rel) or CaseCheck(None)
        return case_status(self.project.cases[rel].get(()), result)

    def info(self) -> Any:
        """The pack's info when ``pack.yaml`` is valid, else None."""
        return check_info(self.project.info.text())[0]

    def valid_cases(self) -> list[Any]:
        return [r.case for rel, r in self.results.items() if rel != PACK_FILE and r.case]

    # -- saving ------------------------------------------------------------------------
    def save(self) -> list[str]:
        """Write the changed files and drop the draft."""
        written = self.project.save()
        discard_draft(self.drafts_root, self.project.folder)
        self.autosave_timer.stop()
        self.check_all()
        return written

    def autosave(self) -> None:
        """Keep the unsaved texts as a draft (outside the pack folder)."""
        try:
            write_draft(self.drafts_root, self.project)
        except OSError:
            _log.exception("The studio draft could not be written")
            return
        self.drafted.emit()

    def stop(self) -> None:
        self.check_timer.stop()
        self.autosave_timer.stop()
