"""Lesson viewer: Markdown text, in-lesson checks with immediate explanation,
previous/next, and the reading position remembered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.screens.player.choices import SingleChoice
from desktop.theme import heading
from desktop.widgets import Screen
from xiangyi import i18n
from xiangyi.i18n import _

if TYPE_CHECKING:
    from courses.loader import LoadedModule
    from courses.models import CheckQuestion
    from desktop.context import AppContext


class CheckBox(QGroupBox):
    """One check question: choose, press Check, read the explanation."""

    answered = Signal(str, dict)

    def __init__(self, question: CheckQuestion, previous: dict | None) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.question = question
        self.setObjectName(f"check_{question.id}")
        self.prompt = QLabel(wordWrap=True)
        self.choice = SingleChoice(f"check_{question.id}_option")
        self.choice.setFlat(True)
        self.button = QPushButton(objectName=f"check_{question.id}_button")
        self.result = QLabel(objectName=f"check_{question.id}_result", wordWrap=True)
        self.result.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.choice)
        layout.addWidget(self.button)
        layout.addWidget(self.result)
        self.button.clicked.connect(self._check)
        self.choice.set_options([(o.id, o.text.get()) for o in question.options])
        self.retranslate()
        if previous:
            self.choice.set_value(previous.get("chosen"))
            self._show_result(previous.get("chosen"))

    def retranslate(self) -> None:
        self.setTitle(_("Check your understanding"))
        self.prompt.setText(self.question.prompt.get())
        self.choice.relabel([(o.id, o.text.get()) for o in self.question.options])
        self.button.setText(_("Check answer"))
        if self.result.isVisible():
            self._show_result(self.choice.value())

    def _check(self) -> None:
        chosen = self.choice.value()
        if chosen is None:
            self.result.setText(_("Choose an answer first."))
            self.result.setVisible(True)
            return
        self._show_result(chosen)
        self.answered.emit(
            self.question.id, {"chosen": chosen, "correct": chosen == self.question.answer}
        )

    def _show_result(self, chosen: str | None) -> None:
        if chosen is None:
            return
        right = chosen == self.question.answer
        verdict = _("Correct.") if right else _("Not quite.")
        colour = "#1b5e20" if right else "#8b0000"
        self.result.setText(
            f"<b style='color:{colour}'>{verdict}</b> {self.question.explanation.get()}"
        )
        self.result.setVisible(True)


class LessonScreen(Screen):
    """``closed`` returns to the module overview."""

    closed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loaded: LoadedModule | None = None
        self.index = 0
        self.checks: list[CheckBox] = []
        self.title = QLabel(objectName="lesson_title")
        heading(self.title, 15)
        self.counter = QLabel(objectName="lesson_counter")
        self.text = QTextBrowser(objectName="lesson_text")
        self.text.setOpenExternalLinks(False)
        self.checks_box = QWidget()
        self.checks_layout = QVBoxLayout(self.checks_box)
        self.checks_area = QScrollArea()
        self.checks_area.setWidgetResizable(True)
        self.checks_area.setWidget(self.checks_box)
        self.checks_area.setMaximumWidth(460)
        self.back = QPushButton(objectName="lesson_back")
        self.previous = QPushButton(objectName="lesson_previous")
        self.next = QPushButton(objectName="lesson_next")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.counter)
        body = QHBoxLayout()
        body.addWidget(self.text, 3)
        body.addWidget(self.checks_area, 2)
        footer = QHBoxLayout()
        footer.addWidget(self.back)
        footer.addStretch(1)
        footer.addWidget(self.previous)
        footer.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(footer)
        # Save the reading position a moment after scrolling stops (power cuts happen).
        self.save_timer = QTimer(self, singleShot=True, interval=800)
        self.save_timer.timeout.connect(self.save)
        self.pending_position: float | None = None
        bar = self.text.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)
        self.back.clicked.connect(self._back)
        self.previous.clicked.connect(
            lambda: self._go(self.index - 1, finished=self.read_to_the_end())
        )
        self.next.clicked.connect(lambda: self._go(self.index + 1, finished=True))
        self.retranslate()

    def retranslate(self) -> None:
        self._label_buttons()
        if self.loaded is not None and self.loaded.module is not None:
            self._show(keep_position=self.position())

    def _label_buttons(self) -> None:
        self.back.setText(_("Back to module"))
        self.previous.setText(_("Previous lesson"))
        if self.loaded is not None and self.loaded.module is not None:
            last = self.index == len(self.loaded.module.lessons) - 1
            self.next.setText(_("Finish lesson") if last else _("Next lesson"))

    # -- showing ----------------------------------------------------------------------------
    def open(self, loaded: LoadedModule, index: int) -> None:
        self.loaded, self.index = loaded, index
        if self.ctx.activity is not None:
            self.ctx.activity.restart()
        from records.learning import lesson_progress

        assert self.ctx.user is not None and loaded.module is not None
        lesson = loaded.module.lessons[index]
        stored = lesson_progress(self.ctx.db, self.ctx.user.id, loaded.module.id).get(lesson.id)
        self._label_buttons()
        self._show(keep_position=stored.position if stored else 0.0)

    def _show(self, keep_position: float) -> None:
        assert self.loaded is not None and self.loaded.module is not None
        module = self.loaded.module
        lesson = module.lessons[self.index]
        self.title.setText(lesson.title.get())
        self.counter.setText(
            _("Lesson {i} of {n} · about {m} min").format(
                i=self.index + 1, n=len(module.lessons), m=lesson.minutes
            )
        )
        folder = self.loaded.lesson_folder(lesson.id)
        self.text.setSearchPaths([str(folder)])
        self.text.setMarkdown(self.loaded.lesson_text(lesson.id, i18n.current_language()))
        self._build_checks()
        self.previous.setEnabled(self.index > 0)
        # The document lays out asynchronously: restore the position once it can scroll.
        self.pending_position = keep_position if keep_position > 0 else None
        self.set_position(keep_position)

    def _build_checks(self) -> None:
        from records.learning import lesson_progress

        assert self.loaded is not None and self.loaded.module is not None
        assert self.ctx.user is not None
        for box in self.checks:
            box.setParent(None)
            box.deleteLater()
        self.checks = []
        while self.checks_layout.count():  # the stretch from the previous lesson
            self.checks_layout.takeAt(0)
        lesson = self.loaded.module.lessons[self.index]
        stored = lesson_progress(self.ctx.db, self.ctx.user.id, self.loaded.module.id)
        previous = stored[lesson.id].checks if lesson.id in stored else {}
        for question in lesson.checks:
            box = CheckBox(question, previous.get(question.id))
            box.answered.connect(self._answered)
            self.checks_layout.addWidget(box)
            box.show()
            self.checks.append(box)
        self.checks_layout.addStretch(1)
        self.checks_area.setVisible(bool(self.checks))

    # -- position and saving ---------------------------------------------------------------
    def position(self) -> float:
        bar = self.text.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def _scrolled(self, _value: int) -> None:
        if self.pending_position is None:
            self.save_timer.start()

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self.pending_position is not None and maximum > 0:
            fraction, self.pending_position = self.pending_position, None
            self.set_position(fraction)

    def set_position(self, fraction: float) -> None:
        bar = self.text.verticalScrollBar()
        bar.setValue(round(fraction * bar.maximum()))

    def save(self, *, completed: bool = False, check: tuple[str, dict] | None = None) -> None:  # type: ignore[type-arg]
        from records.learning import save_reading

        if self.loaded is None or self.loaded.module is None or self.ctx.user is None:
            return
        lesson = self.loaded.module.lessons[self.index]
        seconds = self.ctx.active_seconds() or 0.0
        save_reading(
            self.ctx.db,
            self.ctx.user.id,
            self.loaded.module.id,
            lesson.id,
            position=self.position(),
            active_seconds=seconds,
            completed=completed,
            check=check,
        )

    def _answered(self, question_id: str, answer: dict) -> None:  # type: ignore[type-arg]
        self.save(check=(question_id, answer))

    def _go(self, index: int, *, finished: bool) -> None:
        assert self.loaded is not None and self.loaded.module is not None
        self.save_timer.stop()
        self.save(completed=finished)
        if 0 <= index < len(self.loaded.module.lessons):
            self.open(self.loaded, index)
        else:
            self.closed.emit()

    def read_to_the_end(self) -> bool:
        """Whether the end of the lesson is on screen: scrolled to, or it fits the page."""
        bar = self.text.verticalScrollBar()
        return bar.value() >= bar.maximum() - max(bar.pageStep() // 20, 1)

    def _back(self) -> None:
        # A lesson read to its end counts as read, whichever button leaves it.
        self.save_timer.stop()
        self.save(completed=self.read_to_the_end())
        self.closed.emit()
