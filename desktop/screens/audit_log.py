"""Administrator: the security log with filters (dates, who, event type, text) and export
as CSV or XLSX."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop import files
from desktop.tasks import run_in_background
from desktop.theme import heading
from desktop.widgets import Screen, error_label, read_only_table, show_error
from records.audit_log import EVENT_LABELS, AuditFilter, AuditRow, event_label
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from desktop.context import AppContext

__all__ = ["EVENT_LABELS", "AuditLogScreen"]
SUBJECT_COLUMN, DETAILS_COLUMN = 3, 4


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditLogScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[AuditRow] = []
        self.heading = QLabel()
        heading(self.heading, 16)
        self.use_dates = QCheckBox(objectName="audit_use_dates")
        today = _qdate(date.today())
        self.since = QDateEdit(today.addDays(-30), objectName="audit_since", calendarPopup=True)
        self.until = QDateEdit(today, objectName="audit_until", calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.until_label = QLabel()
        self.actor = QComboBox(objectName="audit_actor")
        self.event_type = QComboBox(objectName="audit_event")
        self.text = QLineEdit(objectName="audit_text")
        self.text.setClearButtonEnabled(True)
        self.text_label = QLabel()
        self.text_label.setBuddy(self.text)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since)
        dates.addWidget(self.until_label)
        dates.addWidget(self.until)
        dates.addWidget(self.actor, 1)
        dates.addWidget(self.event_type, 1)
        search = QHBoxLayout()
        search.addWidget(self.text_label)
        search.addWidget(self.text, 1)
        self.table = read_only_table("audit_table", 5, stretch=DETAILS_COLUMN)
        # Fingerprints and IDs would otherwise push the details off the screen.
        self.table.horizontalHeader().setSectionResizeMode(
            SUBJECT_COLUMN, QHeaderView.ResizeMode.Interactive
        )
        self.table.setColumnWidth(SUBJECT_COLUMN, 260)
        self.count = QLabel(objectName="audit_count")
        self.csv_button = QPushButton(objectName="audit_export_csv")
        self.xlsx_button = QPushButton(objectName="audit_export_xlsx")
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.csv_button)
        actions.addWidget(self.xlsx_button)
        self.message = QLabel(objectName="audit_message", wordWrap=True)
        self.error = error_label("audit_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(dates)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.error)

        self.use_dates.toggled.connect(self._dates_toggled)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self._show)
        self.actor.currentIndexChanged.connect(self._show)
        self.event_type.currentIndexChanged.connect(self._show)
        self.text.textChanged.connect(self._show)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Security log"))
        self.use_dates.setText(_("&From"))
        self.until_label.setText(_("to"))
        self.text_label.setText(_("&Search"))
        self.text.setPlaceholderText(_("Any text in the event, name or details"))
        self.table.setHorizontalHeaderLabels(
            [_("Time"), _("Event"), _("By"), _("Subject"), _("Details")]
        )
        self.csv_button.setText(_("Export &CSV…"))
        self.xlsx_button.setText(_("Export &XLSX…"))
        self.refresh()

    def refresh(self) -> None:
        """Reload the choices (new people or events may have appeared) and the rows."""
        from records import audit_log

        for combo, everyone, choices in (
            (self.actor, _("Everyone"), audit_log.actors(self.ctx.db)),
            (
                self.event_type,
                _("Every event"),
                sorted(
                    ((e, event_label(e)) for e in audit_log.event_types(self.ctx.db)),
                    key=lambda pair: pair[1],
                ),
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for key, label in choices:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)
        self._show()

    def current_filter(self) -> AuditFilter:
        dated = self.use_dates.isChecked()
        return AuditFilter(
            since=self.since.date().toPython() if dated else None,  # type: ignore[arg-type]
            until=self.until.date().toPython() if dated else None,  # type: ignore[arg-type]
            actor_id=self.actor.currentData(),
            event=self.event_type.currentData(),
            text=self.text.text(),
        )

    def _dates_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self._show()

    def _show(self) -> None:
        from records import audit_log

        self.rows = audit_log.search(self.ctx.db, self.current_filter())
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            cells = row.cells()
            for column, text in enumerate((cells[0], cells[1], cells[3], cells[4], cells[5])):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
        self.count.setText(
            ngettext("{n} event shown", "{n} events shown", len(self.rows)).format(n=len(self.rows))
        )
        self.csv_button.setEnabled(bool(self.rows))
        self.xlsx_button.setEnabled(bool(self.rows))

    def export(self, kind: str) -> None:
        """Ask where, then write the rows shown off the UI thread."""
        from records import audit_log

        filters = _("CSV files (*.csv)") if kind == "csv" else _("Excel workbooks (*.xlsx)")
        suggested = "{name}-{day}.{kind}".format(
            name=files.safe_file_name(_("Security log")), day=date.today().isoformat(), kind=kind
        )
        target = files.choose_save_path(self, _("Export the security log"), suggested, filters)
        if target is None:
            return
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(f"{target.name}.{kind}")
        rows = list(self.rows)
        actor_id = self.ctx.user.id if self.ctx.user else None
        show_error(self.error, "")
        self.message.setText(_("Saving {name}…").format(name=target.name))

        def done(path: Path) -> None:
            message = _("Saved {path}.").format(path=path)
            self.message.setText(message)
            files.offer_folder(self, "saved_box", message, path)

        def failed(exc: Exception) -> None:
            self.message.setText("")
            show_error(
                self.error, _("A file could not be read or written: {error}").format(error=exc)
            )

        def work() -> Any:
            return audit_log.export(self.ctx.db, rows, target, actor_id=actor_id)

        run_in_background(work, done, failed)
