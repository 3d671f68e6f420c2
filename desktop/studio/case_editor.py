"""The case editor: one tab per stage, both languages side by side, and a completeness bar.

Every field is bound to its path in the case; an edit goes to the session (undo, live
checks, autosave) and ``focus_field`` brings a field named by a validation message
into view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from case_bank.authoring.template import ai_output_template
from case_bank.authoring.yamldoc import Path_
from case_bank.validation import field_name
from desktop.studio.ai_host import output_editor, output_widget, reveal
from desktop.studio.case_tabs import TABS, build_tab
from desktop.studio.forms import ChecksField, CreditsField, Field
from desktop.studio.session import StudioSession
from desktop.theme import heading
from desktop.widgets import Screen
from xiangyi.i18n import N_, _

STATUS_LABELS = {
    "complete": N_("Complete"),
    "incomplete": N_("Incomplete"),
    "invalid": N_("Has errors"),
}


class CaseEditor(Screen):
    """Edits the case ``rel`` of the session's project."""

    edited = Signal(str)

    def __init__(self, session: StudioSession) -> None:
        super().__init__()
        self.session = session
        self.rel: str | None = None
        self.fields: dict[str, Field] = {}
        self.tab_of: dict[str, int] = {}
        self.labels: list[tuple[QLabel, str]] = []
        self.ai_editor: Any = None
        self.ai_kind: str | None = None

        self.heading = QLabel(objectName="case_heading")
        heading(self.heading, 13)
        self.status = QLabel(objectName="case_status")
        self.completeness = QProgressBar(objectName="case_completeness")
        self.completeness.setRange(0, 100)
        self.completeness.setMaximumWidth(180)
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.status)
        header.addWidget(self.completeness)

        self.tabs = QTabWidget(objectName="case_tabs")
        for index, (key, _title, rows) in enumerate(TABS):
            page, fields, labels = build_tab(key, rows)
            self.labels += labels
            for field in fields:
                name = field_name(field.path)
                self.fields[name] = field
                self.tab_of[name] = index
                field.edited.connect(self._field_edited)
            self.tabs.addTab(_scroll(page), "")
        self.ai_page = QWidget(objectName="ai_output_page")
        self.ai_layout = QVBoxLayout(self.ai_page)
        self.ai_tab = self.tabs.insertTab(3, self.ai_page, "")
        for name, index in self.tab_of.items():
            if index >= 3:
                self.tab_of[name] = index + 1

        # A file that is not readable YAML is edited as text until it is.
        self.raw = QPlainTextEdit(objectName="case_raw_text")
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw_hint = QLabel(objectName="case_raw_hint")
        self.raw_hint.setWordWrap(True)
        raw_page = QWidget()
        raw_layout = QVBoxLayout(raw_page)
        raw_layout.addWidget(self.raw_hint)
        raw_layout.addWidget(self.raw, 1)
        self.raw_timer = QTimer(self, singleShot=True, interval=600)
        self.raw_timer.timeout.connect(self._raw_edited)
        self.raw.textChanged.connect(self._raw_typed)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.tabs)
        self.pages.addWidget(raw_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self.retranslate()

    # -- language ----------------------------------------------------------------------
    def retranslate(self) -> None:
        for index, (_key, title, _rows) in enumerate(TABS):
            self.tabs.setTabText(index if index < 3 else index + 1, _(title))
        self.tabs.setTabText(3, _("AI output and tool"))
        for label, msgid in self.labels:
            label.setText(_(msgid))
        for field in self.fields.values():
            if hasattr(field, "relabel"):
                field.relabel()
        self.raw_hint.setText(
            _("This file is not readable YAML. Correct it here; the form returns when it reads.")
        )
        if self.rel is not None:
            self.show_status()

    # -- loading -----------------------------------------------------------------------
    def open(self, rel: str) -> None:
        """Show the case ``rel`` (a file name such as ``cases/ecg-001.yaml``)."""
        self.rel = rel
        self.reload()

    def reload(self) -> None:
        """Show the document's current values (after opening, undo or redo)."""
        if self.rel is None:
            return
        doc = self.session.project.cases[self.rel]
        if not doc.readable:
            self.pages.setCurrentIndex(1)
            if self.raw.toPlainText() != doc.text():
                self.raw.blockSignals(True)
                self.raw.setPlainText(doc.text())
                self.raw.blockSignals(False)
            self.show_status()
            return
        self.pages.setCurrentIndex(0)
        data = doc.get(())
        self._option_choices(data)
        for field in self.fields.values():
            value = _value_at(data, field.path)
            typing = field.hasFocus() or field.isAncestorOf(self.focusWidget())
            if typing and field.value() == value:
                continue  # leave the cursor where it is
            field.show_value(value)
        self._load_ai_output(data.get("ai_output") if isinstance(data, dict) else None)
        self.show_status()

    def _option_choices(self, data: Any) -> None:
        decision = data.get("decision") if isinstance(data, dict) else None
        decision = decision if isinstance(decision, dict) else {}

        def options(name: str) -> list[tuple[str, str]]:
            found = []
            for item in decision.get(name) or []:
                if isinstance(item, dict) and item.get("id"):
                    text = item.get("text") if isinstance(item.get("text"), dict) else {}
                    found.append((str(item["id"]), str(text.get("zh_CN") or text.get("en") or "")))
            return found

        actions = options("actions")
        for name in ("ideal_actions", "acceptable_actions", "critical_actions"):
            field = self.fields[f"key.{name}"]
            if isinstance(field, ChecksField):
                field.set_choices([(oid, f"{oid}: {text}") for oid, text in actions])
        credits = self.fields["key.interpretation"]
        if isinstance(credits, CreditsField):
            credits.set_options(options("interpretations"))
        if self.ai_editor is not None and hasattr(self.ai_editor, "set_interpretation_options"):
            self.ai_editor.set_interpretation_options(
                [oid for oid, _t in options("interpretations")]
            )

    def _load_ai_output(self, output: Any) -> None:
        output = output if isinstance(output, dict) else {}
        kind = str(output.get("kind") or "")
        if self.ai_editor is None or kind != self.ai_kind:
            if self.ai_editor is not None:
                self.ai_editor.setParent(None)
                self.ai_editor.deleteLater()
            self.ai_editor = output_editor(kind, self.ai_page)
            self.ai_kind = kind
            self.ai_layout.addWidget(self.ai_editor)
            self.ai_editor.changed.connect(self._ai_edited)
        elif self.ai_editor.value() == output:
            return
        self.ai_editor.blockSignals(True)
        try:
            self.ai_editor.load(output, self.session.project.folder)
        finally:
            self.ai_editor.blockSignals(False)

    def show_status(self) -> None:
        if self.rel is None or self.rel not in self.session.project.cases:
            return
        status = self.session.status(self.rel)
        case_id = self.session.project.case_id(self.rel)
        self.heading.setText(case_id)
        text = _(STATUS_LABELS[status.status])
        if status.errors:
            text = _("{status}: {n} error(s)").format(status=text, n=status.errors)
        self.status.setText(text)
        colour = {"complete": "#1b7f3b", "incomplete": "#9a6700", "invalid": "#b00020"}
        self.status.setStyleSheet(f"color: {colour[status.status]}; font-weight: 600;")
        self.completeness.setValue(round(status.filled * 100))
        self.completeness.setFormat(
            _("filled in: {percent}%").format(percent=round(status.filled * 100))
        )

    # -- edits -------------------------------------------------------------------------
    def _field_edited(self, path: Path_, value: Any) -> None:
        if self.rel is None:
            return
        if path == ("ai_kind",):
            self._change_kind(str(value))
        self.session.edit(self.rel, path, value)
        if path[0] == "decision":
            self._option_choices(self.session.project.cases[self.rel].get(()))
        self.edited.emit(self.rel)

    def _change_kind(self, kind: str) -> None:
        """A new kind replaces the AI output only while it is still the untouched template."""
        assert self.rel is not None
        current = self.session.project.cases[self.rel].get(("ai_output",))
        old_kind = str(current.get("kind")) if isinstance(current, dict) else ""
        if old_kind != kind and (not current or current == ai_output_template(old_kind)):
            self.session.edit(self.rel, ("ai_output",), ai_output_template(kind), merge=False)
            self._load_ai_output(ai_output_template(kind))

    def _ai_edited(self) -> None:
        if self.rel is not None and self.ai_editor is not None:
            self.session.edit(self.rel, ("ai_output",), self.ai_editor.value())
            self.edited.emit(self.rel)

    def _raw_typed(self) -> None:
        self.raw_timer.start()

    def _raw_edited(self) -> None:
        if self.rel is None:
            return
        self.session.replace_text(self.rel, self.raw.toPlainText())
        if self.session.project.cases[self.rel].readable:
            self.reload()
        self.edited.emit(self.rel)

    # -- validation messages -----------------------------------------------------------
    def focus_field(self, name: str, line: int | None = None) -> bool:
        """Show and focus the field a validation message names (``ai_output.boxes[0].x``)."""
        if self.pages.currentIndex() == 1:
            self._focus_line(line)
            return True
        if name == "ai_output" or name.startswith(("ai_output.", "ai_output[")):
            self.tabs.setCurrentIndex(3)
            if self.ai_editor is not None and hasattr(self.ai_editor, "focus_field"):
                self.ai_editor.focus_field(name)
            elif self.ai_editor is not None:
                target = output_widget(self.ai_editor, self.ai_kind or "", name)
                if target is not None:
                    reveal(target, self.ai_editor)
                    target.setFocus()
            return True
        best = ""
        for known in self.fields:
            if (name == known or name.startswith((known + ".", known + "["))) and len(known) > len(
                best
            ):
                best = known
        if not best:
            return False
        self.tabs.setCurrentIndex(self.tab_of[best])
        field = self.fields[best]
        field.focus()
        area = self.tabs.currentWidget()
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(field)
        return True

    def _focus_line(self, line: int | None) -> None:
        self.raw.setFocus()
        if line:
            block = self.raw.document().findBlockByLineNumber(line - 1)
            cursor = self.raw.textCursor()
            cursor.setPosition(block.position())
            self.raw.setTextCursor(cursor)


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _scroll(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area


def form_layout(page: QWidget) -> QFormLayout:
    form = QFormLayout(page)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form
