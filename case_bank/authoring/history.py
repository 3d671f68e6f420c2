"""Undo and redo as a stack of field edits over the project's documents.

An edit records the document, the field path, the old and the new value; typing into
one field makes one edit (consecutive changes of the same field merge), so undo takes
back a whole word or sentence rather than one key stroke.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from case_bank.authoring.project import PackProject
from case_bank.authoring.yamldoc import Path_


@dataclass
class FieldEdit:
    """``path`` of document ``rel`` changed from ``old`` to ``new`` (None: absent)."""

    rel: str
    path: Path_
    old: Any
    new: Any
    text_before: str = ""  # a whole-text edit (the raw YAML editor) restores this
    old_node: Any = None  # the nodes themselves, so undo and redo restore the layout
    new_node: Any = None


class EditHistory:
    """The undo and redo stacks of one project."""

    def __init__(self, project: PackProject) -> None:
        self.project = project
        self.done: list[FieldEdit] = []
        self.undone: list[FieldEdit] = []
        self.merge_open = False

    def apply(self, rel: str, path: Path_, value: Any, *, merge: bool = True) -> FieldEdit | None:
        """Set ``path`` of ``rel`` to ``value`` and record it; None when nothing changed."""
        doc = self.project.document(rel)
        old = doc.get(path)
        if old == value:
            return None
        old_node = doc.node(path)
        doc.set(path, value)
        last = self.done[-1] if self.done else None
        if merge and self.merge_open and last and (last.rel, last.path) == (rel, path):
            last.new = value
            edit = last
        else:
            edit = FieldEdit(rel, path, old, value, old_node=old_node)
            self.done.append(edit)
        edit.new_node = doc.node(path)
        self.merge_open = merge
        self.undone.clear()
        return edit

    def replace_text(self, rel: str, text: str) -> FieldEdit | None:
        """Replace a whole file's text (the raw YAML editor); undone as one step."""
        doc = self.project.document(rel)
        before = doc.text()
        if before == text:
            return None
        doc.set_text(text)
        edit = FieldEdit(rel, (), None, text, text_before=before)
        self.done.append(edit)
        self.undone.clear()
        self.merge_open = False
        return edit

    def close_merge(self) -> None:
        """The next edit starts a new undo step (focus left the field)."""
        self.merge_open = False

    def undo(self) -> FieldEdit | None:
        if not self.done:
            return None
        edit = self.done.pop()
        self._set(edit, edit.old_node if edit.old is not None else None, edit.text_before)
        self.undone.append(edit)
        self.merge_open = False
        return edit

    def redo(self) -> FieldEdit | None:
        if not self.undone:
            return None
        edit = self.undone.pop()
        self._set(edit, edit.new_node, edit.new if not edit.path else "")
        self.done.append(edit)
        self.merge_open = False
        return edit

    def _set(self, edit: FieldEdit, value: Any, text: str) -> None:
        doc = self.project.document(edit.rel)
        if not edit.path:
            doc.set_text(text)
        else:
            doc.set(edit.path, copy.deepcopy(value), node=True)

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)
