"""Exam screen: one case at a time, own read before the AI output, a timer that only
runs while the exam is open, flags, navigation, and submit with confirmation."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.screens.exam.result import ExamResultView
from desktop.screens.player.feedback import FeedbackView
from desktop.screens.player.stages import DecisionForm, OwnReadView, VignettePanel
from desktop.theme import heading
from desktop.widgets import Screen, ask, error_label, show_error
from xiangyi.i18n import _

if TYPE_CHECKING:
    from assessments.blueprints import Blueprint
    from assessments.exam import ExamState
    from case_bank.models import Case
    from desktop.context import AppContext

_log = logging.getLogger(__name__)
HEARTBEAT_MS = 15_000


class ExamScreen(Screen):
    """``closed`` returns to where the exam was started from."""

    closed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.blueprint: Blueprint | None = None
        self.state: ExamState | None = None
        self.cases: dict[str, Case] = {}
        self.renderer: QWidget | None = None
        self.title = QLabel(objectName="exam_title")
        heading(self.title, 14)
        self.position = QLabel(objectName="exam_position")
        self.timer_label = QLabel(objectName="exam_timer")
        heading(self.timer_label, 13)
        self.flag_button = QPushButton(objectName="exam_flag", checkable=True)
        self.submit_button = QPushButton(objectName="exam_submit")
        header = QHBoxLayout()
        for widget in (self.title, self.position, self.timer_label, self.flag_button):
            header.addWidget(widget, 1 if widget is self.title else 0)
        header.addWidget(self.submit_button)

        self.case_list = QListWidget(objectName="exam_cases")
        self.case_list.setFixedWidth(120)
        self.vignette = VignettePanel()
        self.own_read = OwnReadView()
        self.decision = DecisionForm()
        self.ai_area = QWidget(objectName="exam_ai_area")
        self.ai_layout = QVBoxLayout(self.ai_area)
        self.ai_layout.setContentsMargins(0, 0, 0, 0)
        self.stage_stack = QStackedWidget()
        self.stage_stack.addWidget(self.own_read)
        self.stage_stack.addWidget(self.decision)
        self.feedback = FeedbackView()
        self.stage_stack.addWidget(self.feedback)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.ai_area)
        right.addWidget(self.stage_stack)
        body = QSplitter(Qt.Orientation.Horizontal)
        from desktop.screens.player.view import scrolling

        vignette_page = scrolling(self.vignette)
        vignette_page.setMinimumWidth(260)
        vignette_page.setMaximumWidth(340)
        body.addWidget(vignette_page)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        self.result_view = ExamResultView()
        self.pages = QStackedWidget()
        exam_page = QWidget()
        row = QHBoxLayout(exam_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.case_list)
        row.addWidget(body, 1)
        self.pages.addWidget(exam_page)
        self.pages.addWidget(self.result_view)

        self.error = error_label("exam_error")
        self.previous_button = QPushButton(objectName="exam_previous")
        self.save_button = QPushButton(objectName="exam_save")
        self.save_button.setDefault(True)
        self.next_button = QPushButton(objectName="exam_next")
        self.close_button = QPushButton(objectName="exam_close")
        footer = QHBoxLayout()
        footer.addWidget(self.previous_button)
        footer.addWidget(self.error, 1)
        for button in (self.save_button, self.next_button, self.close_button):
            footer.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)

        self.clock = QTimer(self, interval=1000)
        self.clock.timeout.connect(self._tick)
        self.heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self.heartbeat.timeout.connect(lambda: self._event("heartbeat", {}))
        self.case_list.currentRowChanged.connect(self._navigate)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.save_button.clicked.connect(self.save_answer)
        self.flag_button.toggled.connect(self._flag)
        self.submit_button.clicked.connect(self.confirm_submit)
        self.close_button.clicked.connect(self._close)
        self.retranslate()

    # -- language ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.flag_button.setText(_("Flag for review"))
        self.submit_button.setText(_("Submit exam"))
        self.previous_button.setText(_("Previous case"))
        self.next_button.setText(_("Next case"))
        self.close_button.setText(_("Close"))
        if self.blueprint is not None:
            self.title.setText(self.blueprint.title.get())
        if self.state is not None and not self.state.submitted:
            self._show_case()

    # -- starting and resuming --------------------------------------------------------------
    def begin(self, blueprint: Blueprint, state: ExamState, cases: dict[str, Case]) -> None:
        """Show a started (or resumed) exam; the caller stored the start/resume event."""
        self.blueprint, self.state, self.cases = blueprint, state, cases
        self.pages.setCurrentIndex(0)
        self.close_button.setVisible(False)
        for widget in (self.submit_button, self.flag_button, self.save_button):
            widget.setVisible(True)
        self.retranslate()
        self._fill_case_list()
        self.case_list.setCurrentRow(state.current)
        self._show_case()
        self.clock.start()
        self.heartbeat.start()
        self._tick()

    def _fill_case_list(self) -> None:
        assert self.state is not None
        self.case_list.blockSignals(True)
        row = self.case_list.currentRow()
        self.case_list.clear()
        for index, case_id in enumerate(self.state.case_ids):
            marks = ("✓" if case_id in self.state.answers else "·") + (
                " ⚑" if case_id in self.state.flagged else ""
            )
            self.case_list.addItem(_("Case {n}").format(n=index + 1) + f"  {marks}")
        self.case_list.setCurrentRow(max(row, self.state.current))
        self.case_list.blockSignals(False)

    # -- events -----------------------------------------------------------------------------
    def _event(self, kind: str, data: dict[str, Any]) -> bool:
        """Store one event (committed, chained) and adopt the new state."""
        from assessments.exam import ExamError, ExamEvent, ExamTimeUp
        from records import exams

        assert self.state is not None
        try:
            self.state = exams.append(
                self.ctx.db, self.state.attempt_id, ExamEvent(kind, time.time(), data)
            )
        except ExamTimeUp:
            self.finish("time_up")
            return False
        except ExamError as exc:
            _log.warning("Exam event refused: %s", exc)
            show_error(self.error, _("That change is not possible now."))
            return False
        return True

    def _case(self) -> Case:
        assert self.state is not None
        return self.cases[self.state.current_case_id]

    def _show_case(self) -> None:
        assert self.state is not None
        case = self._case()
        stored = dict(self.state.answers.get(case.id, {}))
        own = self.state.own_reads.get(case.id) or (stored.get("own_read") or {}).get(
            "interpretation"
        )
        self.position.setText(
            _("Case {i} of {n}").format(i=self.state.current + 1, n=len(self.state.case_ids))
        )
        self.vignette.load(case)
        self.flag_button.blockSignals(True)
        self.flag_button.setChecked(case.id in self.state.flagged)
        self.flag_button.blockSignals(False)
        show_error(self.error, "")
        self.save_button.setVisible(True)
        self._show_output(case, own_read=own is None)
        if own is None:
            self.own_read.load(case, None)
            self.stage_stack.setCurrentWidget(self.own_read)
            self.save_button.setText(_("Save my impression and show the AI output"))
            return
        if self._immediate() and stored:
            # Feedback at once (a formative check): the answer is then final.
            from assessments.scoring import Answers, score_case

            score = score_case(case, Answers.from_dict(stored)).to_dict()
            self.feedback.load(case, stored, score)
            if hasattr(self.renderer, "show_truth"):
                self.renderer.show_truth(case)  # type: ignore[union-attr]
            self.stage_stack.setCurrentWidget(self.feedback)
            self.save_button.setVisible(False)
        else:
            self.decision.load(case, stored.get("decision"))
            self.stage_stack.setCurrentWidget(self.decision)
            self.save_button.setVisible(True)
            self.save_button.setText(_("Save answer"))

    def _show_output(self, case: Case, *, own_read: bool) -> None:
        """The AI output; for the own read only an ECG or a film, with the AI's marks
        hidden (other kinds are the AI's output through and through)."""
        from case_bank.assets import AssetError
        from desktop.renderers import create_renderer

        if self.renderer is not None:
            self.renderer.setParent(None)
            self.renderer.deleteLater()
            self.renderer = None
        self.ai_area.setVisible(False)
        pack = self.ctx.pack_of(case.id)
        try:
            if pack is None:
                raise AssetError(_("the case's pack is not installed"))
            renderer = create_renderer(pack, case)
        except AssetError as exc:
            if not own_read:
                show_error(
                    self.error, _("This case cannot be shown: {problem}.").format(problem=exc)
                )
            return
        if own_read:
            if not getattr(renderer, "shows_raw_input", False):
                renderer.deleteLater()
                return
            renderer.set_ai_hidden(True)
        self.renderer = renderer
        self.ai_layout.addWidget(renderer)
        self.ai_area.setVisible(True)

    def save_answer(self) -> None:
        """Own read first (locked once the AI is shown), then the decision."""
        from records.attempts import DECISION, AnswerError, check_answer

        assert self.state is not None
        case = self._case()
        if self.stage_stack.currentWidget() is self.own_read:
            choice = self.own_read.answer().get("interpretation")
            if choice is None:
                show_error(self.error, _("Please choose your own impression first."))
                return
            if self._event("own_read", {"case_id": case.id, "interpretation": choice}):
                self._show_case()
            return
        try:
            decision = check_answer(case, DECISION, self.decision.answer())
        except AnswerError as exc:
            show_error(self.error, str(exc))
            return
        own = self.state.own_reads.get(case.id)
        answers = {"own_read": {"interpretation": own}, "decision": decision}
        if self._event("answer", {"case_id": case.id, "answers": answers}):
            self._fill_case_list()
            show_error(self.error, "")
            if self._immediate():
                self._show_case()
            else:
                self._step(1)

    def _immediate(self) -> bool:
        return self.blueprint is not None and self.blueprint.feedback == "immediate"

    def _navigate(self, row: int) -> None:
        if self.state is None or row < 0 or row == self.state.current or self.state.submitted:
            return
        if self._keep_unsaved_answer(lambda: self._go_to(row)):
            self._go_to(row)
        else:  # stay here until the doctor answers the question
            self.case_list.blockSignals(True)
            self.case_list.setCurrentRow(self.state.current)
            self.case_list.blockSignals(False)

    def _go_to(self, row: int) -> None:
        if self._event("navigate", {"index": row}):
            self._fill_case_list()
            self._show_case()

    def _keep_unsaved_answer(self, leave: Callable[[], None]) -> bool:
        """Before leaving a case: a complete answer not yet saved is saved first (stored
        before the next case shows); for an incomplete one the doctor is asked, and
        ``leave`` runs if they still want to go. True means leave now."""
        from records.attempts import DECISION, AnswerError, check_answer

        assert self.state is not None
        if self.stage_stack.currentWidget() is not self.decision:
            return True
        case = self._case()
        given = self.decision.answer()
        stored = (self.state.answers.get(case.id) or {}).get("decision")
        try:
            decision = check_answer(case, DECISION, given)
        except AnswerError:
            if stored is not None or not any(given.values()):
                return True  # the saved answer stands, or nothing was given
            ask(
                self,
                "unsaved_box",
                _("Answer not complete"),
                _(
                    "Your answer to this case is not complete and will not be saved. "
                    "Go to the other case anyway?"
                ),
                (_("Go without saving"), _("Stay and finish")),
                leave,
                default_yes=False,
            )
            return False
        if decision != stored:
            own = self.state.own_reads.get(case.id)
            answers = {"own_read": {"interpretation": own}, "decision": decision}
            if not self._event("answer", {"case_id": case.id, "answers": answers}):
                return False
        return True

    def _step(self, delta: int) -> None:
        assert self.state is not None
        target = self.state.current + delta
        if 0 <= target < len(self.state.case_ids):
            self.case_list.setCurrentRow(target)

    def _flag(self, on: bool) -> None:
        assert self.state is not None
        if self._event("flag" if on else "unflag", {"case_id": self._case().id}):
            self._fill_case_list()

    # -- time and submitting ----------------------------------------------------------------
    def _tick(self) -> None:
        from assessments.exam import remaining_seconds

        if self.state is None or self.state.submitted:
            return
        left = remaining_seconds(self.state, time.time())
        minutes, seconds = divmod(int(left), 60)
        self.timer_label.setText(_("Time left {m}:{s:02d}").format(m=minutes, s=seconds))
        if left <= 0:
            self.finish("time_up")

    def confirm_submit(self) -> None:
        assert self.state is not None
        if not self._keep_unsaved_answer(self._ask_submit):
            return
        self._ask_submit()

    def _ask_submit(self) -> None:
        assert self.state is not None
        missing = len(self.state.unanswered())
        text = _("After submitting, answers cannot be changed.")
        if missing:
            text += " " + _("{n} case(s) have no answer yet.").format(n=missing)
        ask(
            self,
            "submit_box",
            _("Submit the exam?"),
            text,
            (_("Submit"), _("Keep working")),
            lambda: self.finish("doctor"),
            default_yes=False,
        )

    def finish(self, reason: str) -> None:
        from records import exams

        assert self.state is not None and self.blueprint is not None
        self.clock.stop()
        self.heartbeat.stop()
        result = exams.finish(
            self.ctx.db, self.state.attempt_id, time.time(), self.cases, self.blueprint, reason
        )
        self.state = exams.state(self.ctx.db, self.state.attempt_id)
        notice = None
        if result.passed and self.blueprint.certifying:
            notice = self._issue_certificate()
        self.result_view.show_result(result, self.cases, certificate=notice)
        self.pages.setCurrentWidget(self.result_view)
        for widget in (self.submit_button, self.flag_button, self.save_button):
            widget.setVisible(False)
        self.previous_button.setVisible(False)
        self.next_button.setVisible(False)
        self.close_button.setVisible(True)
        self.position.setText("")
        self.timer_label.setText(_("Submitted"))

    def _issue_certificate(self) -> Any:
        """The pending certificate of this passed certifying exam, or an exception when
        it could not be recorded (the pass itself is stored either way)."""
        from records.credentials.issuing import issue_for_exam

        assert self.state is not None and self.blueprint is not None
        try:
            return issue_for_exam(
                self.ctx.db,
                self.state.attempt_id,
                cases={case.id: case for case in self.ctx.bank()},
                blueprints={self.blueprint.id: self.blueprint},
                actor_id=self.ctx.user.id if self.ctx.user else None,
            )
        except Exception as exc:  # the doctor is told; the details go to the log
            _log.exception("Recording the certificate of exam %s failed", self.state.attempt_id)
            return exc

    def _close(self) -> None:
        self.closed.emit()

    def stop_timers(self) -> None:
        self.clock.stop()
        self.heartbeat.stop()
