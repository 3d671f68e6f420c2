"""Prescription renderer: the prescription as a table, and the review tool's alerts.

Alerts are grouped by severity (critical, warning, information), each naming the
prescription lines it is about, exactly as the tool shows them: true and false alerts
look the same until ``show_truth`` marks each one after the decision.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from case_bank.outputs import AlertSeverity
from case_bank.outputs_text import PrescriptionAlert, PrescriptionOutput
from desktop.renderers.common import (
    SEVERITY_COLOURS,
    SEVERITY_ORDER,
    OutputView,
    chip_html,
    label_of,
    named,
)
from xiangyi.i18n import _

TRUE_STYLE = "color: #14532d; background: #dcfce7; border: 1px solid #16a34a; padding: 3px;"
FALSE_STYLE = "color: #334155; background: #e2e8f0; border: 1px solid #64748b; padding: 3px;"


class AlertCard(QFrame):
    """One alert as the tool shows it, with room for the verdict after the decision."""

    def __init__(self, alert: PrescriptionAlert, index: int) -> None:
        super().__init__()
        self.alert = alert
        self.setObjectName(f"rxAlert{index}")
        fill, _ink, border = SEVERITY_COLOURS[alert.severity]
        self.setStyleSheet(
            f"#rxAlert{index} {{ background: {fill}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 3px; }}"
        )
        self.text = named(QLabel(), f"rxAlertText{index}")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.verdict = named(QLabel(), f"rxAlertVerdict{index}")
        self.verdict.setWordWrap(True)
        self.verdict.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        layout.addWidget(self.verdict)


class PrescriptionView(OutputView):
    """Shows one ``PrescriptionOutput``: the items table and the grouped alert cards."""

    def __init__(self, output: PrescriptionOutput, parent: QWidget | None = None) -> None:
        super().__init__(output, "rx", parent)
        self.output: PrescriptionOutput = output

        self.table = named(QTableWidget(len(output.items), 7), "rxTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per prescription line, all rows alike
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)

        self.group_titles: dict[AlertSeverity, QLabel] = {}
        self.alert_cards: list[AlertCard] = []
        alerts_page = QWidget()
        column = QVBoxLayout(alerts_page)
        column.setContentsMargins(0, 0, 6, 0)
        self.alerts_title = named(QLabel(), "rxAlertsTitle")
        self.alerts_title.setStyleSheet("font-weight: bold;")
        column.addWidget(self.alerts_title)
        for severity in SEVERITY_ORDER:
            title = named(QLabel(), f"rxGroup_{severity.value}")
            title.setTextFormat(Qt.TextFormat.RichText)
            self.group_titles[severity] = title
            column.addWidget(title)
            for index, alert in enumerate(output.alerts):
                if alert.severity == severity:
                    card = AlertCard(alert, index)
                    self.alert_cards.append(card)
                    column.addWidget(card)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(alerts_page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.body.addWidget(self.table)
        self.body.addWidget(scroll, 1)
        self.retranslate()

    def header_text(self) -> str:
        counts = [
            (severity, sum(1 for a in self.output.alerts if a.severity == severity))
            for severity in SEVERITY_ORDER
        ]
        if not self.output.alerts:
            return _("AI prescription review: no alerts")
        summary = ", ".join(f"{label_of(s)} {n}" for s, n in counts if n)
        return _("AI prescription review: {n} alert(s) ({summary})").format(
            n=len(self.output.alerts), summary=summary
        )

    def _item_names(self, alert: PrescriptionAlert) -> str:
        return ", ".join(f"{i + 1}. {self.output.items[i].drug.get()}" for i in alert.items)

    def retranslate_body(self) -> None:
        output = self.output
        self.table.setHorizontalHeaderLabels(
            ["#", _("Drug"), _("Dose"), _("Route"), _("Frequency"), _("Duration"), _("Alerts")]
        )
        for row, item in enumerate(output.items):
            alerts = [a for a in output.alerts if row in a.items]
            flags = [label_of(s) for s in SEVERITY_ORDER if any(a.severity == s for a in alerts)]
            cells = [
                str(row + 1),
                item.drug.get(),
                item.dose,
                label_of(item.route),
                item.frequency.get(),
                item.duration.get() if item.duration else "—",
                " · ".join(flags),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 6 and alerts:
                    worst = next(s for s in SEVERITY_ORDER if any(a.severity == s for a in alerts))
                    fill, ink, _border = SEVERITY_COLOURS[worst]
                    cell.setBackground(QBrush(QColor(fill)))
                    cell.setForeground(QBrush(QColor(ink)))
                self.table.setItem(row, column, cell)
        self._fit_table()
        self.alerts_title.setText(
            _("Review alerts") if output.alerts else _("The review tool raised no alerts.")
        )
        for severity, title in self.group_titles.items():
            count = sum(1 for a in output.alerts if a.severity == severity)
            fill, ink, border = SEVERITY_COLOURS[severity]
            title.setText(chip_html(f"{label_of(severity)} ({count})", fill, ink, border))
            title.setVisible(count > 0)
        for card in self.alert_cards:
            alert = card.alert
            card.text.setText(
                f"<b>{escape(label_of(alert.kind))}</b>: {escape(alert.text.get())}<br>"
                + escape(_("Lines: {items}").format(items=self._item_names(alert)))
            )

    def _fit_table(self) -> None:
        """As tall as its rows (up to eight), so the alerts get the rest of the space."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(min(self.table.rowCount(), 8)))
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(rows + self.table.horizontalHeader().sizeHint().height() + frame)

    def show_truth_body(self, case: object) -> None:
        for card in self.alert_cards:
            right = card.alert.true_alert
            card.verdict.setText(
                _("✓ True alert: act on it.")
                if right
                else _("✗ False alert: clinically not relevant here.")
            )
            card.verdict.setStyleSheet(TRUE_STYLE if right else FALSE_STYLE)
            card.verdict.setVisible(True)
            if not right:
                card.text.setText(f"<s>{card.text.text()}</s>")
