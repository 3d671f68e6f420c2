"""Study history: every completed case, searchable and filterable, with its feedback
shown again read-only, and the study time that counts for continuing education."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.screens.home.words import study_sentence
from desktop.screens.player.feedback import RELIANCE_WORDS, FeedbackView
from desktop.theme import heading
from desktop.widgets import Screen, read_only_table
from records.history import SHOW_LABELS, Show
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.history import HistoryEntry

MODE_LABELS = {"practice": N_("Practice"), "review": N_("Review"), "exam": N_("Exam")}
RELIANCE_SHORT = {
    "appropriate_acceptance": N_("Rightly followed"),
    "appropriate_override": N_("Rightly overrode"),
    "over_reliance": N_("Followed a wrong AI"),
    "under_reliance": N_("Overrode a right AI"),
}


class HistoryScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[HistoryEntry] = []
        self.shown: list[HistoryEntry] = []
        self.heading = QLabel(objectName="history_heading")
        heading(self.heading, 16)
        self.study = QLabel(objectName="history_study", wordWrap=True)
        self.search_label = QLabel()
        self.search = QLineEdit(objectName="history_search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.show_label = QLabel()
        self.show_filter = QComboBox(objectName="history_filter")
        for key in Show:
            self.show_filter.addItem("", str(key))
        self.show_label.setBuddy(self.show_filter)
        self.count = QLabel(objectName="history_count")
        bar = QHBoxLayout()
        bar.addWidget(self.search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_label)
        bar.addWidget(self.show_filter)
        bar.addWidget(self.count)
        self.table = read_only_table("history_table", 6, stretch=0)
        self.feedback = FeedbackView()
        self.feedback.setObjectName("history_feedback")
        self.missing = QLabel(objectName="history_missing", wordWrap=True)
        self.missing.setVisible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.feedback)
        split.setChildrenCollapsible(False)
        split.setSizes([260, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.study)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.missing)
        self.search.textChanged.connect(self._filter)
        self.show_filter.currentIndexChanged.connect(self._filter)
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_feedback(row))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Study history"))
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Case title, case ID or date (YYYY-MM-DD)"))
        self.show_label.setText(_("S&how"))
        for index in range(self.show_filter.count()):
            key = Show(self.show_filter.itemData(index))
            self.show_filter.setItemText(index, _(SHOW_LABELS[key]))
        self.table.setHorizontalHeaderLabels(
            [_("Case"), _("Date"), _("Mode"), _("Score"), _("AI reliance"), _("Critical error")]
        )
        self.missing.setText(_("This case is no longer on this PC; its feedback cannot be shown."))
        if self.ctx.user is not None:
            self.refresh()

    def refresh(self) -> None:
        from records.history import history, study_time

        if self.ctx.user is None:
            return
        cases = {case.id: case for case in self.ctx.bank()}
        self.entries = history(self.ctx.db, self.ctx.user.id, cases)
        self.study.setText(
            study_sentence(study_time(self.ctx.db, self.ctx.user.id), date.today().year)
        )
        self._filter()

    def _filter(self) -> None:
        from records.history import search

        show = self.show_filter.currentData() or Show.ALL
        self.shown = search(self.entries, self.search.text(), show)
        self.count.setText(
            _("{shown} of {total}").format(shown=len(self.shown), total=len(self.entries))
        )
        self.table.setRowCount(len(self.shown))
        for row, entry in enumerate(self.shown):
            cells = [
                entry.title.get() if entry.title is not None else entry.case_id,
                entry.completed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                _(MODE_LABELS.get(entry.mode, entry.mode)),
                str(round(100 * entry.total)),
                _(RELIANCE_SHORT[entry.reliance]) if entry.reliance in RELIANCE_SHORT else "",
                _("Yes") if entry.critical_error else "",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4 and entry.reliance in RELIANCE_WORDS:
                    item.setToolTip(_(RELIANCE_WORDS[entry.reliance]))
                self.table.setItem(row, col, item)
        if self.shown:
            self.table.setCurrentCell(0, 0)
            self._show_feedback(0)  # also when row 0 was current before (no signal then)
        else:
            self.feedback.browser.clear()
            self.missing.setVisible(False)

    def _show_feedback(self, row: int) -> None:
        from records.history import own_attempt

        if not 0 <= row < len(self.shown) or self.ctx.user is None:
            return
        entry = self.shown[row]
        attempt = own_attempt(self.ctx.db, self.ctx.user.id, entry.attempt_id)
        case = next((c for c in self.ctx.bank() if c.id == entry.case_id), None)
        self.missing.setVisible(case is None or attempt is None)
        if case is None or attempt is None or not attempt.score:
            self.feedback.browser.clear()
            return
        self.feedback.load(case, attempt.answers, attempt.score)
