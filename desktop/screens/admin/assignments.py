"""Administrator: assign a training module or an exam, with a due date, to one person or
to everyone of an institution (and the institutions under it); list assignments with
how many of the people they cover are done or overdue, and withdraw them. The rules
live in records.assignments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.screens.admin.common import failure_text, heading_label
from desktop.widgets import Screen, ask, error_label, read_only_table, show_error
from records.assignments import Progress
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.tables import Assignment

MODULE, EXAM = "module", "exam"
DEFAULT_DAYS = 30


def progress_text(progress: Progress) -> str:
    """ "3 of 10 done, 2 overdue" for the progress column."""
    if not progress.total:
        return _("nobody yet")
    text = _("{done} of {total} done").format(done=progress.done, total=progress.total)
    if progress.overdue:
        text += _(", {n} overdue").format(n=progress.overdue)
    return text


class AssignmentsScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.assignments: list[Assignment] = []
        self.titles: dict[str, str] = {}
        self.exams: dict[str, str] = {}
        self.places: dict[str, str] = {}
        self.heading = heading_label()
        self.form_box = QGroupBox(objectName="assign_box")
        self.kind = QComboBox(objectName="assign_kind")
        self.target = QComboBox(objectName="assign_target")
        self.to_person = QRadioButton(objectName="assign_to_person", checked=True)
        self.to_institution = QRadioButton(objectName="assign_to_institution")
        self.person = QComboBox(objectName="assign_person")
        self.institution = QComboBox(objectName="assign_institution")
        tomorrow = date.today() + timedelta(days=DEFAULT_DAYS)
        self.due = QDateEdit(objectName="assign_due", calendarPopup=True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.assign_button = QPushButton(objectName="assign_button")
        what = QHBoxLayout()
        what.addWidget(self.kind)
        what.addWidget(self.target, 1)
        person = QHBoxLayout()
        person.addWidget(self.to_person)
        person.addWidget(self.person, 1)
        institution = QHBoxLayout()
        institution.addWidget(self.to_institution)
        institution.addWidget(self.institution, 1)
        due = QHBoxLayout()
        due.addWidget(self.due)
        due.addStretch(1)
        due.addWidget(self.assign_button)
        self.form = QFormLayout(self.form_box)
        self.what_label, self.who_label, self.due_label = QLabel(), QLabel(), QLabel()
        self.what_label.setBuddy(self.target)
        self.due_label.setBuddy(self.due)
        self.form.addRow(self.what_label, what)
        self.form.addRow(self.who_label, person)
        self.form.addRow("", institution)
        self.form.addRow(self.due_label, due)
        self.table = read_only_table("assignment_list", 6, stretch=2)
        self.progress_run = 0  # the latest progress count; older ones are dropped
        self.remove_button = QPushButton(objectName="assignment_remove")
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.remove_button)
        self.message = QLabel(objectName="assign_message", wordWrap=True)
        self.error = error_label("assign_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.error)

        self.kind.currentIndexChanged.connect(self._fill_targets)
        self.to_person.toggled.connect(self._who_changed)
        self.assign_button.clicked.connect(self.assign)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Assignments"))
        self.form_box.setTitle(_("Assign a module or an exam"))
        self.what_label.setText(_("&What"))
        self.who_label.setText(_("To whom"))
        self.due_label.setText(_("&Due date"))
        self.to_person.setText(_("A &person"))
        self.to_institution.setText(_("Everyone in an &institution (and below it)"))
        self.assign_button.setText(_("&Assign"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Due date"),
                _("Kind"),
                _("Module or exam"),
                _("Assigned to"),
                _("Assigned by"),
                _("Progress"),
            ]
        )
        self.remove_button.setText(_("&Withdraw…"))
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("Training module"), MODULE)
        self.kind.addItem(_("Exam"), EXAM)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        from assessments.blueprints import builtin_blueprints
        from records.accounts import list_users
        from records.institutions import list_institutions

        self.titles = {m.module.id: m.module.title.get() for m in self.ctx.modules if m.module}
        self.exams = {key: b.title.get() for key, b in builtin_blueprints().items()}
        self._fill_targets()
        users = [u for u in list_users(self.ctx.db) if u.active]
        institutions = list_institutions(self.ctx.db)
        names = {u.id: f"{u.display_name} ({u.username})" for u in list_users(self.ctx.db)}
        self.places = {i.id: i.name_zh for i in institutions}
        _refill(self.person, [(u.id, names[u.id]) for u in users])
        _refill(self.institution, list(self.places.items()))
        self._who_changed()
        from records.assignments import list_all

        self.assignments = list_all(self.ctx.db)
        self.table.setRowCount(len(self.assignments))
        for row, item in enumerate(self.assignments):
            if item.module_id is not None:
                kind, title = _("Training module"), self.titles.get(item.module_id, item.module_id)
            else:
                target = item.blueprint_id or ""
                kind, title = _("Exam"), self.exams.get(target, target)
            if item.user_id is not None:
                assignee = names.get(item.user_id, item.user_id)
            else:
                place = item.institution_id or ""
                assignee = _("{name} (institution)").format(name=self.places.get(place, place))
            cells = (
                item.due_date.isoformat(),
                kind,
                title,
                assignee,
                names.get(item.assigned_by, ""),
            )
            for column, text in enumerate((*cells, _("counting…"))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._selected()
        self._count_progress()

    def _count_progress(self) -> None:
        """Fill the progress column from the records, off the UI thread (a county PC
        may hold thousands of doctors)."""
        from desktop.tasks import run_in_background
        from records.assignments import assignment_progress

        self.progress_run += 1
        run, db = self.progress_run, self.ctx.db
        modules = [m.module for m in self.ctx.modules if m.module]
        bank = self.ctx.bank()

        def show(found: dict[str, Progress]) -> None:
            if run != self.progress_run or not shiboken6.isValid(self.table):
                return  # a newer count is on its way, or the page is gone
            for row, item in enumerate(self.assignments):
                cell = self.table.item(row, 5)
                if cell is not None:
                    cell.setText(progress_text(found.get(item.id, Progress())))

        def failed(_exc: Exception) -> None:
            if run == self.progress_run and shiboken6.isValid(self.table):
                for row in range(self.table.rowCount()):
                    self.table.setItem(row, 5, QTableWidgetItem(_("not available")))

        run_in_background(lambda: assignment_progress(db, modules, bank), show, failed)

    def _fill_targets(self) -> None:
        choices = self.titles if self.kind.currentData() == MODULE else self.exams
        _refill(self.target, sorted(choices.items(), key=lambda pair: pair[1]))

    def _who_changed(self) -> None:
        self.person.setEnabled(self.to_person.isChecked())
        self.institution.setEnabled(not self.to_person.isChecked())

    def _selected(self) -> None:
        self.remove_button.setEnabled(0 <= self.table.currentRow() < len(self.assignments))

    def _fail(self, exc: Exception) -> None:
        self.message.setText("")
        show_error(self.error, failure_text(exc))

    def assign(self) -> None:
        from records.accounts import AccountError
        from records.assignments import AssignmentError, assign

        assert self.ctx.user is not None
        target = self.target.currentData()
        who = self.person if self.to_person.isChecked() else self.institution
        if target is None or who.currentData() is None:
            show_error(self.error, _("Choose what to assign and to whom."))
            return
        exam = self.kind.currentData() == EXAM
        try:
            assign(
                self.ctx.db,
                self.ctx.user,
                due=self.due.date().toPython(),  # type: ignore[arg-type]
                module_id=None if exam else target,
                blueprint_id=target if exam else None,
                user_id=who.currentData() if who is self.person else None,
                institution_id=who.currentData() if who is self.institution else None,
                known_modules=self.titles,
            )
        except (AssignmentError, AccountError) as exc:
            self._fail(exc)
            return
        show_error(self.error, "")
        self.message.setText(
            _("Assigned \u201c{title}\u201d to {who}, due {date}.").format(
                title=self.target.currentText(),
                who=who.currentText(),
                date=self.due.date().toString("yyyy-MM-dd"),
            )
        )
        self.refresh()

    def remove(self) -> None:
        from records.assignments import remove

        row = self.table.currentRow()
        if not 0 <= row < len(self.assignments):
            return
        chosen = self.assignments[row]
        title = self.table.item(row, 2).text()
        assignee = self.table.item(row, 3).text()

        def withdraw() -> None:
            assert self.ctx.user is not None
            try:
                remove(self.ctx.db, self.ctx.user, chosen.id)
            except Exception as exc:
                self._fail(exc)
                return
            show_error(self.error, "")
            self.message.setText(_("The assignment was withdrawn."))
            self.refresh()

        ask(
            self,
            "withdraw_box",
            _("Withdraw an assignment"),
            _(
                "Withdraw \u201c{title}\u201d from {who}? Work already done stays in the records."
            ).format(title=title, who=assignee),
            (_("Withdraw"), _("Cancel")),
            withdraw,
            default_yes=False,
        )


def _refill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
    """Replace a combo's choices (key, label), keeping the current one where possible."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for key, label in choices:
        combo.addItem(label, key)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
    combo.blockSignals(False)
