"""What happens inside the signed-in workspace: pages per role, and the flows between
them (cases, modules, lessons, exams, resuming after an interruption).

A mixin of the main window, so the window stays about the shell: login, language,
display settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QListWidget, QStackedWidget, QWidget

from desktop.home_flows import HomeFlows
from desktop.widgets import ask
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext

# Every role has the learner's pages (home first); a role's own pages come above them.
LEARNING = [
    ("home", N_("Home")),
    ("modules", N_("Training modules")),
    ("cases", N_("Practice cases")),
    ("history", N_("Study history")),
    ("competency", N_("My competencies")),
    ("my_certificates", N_("My certificates")),
    ("verify", N_("Verify a certificate")),
    ("help", N_("Help (F1)")),
]
NAV = {
    "learner": [*LEARNING],
    "trainer": [("studio", N_("Authoring studio")), *LEARNING],
    "admin": [
        ("accounts", N_("Accounts")),
        ("audit", N_("Security log")),
        ("certificates", N_("Manage certificates")),
        ("reports", N_("Reports")),
        ("assignments", N_("Assignments")),
        ("content", N_("Trust and content")),
        ("backups", N_("Backups")),
        ("bundles", N_("Record bundles")),
        ("studio", N_("Authoring studio")),
        *LEARNING,
    ],
}


class WorkspaceFlows(HomeFlows):
    """Page building and navigation for ``MainWindow`` (which provides the widgets)."""

    ctx: AppContext | None
    pages: dict[str, QWidget]
    pages_stack: QStackedWidget
    nav: QListWidget
    exam_module: Any = None

    def _build_pages(self, role: str) -> None:
        from desktop.screens.cases import CaseListScreen
        from desktop.screens.competency import CompetencyScreen
        from desktop.screens.exam import ExamScreen
        from desktop.screens.help import HelpScreen
        from desktop.screens.history import HistoryScreen
        from desktop.screens.home import HomeScreen
        from desktop.screens.lesson import LessonScreen
        from desktop.screens.module_view import ModuleScreen
        from desktop.screens.modules import ModuleListScreen
        from desktop.screens.player import PlayerScreen

        assert self.ctx is not None
        cases = CaseListScreen(self.ctx)
        player = PlayerScreen(self.ctx)
        modules = ModuleListScreen(self.ctx)
        module = ModuleScreen(self.ctx)
        lesson = LessonScreen(self.ctx)
        cases.play.connect(self.play)
        player.closed.connect(self._player_closed)
        modules.opened.connect(self.open_module)
        module.closed.connect(lambda: self._show_page("modules"))
        module.open_lesson.connect(self.open_lesson)
        module.practise.connect(self.practise_module)
        module.check.connect(self.start_module_check)
        lesson.closed.connect(self._lesson_closed)
        exam = ExamScreen(self.ctx)
        exam.closed.connect(self._exam_closed)
        self.pages = {
            "cases": cases,
            "player": player,
            "modules": modules,
            "module": module,
            "lesson": lesson,
            "exam": exam,
            "competency": CompetencyScreen(self.ctx),
            "home": HomeScreen(self.ctx),
            "history": HistoryScreen(self.ctx),
            "help": HelpScreen(self.ctx, self, self.page_names),  # type: ignore[arg-type]
        }
        self._connect_home()
        if role == "admin":
            from desktop.screens.audit_log import AuditLogScreen
            from desktop.screens.people import AccountsScreen

            self.pages["accounts"] = AccountsScreen(self.ctx)
            self.pages["audit"] = AuditLogScreen(self.ctx)
            from desktop.screens.reports import ReportsScreen

            self.pages["reports"] = ReportsScreen(self.ctx)
            from desktop.screens.admin import admin_pages

            self.pages.update(admin_pages(self.ctx, self))
        if role in ("trainer", "admin"):
            from desktop.studio.page import StudioScreen

            self.pages["studio"] = StudioScreen(self.ctx)
        from desktop.screens.certificates import certificate_pages

        self.pages.update(certificate_pages(self.ctx, role, self.go_to_page))
        from desktop.screens.admin import start_automatic_backups

        start_automatic_backups(self)
        for page in self.pages.values():
            self.pages_stack.addWidget(page)
        self.nav.clear()
        for _key, label in NAV[role]:
            self.nav.addItem(_(label))

    def _nav_changed(self, row: int) -> None:
        if self.ctx is None or self.ctx.user is None or row < 0:
            return
        self._show_page(NAV[self.ctx.user.role][row][0])

    def play(
        self,
        queue: list[Any],
        module_id: str | None = None,
        *,
        mode: str = "practice",
        return_to: str = "cases",
    ) -> None:
        player = self.pages["player"]
        self.player_return = return_to
        self.pages_stack.setCurrentWidget(player)
        player.play_queue(  # type: ignore[attr-defined]
            queue, module_id, mode=mode, return_to_cases=return_to == "cases"
        )

    def _show_page(self, key: str) -> None:
        page = self.pages[key]
        if hasattr(page, "refresh"):
            page.refresh()
        self.pages_stack.setCurrentWidget(page)

    def _player_closed(self) -> None:
        player = self.pages["player"]
        if player.module_id is not None:  # type: ignore[attr-defined]
            self._lesson_closed()
        else:
            self._show_page(self.player_return)

    def open_module(self, loaded: Any) -> None:
        self.pages["module"].show_module(loaded)  # type: ignore[attr-defined]
        self.pages_stack.setCurrentWidget(self.pages["module"])

    def open_lesson(self, loaded: Any, index: int) -> None:
        self.pages_stack.setCurrentWidget(self.pages["lesson"])
        self.pages["lesson"].open(loaded, index)  # type: ignore[attr-defined]

    def _lesson_closed(self) -> None:
        module = self.pages["module"]
        module.retranslate()  # redraws progress
        self.pages_stack.setCurrentWidget(module)

    def practise_module(self, loaded: Any) -> None:
        from courses.practice import practice_cases

        assert self.ctx is not None
        queue = []
        for case in practice_cases(loaded.module, self.ctx.bank()):
            pack = self.ctx.pack_of(case.id)
            if pack is not None:
                queue.append((pack, case))
        self.play(queue, loaded.module.id)

    # -- exams ------------------------------------------------------------------------------
    def start_module_check(self, loaded: Any) -> None:
        from desktop.exam_start import start_exam

        self.exam_module = loaded
        start_exam(self, loaded.module.check_blueprint, loaded.module.id)

    def show_exam(self, blueprint: Any, state: Any) -> None:
        assert self.ctx is not None
        cases = {case.id: case for case in self.ctx.bank()}
        exam = self.pages["exam"]
        self.pages_stack.setCurrentWidget(exam)
        exam.begin(blueprint, state, cases)  # type: ignore[attr-defined]

    def _exam_closed(self) -> None:
        if getattr(self, "exam_module", None) is not None:
            self._lesson_closed()
        else:
            self._show_page(NAV[self.ctx.user.role][0][0])  # type: ignore[union-attr]

    def _offer_resume(self) -> None:
        from records import attempts, exams

        assert self.ctx is not None and self.ctx.user is not None
        if exams.open_attempt(self.ctx.db, self.ctx.user.id) is not None:
            from desktop.exam_start import offer_exam_resume

            offer_exam_resume(self)
            return
        attempt = attempts.in_progress(self.ctx.db, self.ctx.user.id)
        if attempt is None:
            return
        found = self.ctx.find_case(attempt.pack_id, attempt.case_id)
        if found is None:
            return
        pack, case = found

        def resume() -> None:
            player = self.pages["player"]
            self.pages_stack.setCurrentWidget(player)
            player.start(pack, case, attempt)  # type: ignore[attr-defined]

        ask(
            self,  # type: ignore[arg-type]
            "resume_box",
            _("Unfinished case"),
            _("You have an unfinished case: {title}. Continue where you stopped?").format(
                title=case.title.get()
            ),
            (_("Continue the case"), _("Not now")),
            resume,
        )
