"""What every AI-output editor shares: load/value/changed, the tool section, the preview.

An editor shows the ``ai_output`` mapping of a case as form fields, and rebuilds the
mapping from them in :meth:`AIOutputEditor.value`, laid over the loaded mapping with
:func:`fields.merge` so untouched values come back exactly as loaded. The preview is
the player's own renderer, rebuilt from the current value whenever it validates; when
it does not, the first validation message is shown in its place.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.studio.ai_editors.fields import BilingualEdit, NumberEdit, TextsWidget, merge
from xiangyi.i18n import N_, _

# Stated performance of a tool, each a probability typed as text.
PERFORMANCE = (
    ("sensitivity", N_("Sensitivity (0-1)")),
    ("specificity", N_("Specificity (0-1)")),
    ("stated_ppv", N_("Positive predictive value (0-1)")),
    ("stated_npv", N_("Negative predictive value (0-1)")),
)


def first_problem(error: ValidationError) -> str:
    """The first validation message as "field.path: message"."""
    detail = error.errors()[0]
    where = ".".join(str(p) for p in detail["loc"])
    message = str(detail["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


class ToolSection(TextsWidget):
    """The tool's name, intended use, stated performance and version."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolSection")
        self.name = BilingualEdit("toolName")
        self.intended_use = BilingualEdit("toolIntendedUse", multiline=True)
        self.performance: dict[str, NumberEdit] = {}
        self.note = BilingualEdit("toolPerformanceNote")
        self.version = QLineEdit()
        self.version.setObjectName("toolVersion")
        group = QGroupBox()
        self.texts.say(group.setTitle, N_("AI tool"))
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.add_row(form, N_("Tool name"), self.name)
        self.add_row(form, N_("Intended use"), self.intended_use)
        for key, label in PERFORMANCE:
            edit = NumberEdit()
            edit.setObjectName(f"tool_{key}")
            edit.setMaximumWidth(120)
            edit.textEdited.connect(self.changed)
            self.performance[key] = edit
            self.add_row(form, label, edit)
        self.add_row(form, N_("Other stated performance"), self.note)
        self.add_row(form, N_("Version"), self.version)
        for bilingual in (self.name, self.intended_use, self.note):
            bilingual.changed.connect(self.changed)
        self.version.textEdited.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(group)

    def add_row(self, form: QFormLayout, msgid: str, widget: QWidget) -> None:
        label = QLabel()
        self.texts.say(label.setText, msgid)
        form.addRow(label, widget)

    def set_value(self, tool: dict[str, Any]) -> None:
        self.name.set_value(tool.get("name"))
        self.intended_use.set_value(tool.get("intended_use"))
        for key, edit in self.performance.items():
            edit.set_number(tool.get(key))
        self.note.set_value(tool.get("performance_note"))
        self.version.setText(str(tool.get("version", "")))

    def value(self) -> dict[str, Any]:
        tool: dict[str, Any] = {
            "name": self.name.value(),
            "intended_use": self.intended_use.value(),
        }
        for key, edit in self.performance.items():
            tool[key] = edit.number()
        tool["performance_note"] = self.note.value()
        tool["version"] = self.version.text().strip() or None
        return tool


