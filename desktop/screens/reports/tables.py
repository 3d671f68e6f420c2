"""The report screen's tables: each is filled from the export column specs
(``records.reports.columns``), cell text from ``columns.display``, so a table shows
what the matching XLSX sheet holds. Plus the record-bundle times per clinic PC."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from xiangyi.i18n import _

if TYPE_CHECKING:
    from records.bundles import DeviceImports
    from records.reports.columns import ColumnSpec

# Text columns wider than this many characters are cut (the full text is the tooltip).
WIDEST = 40


def report_table(name: str) -> QTableWidget:
    """A read-only table that scrolls both ways (the doctors table has 35 columns)."""
    table = QTableWidget(0, 0, objectName=name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def fill(
    table: QTableWidget, columns: Sequence[ColumnSpec[Any]], rows: Sequence[Any], lang: str
) -> None:
    """Headers and cells of ``rows`` under ``columns`` in ``lang``."""
    from records.reports.columns import display

    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(columns))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels([spec.header(lang) for spec in columns])
    for r, row in enumerate(rows):
        for c, spec in enumerate(columns):
            text = display(spec, row, lang)
            item = QTableWidgetItem(text)
            if spec.numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if len(text) > 12:
                item.setToolTip(text)
            table.setItem(r, c, item)
    metrics = table.fontMetrics()
    for c, spec in enumerate(columns):
        # The export's width in characters; a Chinese character is about two.
        width = metrics.horizontalAdvance("0") * min(spec.width, WIDEST) + 16
        header = metrics.horizontalAdvance(spec.header(lang)) + 24
        table.setColumnWidth(c, max(width, min(header, 2 * width)))


def cell_texts(table: QTableWidget) -> list[list[str]]:
    """Every cell's text, row by row (what a person reads)."""
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def fill_bundles(table: QTableWidget, last_export: Any, devices: Sequence[DeviceImports]) -> None:
    """This PC's last bundle export, then the last import from every clinic PC."""
    table.clear()
    table.setColumnCount(4)
    table.setHorizontalHeaderLabels([_("Clinic PC"), _("Signed by"), _("Time"), _("Bundles")])
    rows: list[tuple[str, str, str, str]] = [
        (
            _("This PC: last exported"),
            "",
            _when(last_export) if last_export else _("never"),
            "",
        )
    ]
    rows += [
        (
            _("Last imported from PC {device}").format(device=d.device_id[:8]),
            d.signer,
            _when(d.last_import),
            str(d.bundles),
        )
        for d in devices
    ]
    table.setRowCount(len(rows))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def _when(moment: Any) -> str:
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))
