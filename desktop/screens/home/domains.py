"""The home page's competency section: domain levels as a bar chart and a numbered list,
and the evidence behind the selected domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QVBoxLayout, QWidget

from case_bank.vocabulary import DOMAIN_LABELS, Domain
from desktop.screens.home.tables import cell, fit_rows, one_line_table
from xiangyi.i18n import _

if TYPE_CHECKING:
    from assessments.mastery import DomainMastery
    from desktop.screens.home.chart import DomainChart


def _pct(value: float) -> str:
    return f"{round(100 * value)}%"


class DomainPanel(QGroupBox):
    """``case_title(case_id)`` names the cases in the evidence table."""

    def __init__(self, case_title: Callable[[str], str]) -> None:
        super().__init__(objectName="home_domains_box")
        self.case_title = case_title
        self.mastery: list[DomainMastery] = []
        # The chart needs pyqtgraph (about a second to import on a clinic PC): it is
        # built just after the page first shows, so the words appear at once.
        self.chart: DomainChart | None = None
        self.chart_slot = QWidget(objectName="home_chart_slot")
        self.chart_layout = QVBoxLayout(self.chart_slot)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.domains = QListWidget(objectName="home_domains")
        self.domains.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.domains.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.evidence_label = QLabel(objectName="home_evidence_label")
        self.evidence = one_line_table("home_evidence", 4, stretch=0)
        self.evidence_label.setBuddy(self.evidence)
        layout = QVBoxLayout(self)
        for widget in (self.chart_slot, self.domains, self.evidence_label, self.evidence):
            layout.addWidget(widget)
        self.domains.currentRowChanged.connect(self._show_domain)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("&Competency by domain"))
        self.evidence_label.setText(_("&Evidence behind the selected domain"))
        self.evidence.setHorizontalHeaderLabels(
            [_("Case"), _("Date"), _("Practice or exam"), _("Score")]
        )
        if self.mastery:
            self.show_mastery(self.mastery)

    def show_mastery(self, mastery: list[DomainMastery]) -> None:
        """One row and one bar per domain; the selection is kept."""
        from assessments.framework import builtin_framework

        self.mastery = mastery
        levels = {level.id: level.name.get() for level in builtin_framework().levels}
        current = self.domains.currentRow()
        self.domains.blockSignals(True)
        self.domains.clear()
        for index, item in enumerate(mastery):
            domain = _(DOMAIN_LABELS[Domain(item.domain)])
            if item.evidence_count:
                text = _("{i}. {domain}: {level}, {percent} ({n} cases)").format(
                    i=index + 1,
                    domain=domain,
                    level=levels.get(item.level, item.level),
                    percent=_pct(item.mean),
                    n=item.evidence_count,
                )
            else:  # a level without a single case would mislead
                text = _("{i}. {domain}: no evidence yet").format(i=index + 1, domain=domain)
            self.domains.addItem(text)
            self.domains.item(index).setToolTip(text)
        self.domains.blockSignals(False)
        if self.chart is None:
            QTimer.singleShot(0, self, self._make_chart)  # dropped if the page is gone
        else:
            self._draw_chart()
        self.domains.setCurrentRow(current if 0 <= current < len(mastery) else 0)
        self._show_domain(self.domains.currentRow())

    def fit(self, line: int) -> None:
        """Sizes for the current font (``line``: its line height)."""
        self.chart_slot.setFixedHeight(max(170, 11 * line))
        fit_rows(self.evidence, 5)
        rows = sum(self.domains.sizeHintForRow(r) for r in range(self.domains.count()))
        self.domains.setFixedHeight(max(rows, line) + 2 * self.domains.frameWidth() + 4)

    def _make_chart(self) -> None:
        from desktop.screens.home.chart import DomainChart

        if self.chart is not None:
            return
        self.chart = DomainChart()
        self.chart.picked.connect(self.domains.setCurrentRow)
        self.chart_layout.addWidget(self.chart)
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self.chart is None:
            return
        rows = self.mastery
        self.chart.show_domains(
            [m.mean for m in rows],
            [m.lower for m in rows],
            [m.upper for m in rows],
            [m.evidence_count > 0 for m in rows],
        )
        self.chart.select(max(0, self.domains.currentRow()))

    def _show_domain(self, row: int) -> None:
        if not 0 <= row < len(self.mastery):
            return
        if self.chart is not None:
            self.chart.select(row)
        item = self.mastery[row]
        self.evidence.setRowCount(len(item.evidence))
        for index, evidence in enumerate(reversed(item.evidence)):
            source = _("Exam") if evidence.source == "exam" else _("Practice")
            score = _pct(evidence.credit) + (" ⚠" if evidence.critical_error else "")
            cells = [self.case_title(evidence.case_id), evidence.at[:10], source, score]
            for col, text in enumerate(cells):
                self.evidence.setItem(index, col, cell(text))
        fit_rows(self.evidence, 5)
