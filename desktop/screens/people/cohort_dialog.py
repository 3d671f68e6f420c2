"""Import a cohort: save the template, check a filled file (dry run: every problem by
row, nothing written), then import it in one go with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.task_progress import run_with_progress
from desktop.tasks import run_in_background
from desktop.widgets import ask, read_only_table
from xiangyi.i18n import _, ngettext

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.cohort_import import CohortCheck, CohortResult

_SHEETS = "*.xlsx *.csv"


class CohortDialog(QDialog):
    """``imported`` is emitted after accounts were created (the table redraws)."""

    imported = Signal()

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent, objectName="cohort_dialog")
        self.ctx = ctx
        self.result: CohortResult | None = None
        self.checked: CohortCheck | None = None
        self.setWindowTitle(_("Import a cohort"))
        self.resize(900, 560)
        steps = QLabel(
            _(
                "1. Save the template and fill in one person per row (Excel or WPS).  "
                "2. Choose the file and check it: every problem is listed by row and nothing "
                "is written.  3. When the check finds no problem, import everyone at once."
            )
        )
        steps.setWordWrap(True)
        self.template_button = QPushButton(_("Save the &template…"), objectName="save_template")
        self.path = QLineEdit(objectName="cohort_file")
        self.path.setPlaceholderText(_("The filled-in file (.xlsx or .csv)"))
        self.browse = QPushButton(_("&Choose file…"), objectName="choose_cohort_file")
        self.check_button = QPushButton(_("C&heck (dry run)"), objectName="check_cohort")
        self.import_button = QPushButton(objectName="run_cohort_import")
        self.import_button.setText(_("&Import"))
        self.import_button.setEnabled(False)
        self.passwords_button = QPushButton(
            _("Save the generated &passwords…"), objectName="save_passwords"
        )
        self.passwords_button.setVisible(False)
        self.summary = QLabel(objectName="cohort_summary")
        self.summary.setWordWrap(True)
        self.problems = read_only_table("cohort_problems", 2, stretch=1)
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Problem")])
        close = QPushButton(_("Close"), objectName="close_cohort")

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        file_row.addWidget(self.check_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.template_button)
        bottom.addStretch(1)
        bottom.addWidget(self.passwords_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(steps)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(bottom)

        self.template_button.clicked.connect(self._ask_template)
        self.browse.clicked.connect(self._choose)
        self.check_button.clicked.connect(self.check)
        self.path.textChanged.connect(lambda _text: self.import_button.setEnabled(False))
        self.import_button.clicked.connect(self.run_import)
        self.passwords_button.clicked.connect(self._ask_passwords)
        close.clicked.connect(self.close_dialog)
        self.passwords_saved = False

    # -- files ------------------------------------------------------------------------------
    def _ask_template(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the template"), "cohort-template.xlsx", _SHEETS
        )
        if name:
            self.save_template(Path(name))

    def save_template(self, path: Path) -> None:
        """Write the template to ``path`` (.xlsx, or .csv by its suffix)."""
        from records.cohort_import import write_template

        try:
            write_template(path)
        except OSError as exc:
            self.summary.setText(_("The file could not be saved: {error}").format(error=exc))
            return
        self.summary.setText(_("Template saved to {path}.").format(path=path))

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose the cohort file"), "", _SHEETS)
        if name:
            self.path.setText(name)
            self.check()

    # -- dry run and import ---------------------------------------------------------------
    def check(self) -> None:
        """Run the dry run off the UI thread and list what it found."""
        from records.cohort_import import check_cohort

        text = self.path.text().strip()
        if not text:
            self.summary.setText(_("Choose the filled-in file first."))
            return
        path = Path(text)
        self.check_button.setEnabled(False)
        self.summary.setText(_("Checking…"))
        run_in_background(lambda: check_cohort(self.ctx.db, path), self._checked, self._failed)

    def _checked(self, check: CohortCheck) -> None:
        from records.cohort_import import problems_text

        self.checked = check
        self.check_button.setEnabled(True)
        self.problems.setRowCount(len(check.problems))
        for index, (problem, line) in enumerate(
            zip(check.problems, problems_text(check), strict=True)
        ):
            row_text = str(problem.row) if problem.row else ""
            self.problems.setItem(index, 0, QTableWidgetItem(row_text))
            self.problems.setItem(
                index, 1, QTableWidgetItem(problem.message if problem.row else line)
            )
        count = len(check.people)
        if check.ok:
            self.summary.setText(
                ngettext(
                    "No problems: {n} person is ready to import.",
                    "No problems: {n} people are ready to import.",
                    count,
                ).format(n=count)
            )
            self.import_button.setText(
                ngettext("&Import {n} person", "&Import {n} people", count).format(n=count)
            )
        else:
            bad = len(check.problem_rows())
            self.summary.setText(
                ngettext(
                    "{bad} row has problems; nothing was written. Correct the file and check "
                    "it again.",
                    "{bad} rows have problems; nothing was written. Correct the file and check "
                    "it again.",
                    bad,
                ).format(bad=bad)
                if bad
                else _("The file cannot be imported; nothing was written.")
            )
        self.import_button.setEnabled(check.ok)

    def run_import(self) -> None:
        """Create every account in one transaction, with a progress dialog."""
        from records.cohort_import import import_cohort

        path = Path(self.path.text().strip())
        self.import_button.setEnabled(False)

        def work(progress: Any, cancelled: Any) -> CohortResult:
            return import_cohort(
                self.ctx.db, self.ctx.user, path, progress=progress, cancelled=cancelled
            )

        run_with_progress(
            self, "cohort_progress", _("Import a cohort"), _("Creating the accounts…"),
            work, self._imported, self._failed,
        )  # fmt: skip

    def _imported(self, result: CohortResult) -> None:
        self.result = result
        lines = [
            ngettext("{n} account created.", "{n} accounts created.", result.created).format(
                n=result.created
            )
        ]
        if result.temporary_passwords:
            lines.append(
                _(
                    "{n} people had no initial password and got a generated one: save the "
                    "list and hand each person theirs."
                ).format(n=len(result.temporary_passwords))
            )
        self.summary.setText(" ".join(lines))
        self.problems.setRowCount(0)
        self.passwords_button.setVisible(bool(result.temporary_passwords))
        self.imported.emit()

    def _failed(self, exc: Exception) -> None:
        from records.accounts import AccountError
        from records.cohort_import import CohortError

        self.check_button.setEnabled(True)
        if isinstance(exc, (CohortError, AccountError)):
            self.summary.setText(str(exc))
        else:
            self.summary.setText(_("The import failed; nothing was written. See the log file."))

    def close_dialog(self) -> None:
        """Close; generated passwords not yet saved would be lost, so ask first."""
        if self.result is None or not self.result.temporary_passwords or self.passwords_saved:
            self.accept()
            return
        ask(
            self,
            "unsaved_passwords_box",
            _("Passwords not saved"),
            _(
                "The generated passwords have not been saved. After closing they cannot be "
                "shown again; each person would need a password reset. Close anyway?"
            ),
            (_("Close without saving"), _("Go back")),
            self.accept,
            default_yes=False,
        )

    def reject(self) -> None:  # Esc and the window's close button ask too
        if self.result is None or not self.result.temporary_passwords or self.passwords_saved:
            super().reject()
        else:
            self.close_dialog()

    def _ask_passwords(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the generated passwords"), "initial-passwords.csv", "*.csv"
        )
        if name:
            self.save_passwords(Path(name))

    def save_passwords(self, path: Path) -> None:
        """Write "user name, password" lines (UTF-8 with BOM, so Excel shows Chinese)."""
        import csv

        if self.result is None:
            return
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_("User name"), _("Temporary password")])
            writer.writerows(self.result.temporary_passwords)
        self.passwords_saved = True
        self.summary.setText(_("Passwords saved to {path}. Keep the file safe.").format(path=path))
