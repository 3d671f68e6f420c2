"""LLM editor: the conversation turn by turn, with the assistant's false statements marked.

To mark a false statement the trainer selects the wrong words in the assistant's text
(Chinese and English), types the correction and presses "Mark as false statement"; the
quote is then copied exactly from the text, as the model requires. Marked quotes are
underlined in red in the text; cited sources are listed with whether they exist.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from case_bank.outputs_text import LlmOutput
from desktop.studio.ai_editors.base import AIOutputEditor
from desktop.studio.ai_editors.fields import LANGUAGES, BilingualEdit, Texts, merge
from desktop.studio.ai_editors.numeric import split_editor
from desktop.studio.ai_editors.table import Column, RecordTable
from xiangyi.i18n import N_, _

ROLES = (("doctor", N_("Doctor")), ("assistant", N_("AI assistant")))


def selected_text(edit: QPlainTextEdit) -> str:
    """The selection of ``edit`` as plain text (Qt writes line breaks as U+2029)."""
    return edit.textCursor().selectedText().replace("\u2029", "\n")


class TurnCard(QFrame):
    """One turn of the conversation: who speaks, the text, sources and false statements."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, number: int, message: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = Texts()
        self.setObjectName(f"llmTurn{number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.source = message
        self.role = QComboBox()
        self.role.setObjectName(f"llmTurnRole{number}")
        for value, _label in ROLES:
            self.role.addItem("", value)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName(f"llmTurnRemove{number}")
        self.texts.say(self.remove_button.setText, N_("Remove turn"))
        self.text = BilingualEdit(f"llmTurnText{number}", multiline=True)
        for edit in self.text.edits.values():
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 7 + 12)
        self.correction = BilingualEdit(f"llmCorrection{number}")
        self.mark_button = QPushButton()
        self.mark_button.setObjectName(f"llmMarkFalse{number}")
        self.texts.say(self.mark_button.setText, N_("Mark selected text as false statement"))
        self.mark_status = QLabel()
        self.mark_status.setStyleSheet("color: #991b1b;")
        self.false_statements = RecordTable(
            f"llmFalse{number}",
            [
                Column(N_("Wrong words (Chinese)"), ("quote", "zh_CN")),
                Column(N_("Wrong words (English)"), ("quote", "en")),
                Column(N_("Correction (Chinese)"), ("why", "zh_CN")),
                Column(N_("Correction (English)"), ("why", "en")),
            ],
        )
        self.sources = RecordTable(
            f"llmSources{number}",
            [
                Column(N_("Cited source"), ("citation",)),
                Column(N_("Exists"), ("exists",), "bool", width=70, default=True),
            ],
        )
        for table in (self.false_statements, self.sources):
            table.setMinimumHeight(130)
        self.assistant_part = QWidget()
        part = QVBoxLayout(self.assistant_part)
        part.setContentsMargins(0, 0, 0, 0)
        correction_label = QLabel()
        self.texts.say(correction_label.setText, N_("Correction for the selected words:"))
        part.addWidget(correction_label)
        part.addWidget(self.correction)
        mark_row = QHBoxLayout()
        mark_row.addWidget(self.mark_button)
        mark_row.addWidget(self.mark_status, 1)
        part.addLayout(mark_row)
        part.addWidget(self.false_statements)
        part.addWidget(self.sources)
        top = QHBoxLayout()
        top.addWidget(self.role)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text)
        layout.addWidget(self.assistant_part)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.text.changed.connect(self._edited)
        self.false_statements.changed.connect(self._edited)
        self.sources.changed.connect(self.changed)
        self.mark_button.clicked.connect(self.mark_selection)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.set_value(message)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.texts.apply()
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for i, (_value, label) in enumerate(ROLES):
            self.role.setItemText(i, _(label))

    def set_value(self, message: dict[str, Any]) -> None:
        self.role.setCurrentIndex(self.role.findData(message.get("role", "assistant")))
        self.text.set_value(message.get("text"))
        self.false_statements.set_records(message.get("false_statements") or [])
        self.sources.set_records(message.get("sources") or [])
        self._role_changed()

    def value(self) -> dict[str, Any]:
        assistant = self.role.currentData() == "assistant"
        new = {
            "role": self.role.currentData(),
            "text": self.text.value(),
            "sources": self.sources.records() if assistant else [],
            "false_statements": self.false_statements.records() if assistant else [],
        }
        return dict(merge(self.source, new))

    def _role_changed(self, *_args: Any) -> None:
        self.assistant_part.setVisible(self.role.currentData() == "assistant")
        self.changed.emit()

    def _edited(self) -> None:
        self.highlight()
        self.changed.emit()

    def mark_selection(self) -> bool:
        """Add the selected words of the text (both languages) as a false statement."""
        quotes = {lang: selected_text(self.text.edits[lang]) for lang in LANGUAGES}  # type: ignore[arg-type]
        if not any(quotes.values()):
            self.mark_status.setText(_("Select the wrong words in the text first."))
            return False
        missing = [lang for lang, quote in quotes.items() if not quote]
        self.mark_status.setText(
            _("Also select the same words in the other language, or type them in the table.")
            if missing
            else ""
        )
        why = {lang: self.correction.text(lang) for lang in LANGUAGES}
        self.false_statements.add_row({"quote": quotes, "why": why})
        self.correction.set_value(None)
        return True

    def highlight(self) -> None:
        """Underline each marked quote in red in its language's text."""
        records = self.false_statements.records()
        for lang in LANGUAGES:
            edit = self.text.edits[lang]
            assert isinstance(edit, QPlainTextEdit)
            selections = []
            for record in records:
                quote = (record.get("quote") or {}).get(lang)
                if not quote:
                    continue
                cursor = edit.document().find(quote, 0, QTextDocument.FindFlag.FindCaseSensitively)
                if cursor.isNull():
                    continue
                selection = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(QColor("#dc2626"))
                fmt.setBackground(QColor("#fee2e2"))
                selection.format = fmt
                selection.cursor = QTextCursor(cursor)
                selections.append(selection)
            edit.setExtraSelections(selections)


