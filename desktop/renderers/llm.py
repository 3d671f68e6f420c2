"""LLM renderer: the conversation between the doctor and the assistant, as a chat.

The doctor's messages sit on the right, the assistant's on the left with the sources it
cites underneath. After the decision ``show_truth`` highlights each false statement in
place with the reason it is wrong, and marks invented citations.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from case_bank.outputs_text import LlmOutput, Message
from desktop.renderers.common import MUTED, OutputView, named
from xiangyi.i18n import _

DOCTOR_BUBBLE = "background: #dbeafe; border: 1px solid #93c5fd;"
ASSISTANT_BUBBLE = "background: #f1f5f9; border: 1px solid #cbd5e1;"
FALSE_MARK = "background:#fecaca;color:#7f1d1d;text-decoration:underline;font-weight:600;"
INVENTED_COLOUR, VERIFIED_COLOUR = "#b91c1c", "#15803d"


class Bubble(QFrame):
    """One message: who speaks, the text, and (assistant) the cited sources."""

    def __init__(self, message: Message, index: int) -> None:
        super().__init__()
        self.message = message
        self.setObjectName(f"llmBubble{index}")
        style = DOCTOR_BUBBLE if message.role == "doctor" else ASSISTANT_BUBBLE
        self.setStyleSheet(f"#llmBubble{index} {{ {style} border-radius: 10px; }}")
        self.speaker = named(QLabel(), f"llmSpeaker{index}")
        self.speaker.setStyleSheet(f"color: {MUTED}; font-weight: bold;")
        self.text = named(QLabel(), f"llmText{index}")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sources = named(QLabel(), f"llmSources{index}")
        self.sources.setWordWrap(True)
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setStyleSheet(f"color: {MUTED}; border-top: 1px solid #cbd5e1;")
        self.sources.setVisible(bool(message.sources))
        self.notes = named(QLabel(), f"llmNotes{index}")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setStyleSheet(
            "background: #fff1f2; color: #7f1d1d; border: 1px solid #fda4af; padding: 4px;"
        )
        self.notes.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        for widget in (self.speaker, self.text, self.sources, self.notes):
            layout.addWidget(widget)

    def fill(self, truth: bool) -> None:
        """Set the texts; with ``truth`` mark false statements and invented sources."""
        message = self.message
        self.speaker.setText(_("Doctor") if message.role == "doctor" else _("AI assistant"))
        html = escape(message.text.get())
        if truth:
            for wrong in message.false_statements:
                quote = escape(wrong.quote.get())
                html = html.replace(quote, f"<span style='{FALSE_MARK}'>{quote}</span>")
        self.text.setText(html)
        lines = []
        for n, source in enumerate(message.sources, start=1):
            line = f"[{n}] {escape(source.citation)}"
            if truth and not source.exists:
                mark = escape(_("✗ invented: this source does not exist"))
                line = f"<s>{line}</s> <b style='color:{INVENTED_COLOUR};'>{mark}</b>"
            elif truth:
                exists = escape(_("✓ exists"))
                line += f" <span style='color:{VERIFIED_COLOUR};'>{exists}</span>"
            lines.append(line)
        title = escape(_("Sources cited by the assistant:"))
        self.sources.setText(f"<b>{title}</b><br>" + "<br>".join(lines))
        notes = [
            escape(_("✗ Wrong: “{quote}” — {why}").format(quote=w.quote.get(), why=w.why.get()))
            for w in message.false_statements
        ]
        self.notes.setText("<br>".join(notes))
        self.notes.setVisible(truth and bool(notes))


class LlmView(OutputView):
    """Shows one ``LlmOutput`` as a chat transcript."""

    def __init__(self, output: LlmOutput, parent: QWidget | None = None) -> None:
        super().__init__(output, "llm", parent)
        self.output: LlmOutput = output
        self.truth = False
        self.bubbles: list[Bubble] = []
        page = named(QWidget(), "llmTranscript")
        page.setStyleSheet("#llmTranscript { background: #ffffff; }")
        column = QVBoxLayout(page)
        column.setSpacing(10)
        for index, message in enumerate(output.messages):
            bubble = Bubble(message, index)
            row = QHBoxLayout()
            if message.role == "doctor":
                row.addStretch(1)
                row.addWidget(bubble, 4)
            else:
                row.addWidget(bubble, 4)
                row.addStretch(1)
            column.addLayout(row)
            self.bubbles.append(bubble)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.disclaimer = named(QLabel(), "llmDisclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setStyleSheet(f"color: {MUTED};")
        self.body.addWidget(self.scroll, 1)
        self.body.addWidget(self.disclaimer)
        self.retranslate()

    def header_text(self) -> str:
        replies = sum(1 for m in self.output.messages if m.role == "assistant")
        return _("AI assistant conversation: {n} answer(s)").format(n=replies)

    def retranslate_body(self) -> None:
        self.disclaimer.setText(_("AI-generated answers can contain mistakes."))
        for bubble in self.bubbles:
            bubble.fill(self.truth)

    def show_truth_body(self, case: object) -> None:
        self.truth = True
        for bubble in self.bubbles:
            bubble.fill(True)
