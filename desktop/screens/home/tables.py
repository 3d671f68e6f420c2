"""Compact tables for the home page: one line per row, the full text as a tooltip, and
as tall as their rows so the page scrolls rather than each table."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from desktop.widgets import read_only_table


def one_line_table(name: str, columns: int, stretch: int) -> QTableWidget:
    """A read-only table of one-line rows: long text ends in "…"."""
    table = read_only_table(name, columns, stretch)
    table.setWordWrap(False)
    return table


def cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def fit_rows(table: QTableWidget, most: int) -> None:
    """Make a table as tall as its rows (at least two, at most ``most``); the page
    scrolls instead of the table, which reads better at large text sizes."""
    table.resizeRowsToContents()
    rows = max(2, min(most, table.rowCount()))
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(min(rows, table.rowCount())))
    height += table.verticalHeader().defaultSectionSize() * max(0, rows - table.rowCount())
    table.setFixedHeight(height + 2)
