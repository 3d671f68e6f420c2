"""The administrator's report screen: filters, charts and tables of the competency
records, and their exports (view, charts, tables)."""

from desktop.screens.reports.view import ReportsScreen

__all__ = ["ReportsScreen"]
