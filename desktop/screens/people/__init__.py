"""Administrator: the people and institutions on this PC (page key "accounts").

Two tabs: people (add, edit, deactivate, reset passwords, roles, cohort import) and
institutions (the county → township → village tree). Every change goes through
``records.people`` / ``records.institution_tree``, which check the actor is an
administrator and audit it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout

from desktop.screens.people.institutions_panel import InstitutionsPanel
from desktop.screens.people.person_panel import PeoplePanel
from desktop.theme import heading
from desktop.widgets import Screen
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.screens.people.cohort_dialog import CohortDialog

__all__ = ["AccountsScreen"]


class AccountsScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.cohort: CohortDialog | None = None
        self.heading = QLabel()
        heading(self.heading, 16)
        self.people = PeoplePanel(ctx)
        self.institutions = InstitutionsPanel(ctx)
        self.tabs = QTabWidget(objectName="people_tabs")
        self.tabs.addTab(self.people, "")
        self.tabs.addTab(self.institutions, "")
        # The people form's fields, by their long-standing names (tests and scripts use them).
        panel = self.people
        self.table, self.error, self.message = panel.table, panel.error, panel.message
        self.full_name, self.username, self.password = (
            panel.full_name,
            panel.username,
            panel.password,
        )
        self.role, self.add_button = panel.role, panel.add_button
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        panel.import_requested.connect(self.open_cohort_import)
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Accounts"))
        self.tabs.setTabText(0, _("&People"))
        self.tabs.setTabText(1, _("In&stitutions"))
        self.people.retranslate()
        self.institutions.retranslate()

    def refresh(self) -> None:
        """Redraw both tabs (institutions added on one tab appear in the other's list)."""
        self.people.refresh()
        self.institutions.refresh()

    def open_cohort_import(self) -> CohortDialog:
        """Open the cohort import dialog (window-modal, not blocking)."""
        from desktop.screens.people.cohort_dialog import CohortDialog

        dialog = CohortDialog(self, self.ctx)
        dialog.imported.connect(self.people.refresh)
        self.cohort = dialog
        dialog.open()
        return dialog
