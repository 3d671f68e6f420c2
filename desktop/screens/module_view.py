"""Module overview: objectives, time, progress, and the steps in order."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from desktop.screens.modules import minutes_text, module_states
from desktop.theme import heading
from desktop.widgets import Screen
from xiangyi.i18n import _

if TYPE_CHECKING:
    from courses.loader import LoadedModule
    from desktop.context import AppContext


class ModuleScreen(Screen):
    """Signals ask the shell to open a lesson, play the practice cases, or go back."""

    open_lesson = Signal(object, int)
    practise = Signal(object)
    check = Signal(object)
    closed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loaded: LoadedModule | None = None
        self.title = QLabel(objectName="module_title")
        heading(self.title, 16)
        self.summary = QLabel(objectName="module_summary", wordWrap=True)
        self.steps = QListWidget(objectName="module_steps")
        self.progress = QLabel(objectName="module_progress", wordWrap=True)
        self.back = QPushButton(objectName="module_back")
        self.start = QPushButton(objectName="module_start")
        footer = QHBoxLayout()
        footer.addWidget(self.back)
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.steps, 1)
        layout.addLayout(footer)
        self.back.clicked.connect(self.closed)
        self.start.clicked.connect(self._start_selected)
        self.steps.itemActivated.connect(lambda _item: self._start_selected())
        self.retranslate()

    def show_module(self, loaded: LoadedModule) -> None:
        self.loaded = loaded
        self.retranslate()
        self.steps.setCurrentRow(self._next_step())
        self.steps.setFocus()

    def retranslate(self) -> None:
        self.back.setText(_("Back to modules"))
        self.start.setText(_("Open the selected step"))
        if self.loaded is None or self.loaded.module is None or self.ctx.user is None:
            return
        module = self.loaded.module
        state = module_states(self.ctx)[module.id]
        self.title.setText(module.title.get())
        objectives = "".join(f"<li>{escape(o.text.get())}</li>" for o in module.objectives)
        heading = _("What you will be able to do")
        self.summary.setText(
            f"<p>{escape(module.description.get())}</p>"
            f"<p><b>{escape(heading)}</b></p><ul>{objectives}</ul>"
        )
        from records.learning import lesson_progress

        read = lesson_progress(self.ctx.db, self.ctx.user.id, module.id)
        row = self.steps.currentRow()
        self.steps.clear()
        for index, lesson in enumerate(module.lessons):
            done = lesson.id in read and read[lesson.id].completed_at is not None
            mark = "✓" if done else "○"
            self.steps.addItem(
                _("{mark} Lesson {i}: {title} ({m} min)").format(
                    mark=mark, i=index + 1, title=lesson.title.get(), m=lesson.minutes
                )
            )
        practice_mark = "✓" if state.practice_done == state.practice_total else "○"
        self.steps.addItem(
            _("{mark} Practice cases: {done} of {total} played").format(
                mark=practice_mark, done=state.practice_done, total=state.practice_total
            )
        )
        if module.check_blueprint is not None:
            check_mark = "✓" if state.check_passed else "○"
            self.steps.addItem(
                _("{mark} Module check: {status}").format(
                    mark=check_mark,
                    status=_("passed") if state.check_passed else _("not passed yet"),
                )
            )
        self.steps.setCurrentRow(max(0, row))
        self.progress.setText(
            _("Lessons read: {read} of {total} · study time {time}").format(
                read=state.lessons_read,
                total=state.lessons_total,
                time=minutes_text(state.study_seconds),
            )
        )

    def _next_step(self) -> int:
        """The first step not done yet, so "Open" continues where the doctor left off."""
        for row in range(self.steps.count()):
            if self.steps.item(row).text().startswith("○"):
                return row
        return 0

    def _start_selected(self) -> None:
        if self.loaded is None or self.loaded.module is None:
            return
        row = self.steps.currentRow()
        lessons = len(self.loaded.module.lessons)
        if 0 <= row < lessons:
            self.open_lesson.emit(self.loaded, row)
        elif row == lessons:
            self.practise.emit(self.loaded)
        elif row == lessons + 1:
            self.check.emit(self.loaded)
