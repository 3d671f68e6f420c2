"""Help (F1): the keyboard shortcuts of this window, and the offline guide for each role
in the current language (Markdown files in ``desktop/help/<language>/<role>.md``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import heading
from desktop.widgets import Screen, read_only_table
from xiangyi import i18n
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext

HELP_DIR = Path(__file__).resolve().parent.parent / "help"
GUIDES = {
    "learner": ("learner", N_("Learner")),
    "trainer": ("trainer", N_("Trainer")),
    "admin": ("administrator", N_("Administrator")),
}


def guide_text(role: str, language: str) -> str:
    """The Markdown guide for ``role`` in ``language`` (English if it is missing)."""
    name = GUIDES.get(role, GUIDES["learner"])[0]
    for code in (language, "en"):
        path = HELP_DIR / code / f"{name}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


class HelpScreen(Screen):
    """``places`` gives the names of the screens (for "where" a shortcut works), asked
    for each time the help is shown, so the list always matches the window."""

    def __init__(
        self, ctx: AppContext, root: QWidget, places: Callable[[], Mapping[QWidget, str]]
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.root = root
        self.places = places
        self.role_set = False
        self.shown_once = False
        self.heading = QLabel(objectName="help_heading")
        heading(self.heading, 16)
        self.tabs = QTabWidget(objectName="help_tabs")
        self.shortcuts = read_only_table("help_shortcuts", 3, stretch=1)
        self.guide_page = QWidget()
        self.role_label = QLabel()
        self.role = QComboBox(objectName="help_role")
        for key in GUIDES:
            self.role.addItem("", key)
        self.role_label.setBuddy(self.role)
        self.guide = QTextBrowser(objectName="help_guide")
        self.guide.setOpenExternalLinks(False)
        self.guide.setOpenLinks(False)
        row = QHBoxLayout()
        row.addWidget(self.role_label)
        row.addWidget(self.role)
        row.addStretch(1)
        guide_layout = QVBoxLayout(self.guide_page)
        guide_layout.addLayout(row)
        guide_layout.addWidget(self.guide, 1)
        # The guide for the signed-in role first: what F1 most often means is "how do I…"
        self.tabs.addTab(self.guide_page, "")
        self.tabs.addTab(self.shortcuts, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.role.currentIndexChanged.connect(self._show_guide)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Help"))
        self.tabs.setTabText(0, _("&Guide"))
        self.tabs.setTabText(1, _("&Keyboard shortcuts"))
        self.role_label.setText(_("Guide &for"))
        for index in range(self.role.count()):
            self.role.setItemText(index, _(GUIDES[self.role.itemData(index)][1]))
        self.shortcuts.setHorizontalHeaderLabels([_("Keys"), _("What it does"), _("Where")])
        if self.shown_once:  # the window's pages exist only once the help has been shown
            self.refresh()

    def refresh(self) -> None:
        """Collect the shortcuts again and show the guide of the signed-in role."""
        from desktop.shortcuts import collect

        self.shown_once = True
        first_start = getattr(self.root, "first_admin", None)  # never shown again
        rows = collect(self.root, self.places(), [first_start] if first_start else [])
        self.shortcuts.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for col, text in enumerate(cells):
                self.shortcuts.setItem(row, col, QTableWidgetItem(text))
        if self.ctx.user is not None and not self.role_set:
            self.role_set = True  # the signed-in role first; later the doctor's choice stays
            self.role.setCurrentIndex(max(0, self.role.findData(self.ctx.user.role)))
        self._show_guide()

    def _show_guide(self) -> None:
        role = self.role.currentData() or "learner"
        self.guide.setMarkdown(guide_text(role, i18n.current_language()))
