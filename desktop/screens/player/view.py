"""The player screen: shows one stage at a time and stores each answer before moving on."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.screens.player.feedback import FeedbackView
from desktop.screens.player.stages import DecisionForm, OwnReadView, ToolHeader, VignettePanel
from desktop.theme import heading
from desktop.widgets import Screen, error_label, show_error
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.pack import Pack
    from desktop.context import AppContext
    from records.tables import Attempt

_log = logging.getLogger(__name__)

STAGE_TITLES = {
    "presentation": N_("The patient"),
    "own_read": N_("Your own read"),
    "ai_output": N_("The AI output"),
    "decision": N_("Your decision"),
    "feedback": N_("Feedback"),
}


class PlayerScreen(Screen):
    """Plays a queue of cases. ``closed`` asks the shell to go back to the case list."""

    closed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.queue: list[tuple[Pack, Case]] = []
        self.pack: Pack | None = None
        self.case: Case | None = None
        self.attempt: Attempt | None = None
        self.module_id: str | None = None
        self.mode = "practice"  # or "review": a spaced-review session
        self.stage_started = time.monotonic()
        self.renderer: QWidget | None = None
        self.return_to_cases = True

        self.title = QLabel(objectName="case_title")
        heading(self.title, 14)
        self.step = QLabel(objectName="stage_label")
        self.badge = QLabel(objectName="simulated_badge")
        self.badge.setStyleSheet(
            "background:#fff3cd;color:#7a5a00;border:1px solid #e0c36a;padding:2px 8px;"
        )
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.step)
        header.addWidget(self.badge)

        self.vignette = VignettePanel()
        self.big_vignette = VignettePanel()
        self.own_read = OwnReadView()
        self.decision = DecisionForm()
        self.feedback = FeedbackView()
        self.ai_hint = QLabel(objectName="ai_hint")
        self.ai_hint.setWordWrap(True)
        self.stack = QStackedWidget(objectName="stage_stack")
        # Pages that can outgrow the screen at large text sizes scroll.
        self.big_vignette_page = scrolling(self.big_vignette)
        self.own_read_page = scrolling(self.own_read)
        for page in (
            self.big_vignette_page,
            self.own_read_page,
            self.ai_hint,
            self.decision,
            self.feedback,
        ):
            self.stack.addWidget(page)

        self.tool_header = ToolHeader()
        self.ai_area = QWidget(objectName="ai_area")
        self.ai_layout = QVBoxLayout(self.ai_area)
        self.ai_layout.setContentsMargins(0, 0, 0, 0)
        self.ai_layout.addWidget(self.tool_header)
        self.ai_problem = QLabel(objectName="ai_problem")
        self.ai_problem.setWordWrap(True)
        self.ai_problem.setStyleSheet("color:#b00020;")
        self.skip_button = QPushButton(objectName="skip_case")
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.ai_problem, 1)
        problem_row.addWidget(self.skip_button)
        self.problem_box = QWidget()
        self.problem_box.setLayout(problem_row)
        self.problem_box.setVisible(False)
        self.ai_layout.addWidget(self.problem_box)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.ai_area)
        self.right.addWidget(self.stack)
        self.right.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Horizontal)
        self.vignette_page = scrolling(self.vignette)
        self.vignette_page.setMinimumWidth(260)
        self.vignette_page.setMaximumWidth(340)
        body.addWidget(self.vignette_page)
        body.addWidget(self.right)
        body.setStretchFactor(1, 1)

        self.error = error_label("player_error")
        self.back_button = QPushButton(objectName="back_to_list")
        self.continue_button = QPushButton(objectName="continue")
        self.continue_button.setDefault(True)
        self.next_button = QPushButton(objectName="next_case")
        footer = QHBoxLayout()
        footer.addWidget(self.back_button)
        footer.addWidget(self.error, 1)
        footer.addWidget(self.continue_button)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(body, 1)
        layout.addLayout(footer)

        self.continue_button.clicked.connect(self.submit_stage)
        self.next_button.clicked.connect(self.next_case)
        self.back_button.clicked.connect(self.closed)
        self.skip_button.clicked.connect(self.skip_case)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self, self._shortcut_continue)
        shortcut.setWhatsThis(N_("Continue to the next step of the case, or to the next case"))
        self.retranslate()

    # -- language -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.badge.setText(_("Simulated case"))
        self.continue_button.setText(_("Continue (Ctrl+Enter)"))
        self.next_button.setText(_("Next case"))
        self.back_button.setText(
            _("Back to case list") if self.return_to_cases else _("Back to the home page")
        )
        self.skip_button.setText(_("Skip this case"))
        self.ai_hint.setText(_("Study the AI output above, then continue to record your decision."))
        if self.case is not None:
            self.title.setText(self.case.title.get())
            self.tool_header.show_case(self.case)
        if self.attempt is not None:
            self._update_step_label()

    # -- playing ----------------------------------------------------------------------------
    def play_queue(
        self,
        queue: list[tuple[Pack, Case]],
        module_id: str | None = None,
        *,
        mode: str = "practice",
        return_to_cases: bool = True,
    ) -> None:
        """Play ``queue`` from its first case (as practice for ``module_id`` if given;
        ``mode`` "review" marks a spaced-review session)."""
        self.queue = list(queue)
        self.module_id = module_id
        self.mode = mode
        self.return_to_cases = return_to_cases
        self.retranslate()
        self.next_case()

    def next_case(self) -> None:
        if not self.queue:
            self.closed.emit()
            return
        pack, case = self.queue.pop(0)
        self.start(pack, case)

    def start(self, pack: Pack, case: Case, attempt: Attempt | None = None) -> None:
        """Begin ``case`` (a new attempt) or resume ``attempt`` at its stored stage."""
        from records import attempts

        assert self.ctx.user is not None and pack.info is not None
        self.pack, self.case = pack, case
        if attempt is not None:
            self.module_id = attempt.module_id
            self.mode = attempt.mode
        if attempt is None:
            attempt = attempts.start_attempt(
                self.ctx.db,
                self.ctx.user.id,
                pack.info.id,
                pack.info.version,
                case,
                mode=self.mode,
                module_id=self.module_id,
            )
        self.attempt = attempt
        self.vignette.load(case)
        self.big_vignette.load(case)
        self.own_read.load(case, attempt.answers.get("own_read"))
        self.decision.load(case)
        self._load_renderer(pack, case)
        self.retranslate()
        self._show_stage()

    def _load_renderer(self, pack: Pack, case: Case) -> None:
        from case_bank.assets import AssetError
        from desktop.renderers import create_renderer

        if self.renderer is not None:
            self.renderer.setParent(None)
            self.renderer.deleteLater()
            self.renderer = None
        self.problem_box.setVisible(False)
        try:
            self.renderer = create_renderer(pack, case)
        except AssetError as exc:
            _log.warning("Case %s asset problem: %s", case.id, exc)
            self.ai_problem.setText(
                _("This case cannot be shown: {problem}. Your answers so far are kept.").format(
                    problem=str(exc)
                )
            )
            self.problem_box.setVisible(True)
            return
        self.ai_layout.addWidget(self.renderer, 1)

    def _update_step_label(self) -> None:
        from records.attempts import stages_for

        assert self.case is not None and self.attempt is not None
        order = stages_for(self.case)
        index = order.index(self.attempt.stage) + 1
        self.step.setText(
            _("Step {i} of {n}: {stage}").format(
                i=index, n=len(order), stage=_(STAGE_TITLES[self.attempt.stage])
            )
        )

    def _show_stage(self) -> None:
        assert self.attempt is not None and self.case is not None
        stage = self.attempt.stage
        show_error(self.error, "")
        pages = {
            "presentation": self.big_vignette_page,
            "own_read": self.own_read_page,
            "ai_output": self.ai_hint,
            "decision": self.decision,
            "feedback": self.feedback,
        }
        self.stack.setCurrentWidget(pages[stage])
        self.vignette_page.setVisible(stage != "presentation")
        # For an ECG or a film the doctor reads the input itself first, AI marks hidden.
        raw_read = stage == "own_read" and getattr(self.renderer, "shows_raw_input", False)
        self.ai_area.setVisible(raw_read or stage in ("ai_output", "decision", "feedback"))
        self.tool_header.setVisible(not raw_read)
        if hasattr(self.renderer, "set_ai_hidden"):
            self.renderer.set_ai_hidden(raw_read)  # type: ignore[union-attr]
        finished = stage == "feedback"
        self.continue_button.setVisible(not finished)
        self.next_button.setVisible(finished)
        if finished and self.attempt.score:
            self.feedback.load(self.case, self.attempt.answers, self.attempt.score)
        show_truth = getattr(self.renderer, "show_truth", None)
        if finished and show_truth is not None:
            show_truth(self.case)  # mark on the output itself what the AI got wrong
        sizes = {"ai_output": [420, 300], "own_read": [420, 300], "decision": [230, 490]}
        self.right.setSizes(sizes.get(stage, [300, 420]))
        self._update_step_label()
        self.stage_started = time.monotonic()
        if self.ctx.activity is not None:
            self.ctx.activity.restart()
        if stage == "own_read":
            self.own_read.choice.focus_first()
        elif stage == "decision":
            self.decision.reliance.focus_first()
        elif finished:
            self.next_button.setFocus()
        else:
            self.continue_button.setFocus()

    def _shortcut_continue(self) -> None:
        if self.continue_button.isVisible():
            self.submit_stage()
        elif self.next_button.isVisible():
            self.next_case()

    def current_answer(self) -> dict[str, Any] | None:
        assert self.attempt is not None
        if self.attempt.stage == "own_read":
            return self.own_read.answer()
        if self.attempt.stage == "decision":
            return self.decision.answer()
        return None

    def submit_stage(self) -> None:
        """Store this stage's answer (committed) and only then show the next stage."""
        from records import attempts

        if self.attempt is None or self.case is None:
            return
        if self.attempt.stage in ("ai_output", "decision") and self.problem_box.isVisible():
            show_error(self.error, _("This case cannot be completed; please skip it."))
            return
        active = self.ctx.active_seconds()
        seconds = active if active is not None else time.monotonic() - self.stage_started
        try:
            self.attempt = attempts.advance(
                self.ctx.db, self.attempt, self.case, self.current_answer(), seconds
            )
        except attempts.AnswerError as exc:
            show_error(self.error, str(exc))
            return
        self._show_stage()

    def skip_case(self) -> None:
        from records import attempts

        if self.attempt is not None:
            attempts.abandon(self.ctx.db, self.attempt.id)
        self.next_case()


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area