class PreviewPane(TextsWidget):
    """The player's renderer for the current value, or why it cannot be drawn yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aiPreview")
        self.problem = QLabel()
        self.problem.setObjectName("aiPreviewProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #991b1b; background: #fef2f2; padding: 6px;")
        self.problem.setVisible(False)
        self.title = QLabel()
        self.texts.say(self.title.setText, N_("Preview as the learner sees it"))
        self.title.setStyleSheet("font-weight: bold;")
        self.view: QWidget | None = None
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.title)
        self.column.addWidget(self.problem)

    def show_view(self, view: QWidget | None, problem: str = "") -> None:
        """Put ``view`` in place of the previous one; with a problem, keep the old view."""
        self.problem.setText(_("Not valid yet: {problem}").format(problem=problem))
        self.problem.setVisible(bool(problem))
        if view is None:
            return
        if self.view is not None:
            self.column.removeWidget(self.view)
            self.view.deleteLater()
        self.view = view
        self.column.addWidget(view, 1)


class AIOutputEditor(TextsWidget):
    """Edits one ``ai_output`` mapping; subclasses fill and collect their own fields."""

    changed = Signal()
    kind = ""
    model: type[BaseModel] | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.kind}OutputEditor")
        self.source: dict[str, Any] = {"kind": self.kind}
        self.pack_folder: Path | None = None
        self.loading = False
        self.tool = ToolSection()
        self.suggests = QComboBox()
        self.suggests.setObjectName("aiSuggests")
        self.suggests.setEditable(True)
        self.suggests.editTextChanged.connect(self.edited)
        self.tool.changed.connect(self.edited)
        self.problem = ""

    # -- the interface the studio uses -----------------------------------------------------
    def load(self, ai_output: dict[str, Any], pack_folder: Path) -> None:
        """Show ``ai_output`` (as read from the case YAML) of the pack in ``pack_folder``."""
        self.source = copy.deepcopy(ai_output) if ai_output else {"kind": self.kind}
        self.pack_folder = Path(pack_folder)
        self.loading = True
        try:
            self.tool.set_value(self.source.get("tool") or {})
            self.suggests.setEditText(str(self.source.get("suggests", "")))
            self.fill(self.source)
        finally:
            self.loading = False
        self.refresh()

    def value(self) -> dict[str, Any]:
        """The ``ai_output`` mapping as it goes into the case YAML."""
        new: dict[str, Any] = {"kind": self.kind, "tool": self.tool.value()}
        new["suggests"] = self.suggests.currentText().strip() or None
        new.update(self.collect())
        return dict(merge(self.source, new))

    def set_interpretation_options(self, option_ids: list[str]) -> None:
        """Offer the case's interpretation option ids for ``suggests``."""
        current = self.suggests.currentText()
        self.suggests.blockSignals(True)
        self.suggests.clear()
        self.suggests.addItems(option_ids)
        self.suggests.setEditText(current)
        self.suggests.blockSignals(False)

    # -- for subclasses --------------------------------------------------------------------
    def fill(self, data: dict[str, Any]) -> None:
        """Show the kind's own fields of ``data``."""
        raise NotImplementedError  # an abstract hook: Qt classes cannot use abc.ABC

    def collect(self) -> dict[str, Any]:
        """The kind's own fields from the widgets (None removes an optional one)."""
        raise NotImplementedError  # an abstract hook: Qt classes cannot use abc.ABC

    def preview_view(self, output: Any) -> QWidget | None:
        """The player's view of a valid ``output`` for the preview (None: no preview)."""
        return None

    def edited(self, *_args: Any) -> None:
        """A field changed: tell the studio and redraw the preview."""
        if self.loading:
            return
        self.refresh()
        self.changed.emit()

    def validated(self) -> Any:
        """The current value as the kind's model, or None (``problem`` says why)."""
        if self.model is None:
            return None
        try:
            output = self.model.model_validate(self.value())
        except ValidationError as exc:
            self.problem = first_problem(exc)
            return None
        self.problem = ""
        return output

    def refresh(self) -> None:
        """Redraw the preview (subclasses with a drawing surface redraw that too)."""
        preview = getattr(self, "preview", None)
        if not isinstance(preview, PreviewPane):
            return
        output = self.validated()
        preview.show_view(self.preview_view(output) if output is not None else None, self.problem)

    def form_group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        """A titled group with a form layout, its title re-labelled on a language switch."""
        group = QGroupBox()
        self.texts.say(group.setTitle, title)
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return group, form

    def form_row(self, form: QFormLayout, msgid: str, widget: QWidget, wide: bool = False) -> None:
        """A labelled row; ``wide`` puts the field under its label at full width (for the
        two languages side by side in a narrow column)."""
        label = QLabel()
        self.texts.say(label.setText, msgid)
        if wide:
            form.addRow(label)
            form.addRow(widget)
        else:
            form.addRow(label, widget)

    def suggests_row(self, form: QFormLayout) -> None:
        self.form_row(form, N_("AI result maps to interpretation"), self.suggests)


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a vertical scroll area (forms are taller than 768 pixels)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
