"""Flows started from the home screen (open a module, start an exam, a review or a
practice session) and the help screen (F1). A mixin of the main window's workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidget, QStackedWidget, QWidget

from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext

# Names of the pages that are not in the side bar, for "where" in the shortcut list.
PAGE_NAMES = {
    "player": N_("Case player"),
    "module": N_("Module overview"),
    "lesson": N_("Lesson"),
    "exam": N_("Exam"),
}


class HomeFlows:
    ctx: AppContext | None
    pages: dict[str, QWidget]
    pages_stack: QStackedWidget
    nav: QListWidget
    exam_module: Any = None
    player_return: str = "cases"

    def _connect_home(self) -> None:
        """Wire the home screen's buttons and the F1 key (once per window)."""
        home = self.pages["home"]
        home.open_module.connect(self.open_module_by_id)  # type: ignore[attr-defined]
        home.start_exam.connect(self.start_assigned_exam)  # type: ignore[attr-defined]
        home.start_review.connect(lambda ids: self.play_cases(ids, "review"))  # type: ignore[attr-defined]
        home.practise.connect(lambda ids: self.play_cases(ids, "practice"))  # type: ignore[attr-defined]
        if getattr(self, "help_shortcut", None) is None:
            shortcut = QShortcut(QKeySequence("F1"), self, self.show_help)  # type: ignore[call-overload]
            shortcut.setObjectName("help_shortcut")
            shortcut.setWhatsThis(N_("Open this help"))
            self.help_shortcut = shortcut

    def nav_keys(self) -> list[str]:
        from desktop.workspace import NAV

        assert self.ctx is not None and self.ctx.user is not None
        return [key for key, _label in NAV[self.ctx.user.role]]

    def go_to_page(self, key: str) -> None:
        """Show a side-bar page and mark it in the side bar."""
        row = self.nav_keys().index(key)
        if self.nav.currentRow() == row:
            self._show_page(key)  # type: ignore[attr-defined]
        else:
            self.nav.setCurrentRow(row)

    def show_help(self) -> None:
        if self.ctx is not None and self.ctx.user is not None and "help" in self.pages:
            self.go_to_page("help")
            help_page = self.pages["help"]
            help_page.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]  # the guide
            help_page.tabs.setFocus()  # type: ignore[attr-defined]

    def page_names(self) -> dict[QWidget, str]:
        """Each page and its name in the current language (for the shortcut list)."""
        from desktop.workspace import NAV

        assert self.ctx is not None and self.ctx.user is not None
        names = {self.pages[key]: _(label) for key, label in NAV[self.ctx.user.role]}
        names.update({self.pages[k]: _(v) for k, v in PAGE_NAMES.items() if k in self.pages})
        login = getattr(self, "login", None)
        if login is not None:
            names[login] = _("Sign in")
        return names

    def open_module_by_id(self, module_id: str) -> None:
        """Open a module through the module list, which says why when it is locked."""
        self.go_to_page("modules")
        self.pages["modules"].open_module_id(module_id)  # type: ignore[attr-defined]

    def start_assigned_exam(self, blueprint_id: str) -> None:
        """Start an exam; a module's check returns to that module afterwards."""
        from desktop.exam_start import start_exam

        assert self.ctx is not None
        owner = next(
            (
                m
                for m in self.ctx.modules
                if m.module is not None and m.module.check_blueprint == blueprint_id
            ),
            None,
        )
        self.exam_module = owner
        if owner is not None:
            self.pages["module"].show_module(owner)  # type: ignore[attr-defined]
        start_exam(self, blueprint_id, owner.module.id if owner else None)  # type: ignore[arg-type, union-attr]

    def play_cases(self, case_ids: list[str], mode: str) -> None:
        """Play the given cases (a review or a practice session), then come back home."""
        assert self.ctx is not None
        by_id = {case.id: case for case in self.ctx.bank()}
        queue = []
        for case_id in case_ids:
            pack = self.ctx.pack_of(case_id)
            if pack is not None and case_id in by_id:
                queue.append((pack, by_id[case_id]))
        if queue:
            self.play(queue, None, mode=mode, return_to="home")  # type: ignore[attr-defined]
