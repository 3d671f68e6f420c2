"""The AI-output tab of the case editor: the kind's own editor, or a YAML editor.

The per-kind editors come from ``desktop.studio.ai_editors.editor_for``; a kind it does
not know (KeyError) is edited as YAML text, checked against the output model on every
change so a mistake is named at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from case_bank.authoring.yamldoc import dump, plain, styled
from case_bank.models import AIOutput
from case_bank.validation import problems_from
from case_bank.yamlsafe import LocatedDocument, YamlError, load_text
from desktop.widgets import error_label, show_error
from xiangyi.i18n import _

_log = logging.getLogger(__name__)


class _Holder(BaseModel):
    """Validates an output at the path ``ai_output``, so messages name fields as in a case."""

    ai_output: AIOutput


class YamlOutputEditor(QWidget):
    """``ai_output`` as YAML text; ``changed`` when the text is a readable mapping."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ai_output_yaml")
        self.hint = QLabel(objectName="ai_output_yaml_hint")
        self.hint.setWordWrap(True)
        self.edit = QPlainTextEdit(objectName="ai_output_yaml_text")
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setTabChangesFocus(True)
        self.problem = error_label("ai_output_yaml_problem")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.problem)
        self._value: dict[str, Any] = {}
        self._loading = False
        self.edit.textChanged.connect(self._text_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(
            _("The AI output of this kind is written as YAML (the fields of the pack format).")
        )

    def load(self, ai_output: dict[str, Any], pack_folder: Path) -> None:
        self._value = dict(ai_output)
        self._loading = True
        self.edit.setPlainText(dump(styled(ai_output, 0)) if ai_output else "")
        self._loading = False
        self._check(self._value)

    def value(self) -> dict[str, Any]:
        return dict(self._value)

    def _text_changed(self) -> None:
        if self._loading:
            return
        try:
            doc = load_text(self.edit.toPlainText())
        except YamlError as exc:
            where = _("line {n}").format(n=exc.line) if exc.line else ""
            show_error(self.problem, f"{where}: {exc.message}" if where else exc.message)
            return
        if not isinstance(doc.data, dict):
            show_error(self.problem, _("expected a group of fields at the top level"))
            return
        self._value = plain(doc.data)
        self._check(self._value, doc)
        self.changed.emit()

    def _check(self, value: dict[str, Any], doc: LocatedDocument | None = None) -> None:
        lines_of = {("ai_output", *path): n for path, n in (doc.lines if doc else {}).items()}
        try:
            _Holder.model_validate({"ai_output": value})
        except ValidationError as exc:
            located = LocatedDocument({"ai_output": value}, lines_of)
            found = problems_from(exc, "ai_output", located)
            lines = [
                _("line {n}").format(n=p.line) + f": {p.field}: {p.message}"
                if p.line
                else f"{p.field}: {p.message}"
                for p in found[:4]
            ]
            show_error(self.problem, "\n".join(lines))
            return
        show_error(self.problem, "")


def output_editor(kind: str, parent: QWidget | None = None) -> Any:
    """The editor for ``kind``: the kind's own, or the YAML editor for a kind it lacks."""
    try:
        from desktop.studio.ai_editors import editor_for
    except ImportError:  # the per-kind editors are not installed
        return YamlOutputEditor(parent)
    try:
        return editor_for(kind, parent)
    except KeyError:
        return YamlOutputEditor(parent)


def _camel(parts: list[str]) -> str:
    words = "_".join(parts).split("_")
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def output_widget(editor: QWidget, kind: str, name: str) -> QWidget | None:
    """The widget of a kind's editor that edits the field a validation message names
    (``ai_output.tool.name.zh_CN`` → ``toolName_zh_CN``), found by the editors' naming."""
    parts = [p for p in name.replace("[", ".").replace("]", "").split(".")[1:] if p]
    parts = [p for p in parts if not p.isdigit()]
    if not parts:
        return None
    language = parts.pop() if parts[-1] in ("zh_CN", "en") else None
    stems = [_camel(parts), _camel([kind, *parts]), _camel(["ai", *parts])]
    for stem in stems:
        for candidate in (f"{stem}_{language}" if language else stem, stem):
            found = editor.findChild(QWidget, candidate)
            if found is not None:
                return found
    return None


def reveal(widget: QWidget, top: QWidget) -> None:
    """Show the tab and scroll position that hold ``widget`` inside ``top``."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and child is not top:
        tabs = parent.parentWidget()
        if isinstance(tabs, QTabWidget) and tabs.indexOf(child) >= 0:
            tabs.setCurrentWidget(child)
        area = parent.parentWidget()
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(widget)
        child, parent = parent, parent.parentWidget()