class LlmEditor(AIOutputEditor):
    """The assistant conversation with its marked false statements and sources."""

    kind = "llm"
    model = LlmOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[TurnCard] = []
        self.turns = QVBoxLayout()
        add_doctor = QPushButton()
        add_doctor.setObjectName("llmAddDoctor")
        self.texts.say(add_doctor.setText, N_("Add doctor's question"))
        add_assistant = QPushButton()
        add_assistant.setObjectName("llmAddAssistant")
        self.texts.say(add_assistant.setText, N_("Add assistant's answer"))
        add_doctor.clicked.connect(lambda: self.add_turn({"role": "doctor"}))
        add_assistant.clicked.connect(lambda: self.add_turn({"role": "assistant"}))
        page = QWidget()
        column = QVBoxLayout(page)
        group, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        column.addWidget(group)
        column.addLayout(self.turns)
        buttons = QHBoxLayout()
        buttons.addWidget(add_doctor)
        buttons.addWidget(add_assistant)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addWidget(self.tool)
        column.addStretch(1)
        split_editor(self, page)

    def add_turn(self, message: dict[str, Any]) -> TurnCard:
        """Append a turn to the conversation."""
        card = TurnCard(len(self.cards), message)
        card.changed.connect(self.edited)
        card.remove_requested.connect(self._remove)
        self.cards.append(card)
        self.turns.addWidget(card)
        self.edited()
        return card

    def _remove(self, card: TurnCard) -> None:
        self.cards.remove(card)
        self.turns.removeWidget(card)
        card.deleteLater()
        self.edited()

    def fill(self, data: dict[str, Any]) -> None:
        for card in self.cards:
            self.turns.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for message in data.get("messages") or []:
            self.add_turn(message).highlight()

    def collect(self) -> dict[str, Any]:
        return {"messages": [card.value() for card in self.cards]}

    def preview_view(self, output: Any) -> QWidget:
        from desktop.renderers.llm import LlmView

        view = LlmView(output)
        view.truth = True  # the trainer sees the marked statements as the feedback shows them
        view.retranslate()
        return view
