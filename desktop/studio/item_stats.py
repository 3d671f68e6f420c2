"""Item statistics of the open pack's cases, from the records on this PC (including
imported record bundles): facility, discrimination and flags, with a jump to the case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assessments.items import FLAG_LABELS
from desktop.tasks import run_in_background
from desktop.widgets import read_only_table
from xiangyi.i18n import _

ROLE = 256


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


class ItemStatsDialog(QDialog):
    """``open_case(case_id)`` asks the studio to open a case in its editor."""

    open_case = Signal(str)

    def __init__(self, parent: QWidget | None, db: Any, cases: list[Any]) -> None:
        super().__init__(parent)
        self.setObjectName("item_stats")
        self.setWindowTitle(_("Item statistics"))
        self.cases = {case.id: case for case in cases}
        self.summary = QLabel(objectName="item_stats_summary")
        self.summary.setWordWrap(True)
        self.table = read_only_table("item_stats_table", 6, stretch=5)
        self.table.setHorizontalHeaderLabels(
            [
                _("Case"),
                _("Responses"),
                _("Facility"),
                _("Point-biserial"),
                _("Upper–lower discrimination"),
                _("Flags"),
            ]
        )
        self.open_button = QPushButton(_("Open the case in the editor"), objectName="item_open")
        close = QPushButton(_("Close"), objectName="item_close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self._open)
        self.table.itemDoubleClicked.connect(lambda _item: self._open())
        close.clicked.connect(self.reject)
        self.report: Any = None
        self.summary.setText(_("Analysing the records…"))
        self.resize(900, 480)
        from records.item_report import analyse

        run_in_background(lambda: analyse(db, list(cases)), self.show_report, self._failed)

    def show_report(self, report: Any) -> None:
        """Fill the table; flagged cases first."""
        self.report = report
        if not report.attempts:
            self.summary.setText(
                _("No results for these cases yet. Import record bundles from the clinics first.")
            )
        else:
            self.summary.setText(
                _("{n} sittings; Cronbach's alpha {alpha}; mean score {mean}.").format(
                    n=report.attempts, alpha=_figure(report.alpha), mean=_figure(report.mean_score)
                )
            )
        items = sorted(report.items, key=lambda item: (not item.flags, item.item_id))
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            case = self.cases.get(item.item_id)
            name = f"{item.item_id} {case.title.get()}" if case is not None else item.item_id
            first = QTableWidgetItem(name)
            first.setData(ROLE, item.item_id)
            flags = "; ".join(_(FLAG_LABELS[f]) for f in item.flags)
            cells = [
                first,
                QTableWidgetItem(str(item.n)),
                QTableWidgetItem(_figure(item.facility)),
                QTableWidgetItem(_figure(item.point_biserial)),
                QTableWidgetItem(_figure(item.discrimination)),
                QTableWidgetItem(flags),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        if items:
            self.table.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(_("The item statistics could not be computed; see the log file."))

    def _open(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.open_case.emit(str(item.data(ROLE)))
            self.accept()
