"""The Trainer's authoring studio page: case list, case editor, live problems, and the
actions (open or create a pack, new case, save, undo, preview, publish, item statistics)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
)

from case_bank.authoring.drafts import discard_draft, find_draft, restore_draft
from case_bank.authoring.project import PACK_FILE, PackProject, ProjectError
from desktop.studio.case_editor import CaseEditor
from desktop.studio.case_list import CaseList
from desktop.studio.page_dialogs import StudioDialogs
from desktop.studio.problems import ProblemList
from desktop.studio.session import StudioSession
from desktop.tasks import run_in_background
from desktop.theme import heading
from desktop.widgets import Screen, ask
from xiangyi.i18n import N_, _, current_language

if TYPE_CHECKING:
    from case_bank.validation import Problem
    from desktop.context import AppContext

_log = logging.getLogger(__name__)
BUTTONS = [
    ("open_pack", N_("Open pack…")),
    ("new_pack", N_("New pack…")),
    ("pack_details", N_("Pack details…")),
    ("new_case", N_("New case…")),
    ("remove_case", N_("Remove case…")),
    ("save", N_("Save (Ctrl+S)")),
    ("undo", N_("Undo")),
    ("redo", N_("Redo")),
    ("preview_practice", N_("Preview case")),
    ("preview_exam", N_("Preview as exam")),
    ("publish", N_("Publish…")),
    ("item_stats", N_("Item statistics…")),
]


class StudioScreen(StudioDialogs, Screen):
    """The authoring studio for trainers and administrators; ``opened`` after a pack
    folder was opened and checked."""

    opened = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.session: StudioSession | None = None
        self.drafts_root = Path(ctx.data_dir) / "studio-drafts"
        # A tool bar: when a large font or English labels do not fit, the rest goes into
        # its overflow menu instead of squeezing the page.
        bar = QToolBar(objectName="studio_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setStyleSheet(
            "QToolButton { border: 1px solid #b8b8b8; border-radius: 3px; "
            "padding: 3px 5px; margin-right: 2px; }"
        )
        self.actions_: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        for key, _label in BUTTONS:
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, name=key: getattr(self, name)())
            bar.addAction(action)
            button = bar.widgetForAction(action)
            assert isinstance(button, QToolButton)
            button.setObjectName(f"studio_{key}")
            self.actions_[key] = action
            self.buttons[key] = button
        self.pack_label = QLabel(objectName="studio_pack")
        heading(self.pack_label, 13)
        self.draft_label = QLabel(objectName="studio_draft")
        self.draft_label.setStyleSheet("color: #666;")
        title_row = QHBoxLayout()
        title_row.addWidget(self.pack_label, 1)
        title_row.addWidget(self.draft_label)

        self.cases = CaseList()
        self.editor: CaseEditor | None = None
        self.editor_holder = QStackedWidget(objectName="studio_editor_holder")
        self.empty = QLabel(objectName="studio_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor_holder.addWidget(self.empty)
        self.problems = ProblemList()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.editor_holder)
        right.addWidget(self.problems)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        right.setCollapsible(0, False)
        self.right = right
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.cases)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        self.body = body
        self.cases.setMaximumWidth(400)  # the editor needs the width more
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(bar)
        layout.addWidget(body, 1)

        self.cases.chosen.connect(self.show_case)
        self.problems.chosen.connect(self.go_to_problem)
        for keys, slot, what in (
            ("Ctrl+S", self.save, N_("Save the pack")),
            ("Ctrl+Z", self.undo, N_("Undo the last edit")),
            ("Ctrl+Y", self.redo, N_("Redo the edit")),
            ("Ctrl+Shift+Z", self.redo, N_("Redo the edit")),
        ):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setWhatsThis(what)  # listed in the help screen (desktop/shortcuts.py)
        self.retranslate()
        self._update_actions()

    def showEvent(self, event: Any) -> None:
        # The problem list gets a few lines; the editor the rest (sizes apply once shown).
        if not getattr(self, "_sized", False):
            self._sized = True
            total = max(self.right.height(), 400)
            self.right.setSizes([total - 120, 120])

        super().showEvent(event)

    # -- language ----------------------------------------------------------------------
    def retranslate(self) -> None:
        for key, label in BUTTONS:
            self.actions_[key].setText(_(label))
        self.empty.setText(
            _(
                "Open a pack folder or start a new pack. Each case is written in Chinese and "
                "English side by side; problems are listed below as you type."
            )
        )
        self._show_title()

    def _show_title(self, unsaved: bool | None = None) -> None:
        if self.session is None:
            self.pack_label.setText(_("Authoring studio"))
            return
        info = self.session.project.info.get(())
        title = info.get("title") if isinstance(info, dict) else None
        text = ""
        if isinstance(title, dict):
            text = str(title.get(current_language()) or title.get("zh_CN") or "")
        if unsaved is None:
            unsaved = bool(self.session.project.changed)
        self.pack_label.setText(
            _("{title} — {folder}").format(title=text, folder=self.session.project.folder)
            + (_(" (unsaved changes)") if unsaved else "")
        )

    def _update_actions(self) -> None:
        open_ = self.session is not None
        self.actions_["open_pack"].setEnabled(True)
        self.actions_["new_pack"].setEnabled(True)
        for key in ("pack_details", "new_case", "save", "preview_exam", "publish", "item_stats"):
            self.actions_[key].setEnabled(open_)
        history = self.session.history if self.session is not None else None
        self.actions_["undo"].setEnabled(history is not None and history.can_undo)
        self.actions_["redo"].setEnabled(history is not None and history.can_redo)
        chosen = open_ and self.current_rel() is not None
        self.actions_["preview_practice"].setEnabled(chosen)
        self.actions_["remove_case"].setEnabled(chosen)

    def warn(self, title: str, text: str) -> QMessageBox:
        """A window-modal, non-blocking message named ``studio_message``."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setObjectName("studio_message")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- opening -----------------------------------------------------------------------
    def open_pack(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Open a pack folder"))
        if folder:
            self.open_folder(Path(folder))

    def new_pack(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose an empty folder for the new pack")
        )
        if folder:
            self.start_pack(Path(folder))

    def start_pack(self, folder: Path) -> Any:
        """Ask for the new pack's details (window-modal); the pack opens when created."""
        from desktop.studio.new_key import NewPackDialog

        author = self.ctx.user.display_name if self.ctx.user is not None else ""
        dialog = NewPackDialog(self, folder, author)
        dialog.accepted.connect(lambda: self._use(dialog.project))
        dialog.open()
        return dialog

    def open_folder(self, folder: Path) -> None:
        """Open and check the pack in ``folder`` off the UI thread (images are decoded to
        check them); ``opened`` follows, and any draft left by a crash is offered."""
        from case_bank.authoring.checks import check_project

        def work() -> tuple[PackProject, Any]:
            project = PackProject.open(folder)
            return project, check_project(project)

        self.draft_label.setText(_("Opening the pack…"))
        for action in self.actions_.values():
            action.setEnabled(False)
        run_in_background(work, self._opened, self._open_failed)

    def _open_failed(self, exc: Exception) -> None:
        self.draft_label.setText("")
        self._update_actions()
        if isinstance(exc, ProjectError | OSError):
            message = str(exc)
        else:  # the details are in the log file (tasks.py logs the traceback)
            message = _("The pack cannot be opened; see the log file.")
        self.warn(_("The pack cannot be opened"), message)

    def _opened(self, found: tuple[PackProject, Any]) -> None:
        project, results = found
        folder = project.folder
        self.draft_label.setText("")
        self._use(project, results)
        self.opened.emit()
        draft = find_draft(self.drafts_root, project)
        if draft is None:
            return

        def restore() -> None:
            assert self.session is not None
            for rel in restore_draft(self.session.project, draft):
                self.session.touched(rel)
            self.session.check_all()
            self._refresh_all()

        ask(
            self,
            "draft_box",
            _("Unsaved changes found"),
            _(
                "This pack has changes that were not saved (the studio closed unexpectedly). "
                "Restore them?"
            ),
            (_("Restore the changes"), _("Discard them")),
            restore,
        ).finished.connect(
            lambda: (
                None
                if self.session and self.session.project.changed
                else discard_draft(self.drafts_root, folder)
            )
        )

    def _use(self, project: PackProject | None, results: Any = None) -> None:
        if project is None:
            return
        if self.session is not None:
            if self.session.project.changed:
                self.session.autosave()  # kept as a draft, offered when it is opened again
            self.session.stop()
        self.session = StudioSession(project, self.drafts_root, results)
        self.session.checked.connect(self._checked)
        self.session.edited.connect(self._edited)
        self.session.drafted.connect(lambda: self.draft_label.setText(_("Draft kept")))
        if self.editor is not None:
            self.editor_holder.removeWidget(self.editor)
            self.editor.deleteLater()
        self.editor = CaseEditor(self.session)
        self.editor_holder.addWidget(self.editor)
        self.cases.set_session(self.session)
        self._checked()
        if project.cases:
            self.cases.select(next(iter(project.cases)))
        self._show_title()
        self._update_actions()

    # -- following the session ---------------------------------------------------------
    def _checked(self) -> None:
        if self.session is None:
            return
        self.problems.show_problems(self.session.problems())
        self.cases.refresh()
        if self.editor is not None and self.editor.rel is not None:
            self.editor.show_status()

    def _edited(self, _rel: str) -> None:
        self.draft_label.setText("")
        self._show_title(unsaved=True)
        self._update_actions()

    def _refresh_all(self) -> None:
        self._checked()
        if self.editor is not None:
            self.editor.reload()
        self._show_title()
        self._update_actions()

    def current_rel(self) -> str | None:
        return self.editor.rel if self.editor is not None else None

    def show_case(self, rel: str) -> None:
        if self.editor is None or self.session is None or rel not in self.session.project.cases:
            return
        self.session.history.close_merge()
        self.editor.open(rel)
        self.editor_holder.setCurrentWidget(self.editor)
        self._update_actions()

    def open_case(self, case_id: str) -> None:
        """Select and show the case ``case_id`` (from item statistics)."""
        rel = self.session.project.rel_of(case_id) if self.session is not None else None
        if rel is not None:
            self.cases.select(rel)
            self.show_case(rel)

    def go_to_problem(self, problem: Problem) -> None:
        """Bring the field a validation message names into view."""
        if self.session is None:
            return
        if problem.file == PACK_FILE:
            dialog = self.pack_details()
            dialog.focus_field(problem.field)
            return
        if problem.file in self.session.project.cases:
            self.cases.select(problem.file)
            self.show_case(problem.file)
            assert self.editor is not None
            self.editor.focus_field(problem.field, problem.line)

    # -- actions -----------------------------------------------------------------------
    def save(self) -> None:
        if self.session is None:
            return
        try:
            written = self.session.save()
        except OSError as exc:
            _log.exception("Saving the pack failed")
            self.warn(_("The pack cannot be saved"), str(exc))
            return
        self.draft_label.setText(
            _("Saved {n} file(s)").format(n=len(written)) if written else _("No changes to save")
        )
        self._refresh_all()

    def undo(self) -> None:
        self._after_history(self.session.undo() if self.session else None)

    def redo(self) -> None:
        self._after_history(self.session.redo() if self.session else None)

    def _after_history(self, rel: str | None) -> None:
        if rel is None or self.session is None:
            return
        self.session.check_pending()
        if rel != PACK_FILE and rel != self.current_rel():
            self.cases.select(rel)
            self.show_case(rel)
        self._refresh_all()
