"""The case list: built-in and installed cases with the doctor's results, searchable by
title and filtered by AI tool or by what the doctor has not played yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from case_bank.vocabulary import AIKind
from desktop.theme import heading
from desktop.widgets import Screen, read_only_table
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.pack import Pack
    from desktop.context import AppContext

KIND_LABELS = {
    AIKind.ECG: N_("ECG"),
    AIKind.IMAGE: N_("Image"),
    AIKind.RISK: N_("Risk score"),
    AIKind.TREND: N_("Trend"),
    AIKind.TRIAGE: N_("Triage"),
    AIKind.PRESCRIPTION: N_("Prescription review"),
    AIKind.LLM: N_("AI assistant"),
    AIKind.REPORT: N_("AI report"),
}
DIFFICULTY = {1: N_("Easy"), 2: N_("Medium"), 3: N_("Hard")}


class CaseListScreen(Screen):
    """``play`` carries the queue of (pack, case) to play."""

    play = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.all_rows: list[tuple[Pack, Case]] = []
        self.rows: list[tuple[Pack, Case]] = []  # the rows shown, in the table's order
        self.best: dict[str, float] = {}
        self.heading = QLabel(objectName="cases_heading")
        heading(self.heading, 16)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.search_label = QLabel()
        self.search = QLineEdit(objectName="case_search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.kind_filter = QComboBox(objectName="case_kind_filter")
        self.unplayed = QCheckBox(objectName="case_unplayed")
        self.count = QLabel(objectName="case_count")
        filters = QHBoxLayout()
        filters.addWidget(self.search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.unplayed)
        filters.addStretch(1)
        filters.addWidget(self.count)
        self.table = read_only_table("case_table", 4)
        self.start_button = QPushButton(objectName="start_case")
        self.all_button = QPushButton(objectName="play_all")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self._start_selected)
        self.all_button.clicked.connect(self._start_all)
        self.table.cellActivated.connect(lambda row, _col: self._start_from(row, single=True))
        self.search.textChanged.connect(self._show_rows)
        self.kind_filter.currentIndexChanged.connect(self._show_rows)
        self.unplayed.toggled.connect(self._show_rows)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Practice cases"))
        self.hint.setText(
            _(
                "Each case: read the patient, give your own impression, study the AI output, "
                "then decide. Feedback follows at once."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Case"), _("AI tool"), _("Difficulty"), _("Your best score")]
        )
        self.start_button.setText(_("Start selected case"))
        self.all_button.setText(_("Play all shown, in order"))
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Words of the case title"))
        self.unplayed.setText(_("Only cases &not yet played"))
        chosen = self.kind_filter.currentData()
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem(_("All AI tools"), None)
        for kind, label in KIND_LABELS.items():
            self.kind_filter.addItem(_(label), str(kind))
        self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(chosen)))
        self.kind_filter.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        from records.attempts import completed

        self.best = {}
        if self.ctx.user is not None:
            for attempt in completed(self.ctx.db, self.ctx.user.id):
                total = float((attempt.score or {}).get("total", 0))
                self.best[attempt.case_id] = max(self.best.get(attempt.case_id, 0.0), total)
        self.all_rows = [(pack, case) for pack in self.ctx.packs for case in pack.cases]
        self._show_rows()

    def _shown(self, case: Case) -> bool:
        words = self.search.text().casefold().split()
        kind = self.kind_filter.currentData()
        title = f"{case.title.get()} {case.id}".casefold()
        return (
            all(word in title for word in words)
            and (kind is None or str(case.ai_kind) == kind)
            and not (self.unplayed.isChecked() and case.id in self.best)
        )

    def _show_rows(self) -> None:
        row = self.table.currentRow()
        selected = self.rows[row][1].id if 0 <= row < len(self.rows) else None
        self.rows = [(pack, case) for pack, case in self.all_rows if self._shown(case)]
        self.table.setRowCount(len(self.rows))
        for row, (_pack, case) in enumerate(self.rows):
            score = self.best.get(case.id)
            cells = [
                case.title.get(),
                _(KIND_LABELS[case.ai_kind]),
                _(DIFFICULTY[case.difficulty]),
                f"{round(score * 100)}" if score is not None else _("not yet played"),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.count.setText(
            _("{shown} of {total} cases").format(shown=len(self.rows), total=len(self.all_rows))
        )
        ids = [case.id for _pack, case in self.rows]
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        elif self.rows:
            self.table.selectRow(0)
        self.start_button.setEnabled(bool(self.rows))
        self.all_button.setEnabled(bool(self.rows))

    def _start_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self._start_from(row, single=True)

    def _start_all(self) -> None:
        if self.rows:
            self._start_from(0, single=False)

    def _start_from(self, row: int, *, single: bool) -> None:
        queue = [self.rows[row]] if single else self.rows[row:]
        self.play.emit(queue)
