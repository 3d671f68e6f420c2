"""The studio's actions that open a window: pack details, new and removed cases, preview,
publish, item statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.widgets import ask
from xiangyi.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMessageBox, QStackedWidget

    from desktop.context import AppContext
    from desktop.studio.case_editor import CaseEditor
    from desktop.studio.case_list import CaseList
    from desktop.studio.session import StudioSession


class StudioDialogs:
    """Mixed into ``StudioScreen`` (which provides the session, context and messages)."""

    session: StudioSession | None
    ctx: AppContext
    cases: CaseList
    editor: CaseEditor | None
    editor_holder: QStackedWidget
    empty: QLabel

    if TYPE_CHECKING:  # provided by StudioScreen

        def current_rel(self) -> str | None: ...
        def warn(self, title: str, text: str) -> QMessageBox: ...
        def save(self) -> None: ...
        def open_case(self, case_id: str) -> None: ...
        def show_case(self, rel: str) -> None: ...
        def _refresh_all(self) -> None: ...
        def _update_actions(self) -> None: ...

    def pack_details(self) -> Any:
        from desktop.studio.pack_info import PackInfoDialog

        assert self.session is not None
        dialog = PackInfoDialog(self, self.session)
        dialog.finished.connect(self._refresh_all)
        dialog.open()
        return dialog

    def new_case(self) -> Any:
        from desktop.studio.new_key import NewCaseDialog

        assert self.session is not None
        dialog = NewCaseDialog(self, self.session)

        def created() -> None:
            if dialog.rel is not None:
                self.cases.refresh()
                self.cases.select(dialog.rel)
                self.show_case(dialog.rel)

        dialog.accepted.connect(created)
        dialog.open()
        return dialog

    def remove_case(self) -> Any:
        """Ask, then take the shown case out of the pack (deleted when saved)."""
        rel = self.current_rel()
        if self.session is None or rel is None:
            return None

        def remove() -> None:
            assert self.session is not None and self.editor is not None
            self.editor.rel = None
            self.session.remove_case(rel)
            self.editor_holder.setCurrentWidget(self.empty)
            self.cases.refresh()
            self._update_actions()

        return ask(
            self,
            "remove_case_box",
            _("Remove case"),
            _(
                "Remove the case {id} from the pack? Its file is deleted when you save; "
                "this cannot be undone."
            ).format(id=self.session.project.case_id(rel)),
            (_("Remove the case"), _("Keep it")),
            remove,
            default_yes=False,
        )

    def preview_practice(self) -> Any:
        rel = self.current_rel()
        return self._preview([rel] if rel else [], "practice")

    def preview_exam(self) -> Any:
        assert self.session is not None
        return self._preview(list(self.session.project.cases), "exam")

    def _preview(self, rels: list[str], mode: str) -> Any:
        from desktop.studio.preview import PreviewWindow

        if self.session is None:
            return None
        self.session.check_pending()
        info = self.session.info()
        cases = [self.session.results[r].case for r in rels if r in self.session.results]
        usable = [case for case in cases if case is not None]
        if info is None or not usable or (len(usable) < len(rels) and mode == "practice"):
            self.warn(_("Preview"), _("Fix the errors listed below before previewing the case."))
            return None
        window = PreviewWindow(self, self.session.project.folder, info, usable, mode)
        window.open()
        return window

    def publish(self) -> Any:
        from desktop.studio.publish import PublishDialog

        assert self.session is not None
        self.save()
        dialog = PublishDialog(self, self.session.project.folder, self.ctx.data_dir, self.ctx.db)
        dialog.open()
        return dialog

    def item_stats(self) -> Any:
        from desktop.studio.item_stats import ItemStatsDialog

        assert self.session is not None
        dialog = ItemStatsDialog(self, self.ctx.db, self.session.valid_cases())
        dialog.open_case.connect(self.open_case)
        dialog.open()
        return dialog
