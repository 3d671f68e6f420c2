"""The studio's case list: search and filters by domain, AI kind, AI error and status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QTableWidgetItem, QVBoxLayout

from case_bank.vocabulary import AI_ERROR_LABELS, DOMAIN_LABELS
from desktop.studio.case_editor import STATUS_LABELS
from desktop.studio.case_tabs import KIND_LABELS
from desktop.studio.session import StudioSession
from desktop.widgets import Screen, read_only_table
from xiangyi.i18n import _, current_language

ROLE = 256  # Qt.UserRole: the row's file name


class CaseList(Screen):
    """``chosen(rel)`` when the trainer picks a case."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.session: StudioSession | None = None
        self.search = QLineEdit(objectName="case_search")
        self.search.setClearButtonEnabled(True)
        self.filters = {
            "domain": QComboBox(objectName="filter_domain"),
            "kind": QComboBox(objectName="filter_kind"),
            "error": QComboBox(objectName="filter_error"),
            "status": QComboBox(objectName="filter_status"),
        }
        self.table = read_only_table("studio_cases", 3, stretch=1)
        grid = QGridLayout()
        for index, combo in enumerate(self.filters.values()):
            grid.addWidget(combo, index // 2, index % 2)
            combo.currentIndexChanged.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search cases (ID or title)"))
        choices = {
            "domain": (_("All domains"), DOMAIN_LABELS),
            "kind": (_("All AI kinds"), KIND_LABELS),
            "error": (_("All AI errors"), AI_ERROR_LABELS),
            "status": (_("Any status"), STATUS_LABELS),
        }
        for key, (everything, labels) in choices.items():
            combo = self.filters[key]
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value, label in labels.items():
                combo.addItem(_(label), str(value))
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        self.table.setHorizontalHeaderLabels([_("Case"), _("Title"), _("Status")])
        self.refresh()

    def set_session(self, session: StudioSession | None) -> None:
        self.session = session
        self.refresh()

    def _matches(self, rel: str, data: Any, status: str) -> bool:
        data = data if isinstance(data, dict) else {}
        wanted = {key: combo.currentData() for key, combo in self.filters.items()}
        if wanted["domain"] and wanted["domain"] not in (data.get("domains") or []):
            return False
        if wanted["kind"] and wanted["kind"] != data.get("ai_kind"):
            return False
        if wanted["error"] and wanted["error"] != data.get("ai_error"):
            return False
        if wanted["status"] and wanted["status"] != status:
            return False
        words = self.search.text().strip().lower()
        title = data.get("title") if isinstance(data.get("title"), dict) else {}
        haystack = " ".join([rel, str(data.get("id", "")), *map(str, title.values())]).lower()
        return not words or all(word in haystack for word in words.split())

    def refresh(self) -> None:
        """Rebuild the rows from the session (keeps the selected case)."""
        current = self.current()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        if self.session is not None:
            for rel, doc in self.session.project.cases.items():
                data = doc.get(())
                status = self.session.status(rel)
                if not self._matches(rel, data, status.status):
                    continue
                row = self.table.rowCount()
                self.table.insertRow(row)
                title = data.get("title") if isinstance(data, dict) else None
                text = title.get(current_language(), "") if isinstance(title, dict) else ""
                first = QTableWidgetItem(self.session.project.case_id(rel))
                first.setData(ROLE, rel)
                self.table.setItem(row, 0, first)
                self.table.setItem(row, 1, QTableWidgetItem(str(text or "")))
                label = _(STATUS_LABELS[status.status])
                self.table.setItem(
                    row, 2, QTableWidgetItem(f"{label} · {round(status.filled * 100)}%")
                )
                if rel == current:
                    self.table.selectRow(row)
        self.table.blockSignals(False)

    def current(self) -> str | None:
        items = self.table.selectedItems()
        if not items:
            return None
        first = self.table.item(items[0].row(), 0)
        return str(first.data(ROLE)) if first is not None else None

    def select(self, rel: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ROLE) == rel:
                self.table.selectRow(row)
                return
        # Filtered out: clear the filters so the case shows.
        self.search.clear()
        for combo in self.filters.values():
            combo.setCurrentIndex(0)
        self.refresh()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ROLE) == rel:
                self.table.selectRow(row)

    def _selected(self) -> None:
        rel = self.current()
        if rel is not None:
            self.chosen.emit(rel)
