"""Administrator: the report screen. Filters (institution with those below it, date
range), the charts and tables of ``records.report_views``, and the exports, which
write the report on screen. Building and exporting run off the UI thread with a
progress dialog and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import files
from desktop.screens.admin.common import failure_text, heading_label
from desktop.screens.reports import charts
from desktop.screens.reports.tables import fill, fill_bundles, report_table
from desktop.task_progress import run_with_progress
from desktop.widgets import Screen, error_label, show_error
from xiangyi.i18n import N_, _, current_language

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.report_views import Period, ReportView
    from records.reports.catalogue import Catalogue
    from records.reports.service import ExportResult

PathProvider = Callable[[QWidget, str, str, str], Path | None]
FILTERS = {
    "xlsx": N_("Excel workbooks (*.xlsx)"),
    "csv": N_("CSV files (*.csv)"),
    "pdf": N_("PDF documents (*.pdf)"),
    "xapi": N_("xAPI statements (*.jsonl)"),
}
TABLE_TITLES = {
    "institutions": N_("Institution s&ummaries"),
    "domains": N_("&Domains"),
    "ai_kinds": N_("&AI kinds"),
    "doctors": N_("Do&ctors"),
}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ReportsScreen(Screen):
    """``choose_path(parent, title, suggested, filters)`` asks where to save an export
    (the file dialog by default; tests pass their own)."""

    def __init__(self, ctx: AppContext, choose_path: PathProvider | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.choose_path = choose_path
        self.view: ReportView | None = None
        self.catalogue: Catalogue | None = None
        self.busy = False
        self.dialog: Any = None
        self.charts_made = False
        self.heading = heading_label()
        filters = self._filters()
        self.figures = QLabel(objectName="report_figures", wordWrap=True)
        self.export_buttons = {
            kind: QPushButton(objectName=f"report_export_{kind}") for kind in FILTERS
        }
        exports = QHBoxLayout()
        exports.addWidget(self.figures, 1)
        for button in self.export_buttons.values():
            exports.addWidget(button)
        self.tabs = QTabWidget(objectName="report_tabs")
        self.tabs.addTab(self._overview(), "")
        self.tables = {key: report_table(f"report_table_{key}") for key in TABLE_TITLES}
        for table in self.tables.values():
            self.tabs.addTab(table, "")
        self.message = QLabel(objectName="report_message", wordWrap=True)
        self.error = error_label("report_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addLayout(exports)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.use_start.toggled.connect(self.start.setEnabled)
        self.use_end.toggled.connect(self.end.setEnabled)
        self.show_button.clicked.connect(self.show_report)
        for kind, button in self.export_buttons.items():
            button.clicked.connect(lambda _c=False, k=kind: self.export(k))
        self.retranslate()

    def _filters(self) -> QHBoxLayout:
        """The institution (with those below it) and the optional date range."""
        self.place_label = QLabel()
        self.place = QComboBox(objectName="report_institution")
        self.place.setMinimumContentsLength(18)
        self.place_label.setBuddy(self.place)
        self.use_start = QCheckBox(objectName="report_use_start")
        self.start = QDateEdit(objectName="report_start", calendarPopup=True)
        self.use_end = QCheckBox(objectName="report_use_end")
        self.end = QDateEdit(objectName="report_end", calendarPopup=True)
        today = date.today()
        self.start.setDate(_qdate(today.replace(month=1, day=1)))
        self.end.setDate(_qdate(today))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.show_button = QPushButton(objectName="report_show")
        filters = QHBoxLayout()
        for widget in (self.place_label, self.place, self.use_start, self.start):
            filters.addWidget(widget)
        for widget in (self.use_end, self.end, self.show_button):
            filters.addWidget(widget)
        filters.addStretch(1)
        return filters

    def _overview(self) -> QWidget:
        page = QWidget(objectName="report_overview")
        grid = QGridLayout(page)
        grid.setContentsMargins(4, 4, 4, 4)
        self.bundles = report_table("report_bundles")
        self.boxes: list[QGroupBox] = []
        self.box_layouts: list[QVBoxLayout] = []
        for n in range(4):
            box = QGroupBox()
            inside = QVBoxLayout(box)
            inside.setContentsMargins(4, 4, 4, 4)
            grid.addWidget(box, n // 2, n % 2)
            self.boxes.append(box)
            self.box_layouts.append(inside)
        self.box_layouts[3].addWidget(self.bundles)
        return page

    def _make_charts(self) -> None:
        """The charts need pyqtgraph (a second to import on a clinic PC): they are made
        when the page is first shown, not when the administrator signs in."""
        if self.charts_made:
            return
        self.progress_chart = charts.progress_chart()
        self.domain_chart = charts.domain_chart()
        self.kind_chart = charts.kind_chart()
        for layout, chart in zip(
            self.box_layouts, (self.progress_chart, self.domain_chart, self.kind_chart),
            strict=False,
        ):  # fmt: skip
            layout.addWidget(chart)
        self.charts_made = True
        self._show_view()

    # -- language and state ----------------------------------------------------------
    def retranslate(self) -> None:
        from desktop.screens.people.places import fill_institutions

        self.heading.setText(_("Reports"))
        self.place_label.setText(_("&Institution"))
        fill_institutions(self.place, self.ctx.db, _("All institutions"))
        self.use_start.setText(_("&From"))
        self.use_end.setText(_("&To"))
        self.show_button.setText(_("&Show report"))
        texts = {
            "xlsx": _("E&xcel (XLSX)…"),
            "csv": _("CS&V…"),
            "pdf": _("Institution &PDF…"),
            "xapi": _("xAPI &learning records…"),
        }
        for kind, button in self.export_buttons.items():
            button.setText(texts[kind])
        titles = (
            _("Cohort progress and pass rates"),
            _("Mean level by competency domain"),
            _("Over-reliance and critical errors by AI kind"),
            _("Record bundles: last exported and imported"),
        )
        for box, title in zip(self.boxes, titles, strict=True):
            box.setTitle(title)
        self.tabs.setTabText(0, _("&Overview"))
        for n, key in enumerate(TABLE_TITLES, start=1):
            self.tabs.setTabText(n, _(TABLE_TITLES[key]))
        self._show_view()

    def refresh(self) -> None:
        """Called when the page is about to show (and when content changes): the
        institutions and the bundle times. The report is built when the page shows."""
        from desktop.screens.people.places import fill_institutions

        fill_institutions(self.place, self.ctx.db, _("All institutions"))
        self._show_bundles()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Only a shown page builds its report: a refresh of every page (new content)
        # must not put a progress dialog in front of another page.
        self._make_charts()
        if self.view is None and not self.busy:
            QTimer.singleShot(0, self, self.show_report)

    def _enable(self) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(self.view is not None and not self.busy)
        self.show_button.setEnabled(not self.busy)

    def _say(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)

    def _fail(self, exc: Exception) -> None:
        from records.reports.record import Cancelled

        self.busy = False
        self._enable()
        if isinstance(exc, Cancelled):
            self._say(_("Stopped. Nothing was written."))
            return
        self.message.setText("")
        show_error(self.error, failure_text(exc))

    # -- filters and building ----------------------------------------------------------
    def period(self) -> Period:
        from records.report_views import Period

        start = self.start.date().toPython() if self.use_start.isChecked() else None
        end = self.end.date().toPython() if self.use_end.isChecked() else None
        return Period(start, end)

    def show_report(self) -> None:
        """Build the report for the chosen institution and dates in the background."""
        from records import report_views
        from records.reports.catalogue import load_catalogue

        if self.busy:
            return
        period = self.period()
        if period.start and period.end and period.start > period.end:
            show_error(self.error, _("The start date is after the end date."))
            return
        self.busy = True
        self._enable()
        self._say("")
        db, data_dir = self.ctx.db, self.ctx.data_dir
        place = self.place.currentData() or None

        def work(progress: Any, cancelled: Any) -> tuple[Any, ReportView]:
            catalogue = load_catalogue(db, data_dir)  # packs may have been installed
            view = report_views.build_view(
                db, catalogue, institution_id=place, period=period,
                progress=progress, cancelled=cancelled,
            )  # fmt: skip
            return catalogue, view

        def done(result: tuple[Catalogue, ReportView]) -> None:
            self.busy = False
            self.catalogue, self.view = result
            self._enable()
            self._show_view()

        self.dialog = run_with_progress(
            self, "report_progress", _("Reports"), _("Gathering the records…"), work, done,
            self._fail,
        )  # fmt: skip

    def _show_bundles(self) -> None:
        from records.bundles import imports_by_device, last_export

        fill_bundles(self.bundles, last_export(self.ctx.db), imports_by_device(self.ctx.db))

    def _show_view(self) -> None:
        self._enable()
        if self.view is None:
            return
        from records import report_views as rv

        lang, view = current_language(), self.view
        for key, table in self.tables.items():
            columns, rows = view.table(key)
            fill(table, columns, rows, lang)
        self._show_figures(view)
        if not self.charts_made:
            return
        bars = rv.progress_bars(view, lang)
        self.progress_chart.show_bars(
            [f"{b.label} ({b.doctors})" for b in bars],
            [
                ("sat", _("Sat the certification exam"), [b.sat_share for b in bars]),
                ("passed", _("Pass rate"), [b.pass_rate for b in bars]),
                ("certified", _("Hold a valid certificate"), [b.certified_share for b in bars]),
            ],
            charts.percent_text,
        )
        domains = rv.domain_chart(view, lang)
        self.domain_chart.set_ticks(rv.level_ticks(lang))
        self.domain_chart.show_bars(
            domains.domains,
            [(s.label, s.label, s.levels) for s in domains.series],
            charts.level_text,
            _("More institutions in the Domains table.") if domains.more else "",
        )
        kinds = rv.kind_bars(view, lang)
        self.kind_chart.show_bars(
            [k.label for k in kinds],
            [
                ("over_reliance", _("Over-reliance rate"), [k.over_reliance_rate for k in kinds]),
                ("critical", _("Critical-error rate"), [k.critical_error_rate for k in kinds]),
            ],
            charts.percent_text,
        )

    def _show_figures(self, view: ReportView) -> None:
        total = view.total
        hours = "—" if total.study_hours_mean is None else f"{total.study_hours_mean:.1f}"
        rate = charts.percent_text(total.pass_rate)
        self.figures.setText(
            _(
                "{doctors} doctors · mean study hours {hours} · certification pass rate "
                "{rate} · {certified} hold a valid certificate · as of {day}"
            ).format(
                doctors=total.doctors,
                hours=hours,
                rate=rate,
                certified=total.certified,
                day=view.report.as_of.isoformat(),
            )
        )

    # -- exports -----------------------------------------------------------------------
    def choose_target(self, kind: str, suggested: str) -> Path | None:
        """Where to write an export (None: the person cancelled)."""
        ask = self.choose_path or files.choose_save_path
        return ask(self, _("Export the report"), suggested, _(FILTERS[kind]))

    def export(self, kind: str) -> None:
        """Write the report on screen as ``kind`` in the background (with Cancel)."""
        from records import report_views

        view, catalogue = self.view, self.catalogue
        if view is None or catalogue is None or self.busy:
            return
        target = self.choose_target(kind, report_views.suggested_name(view, kind))
        if target is None:
            return
        self.busy = True
        self._enable()
        self._say(_("Writing {name}…").format(name=target.name))
        db, user, lang = self.ctx.db, self.ctx.user, current_language()

        def work(progress: Any, cancelled: Any) -> ExportResult:
            return report_views.export_view(
                db, user, view, kind, target, catalogue, lang=lang,
                progress=progress, cancelled=cancelled,
            )  # fmt: skip

        def done(result: ExportResult) -> None:
            self.busy = False
            self._enable()
            if result.doctors is None:
                text = _("Saved {path} (xAPI statements: {n}).")
            else:
                text = _("Saved {path} (doctors: {n}).")
            message = text.format(path=result.path, n=result.items)
            self._say(message)
            files.offer_folder(self, "report_saved_box", message, result.path)

        self.dialog = run_with_progress(
            self, "report_export_progress", _("Export the report"),
            _("Writing {name}…").format(name=target.name), work, done, self._fail,
        )  # fmt: skip
