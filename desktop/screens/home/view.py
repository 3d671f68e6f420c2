"""Home: where the doctor stands and what to do next, at a glance.

What next (one to three suggestions, each with a button), spaced review, modules with
progress and the next step, assignments with due dates, domain levels as a chart with
the evidence behind each, reliance in plain words, certificates and study time. All of
it comes from one core call (``records.home.home_picture``); this screen only shows it.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from case_bank.vocabulary import DOMAIN_LABELS, Domain
from courses.assignments import EXAM
from courses.recommend import Kind, Suggestion
from desktop.screens.home import words
from desktop.screens.home.domains import DomainPanel
from desktop.screens.home.tables import cell, fit_rows, one_line_table
from desktop.theme import heading
from desktop.widgets import Screen
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.screens.home.chart import DomainChart
    from records.home import HomePicture


class HomeScreen(Screen):
    """Signals ask the shell to open a module, start an exam, a review session of the
    given case IDs, or a practice session of the given case IDs."""

    open_module = Signal(str)
    start_exam = Signal(str)
    start_review = Signal(object)
    practise = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.picture: HomePicture | None = None
        self.next_rows: list[tuple[QLabel, QPushButton]] = []
        self._build()
        self.retranslate()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(objectName="home_heading")
        heading(self.heading, 16)
        self.study = QLabel(objectName="home_study", wordWrap=True)
        self.next_box = QGroupBox(objectName="home_next")
        self.next_grid = QGridLayout(self.next_box)
        self.next_empty = QLabel(objectName="home_next_empty", wordWrap=True)
        self.review_label = QLabel(objectName="home_review", wordWrap=True)
        self.review_button = QPushButton(objectName="home_start_review")
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_label, 1)
        review_row.addWidget(self.review_button)

        self.modules_box = QGroupBox(objectName="home_modules")
        self.modules = one_line_table("home_module_table", 3, stretch=2)
        # Title and next step share the width; progress keeps its size.
        self.modules.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton(objectName="home_open_module")
        self.assign_box = QGroupBox(objectName="home_assignments")
        self.assignments = one_line_table("home_assignment_table", 3, stretch=0)
        self.no_assignments = QLabel(objectName="home_no_assignments", wordWrap=True)
        self.assignment_button = QPushButton(objectName="home_open_assignment")
        self.cert_box = QGroupBox(objectName="home_certificates")
        self.certificates = QLabel(objectName="home_certificate_text", wordWrap=True)

        self.domain_box = DomainPanel(self.case_title)
        self.domains = self.domain_box.domains
        self.evidence = self.domain_box.evidence
        self.reliance_box = QGroupBox(objectName="home_reliance_box")
        self.reliance = QLabel(objectName="home_reliance", wordWrap=True)

        for box, widgets in (
            (self.modules_box, (self.modules, self.open_button)),
            (self.assign_box, (self.assignments, self.no_assignments, self.assignment_button)),
            (self.cert_box, (self.certificates,)),
            (self.reliance_box, (self.reliance,)),
        ):
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget)
        self.open_button.setMaximumWidth(self.open_button.sizeHint().width() * 3)
        left = QVBoxLayout()
        for box in (self.modules_box, self.assign_box, self.cert_box):
            left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.domain_box)
        right.addWidget(self.reliance_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        content = QWidget(objectName="home_content")
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.study)
        layout.addWidget(self.next_box)
        layout.addLayout(review_row)
        layout.addLayout(columns, 1)
        self.scroll = QScrollArea(objectName="home_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        self.review_button.clicked.connect(self._start_review)
        self.open_button.clicked.connect(lambda: self._open_module_row(self.modules.currentRow()))
        self.modules.cellActivated.connect(lambda row, _c: self._open_module_row(row))
        self.assignment_button.clicked.connect(
            lambda: self._open_assignment(self.assignments.currentRow())
        )
        self.assignments.cellActivated.connect(lambda row, _c: self._open_assignment(row))

    # -- language and refresh ---------------------------------------------------------------
    def retranslate(self) -> None:
        self.next_box.setTitle(_("What next"))
        self.review_button.setText(_("Start &review"))
        self.modules_box.setTitle(_("My &modules"))
        self.modules.setHorizontalHeaderLabels([_("Module"), _("Progress"), _("Next step")])
        self.open_button.setText(_("&Open module"))
        self.assign_box.setTitle(_("A&ssignments"))
        self.assignments.setHorizontalHeaderLabels([_("What"), _("Due date"), _("State")])
        self.no_assignments.setText(_("Nothing is assigned to you at the moment."))
        self.assignment_button.setText(_("Open the &assignment"))
        self.cert_box.setTitle(_("Certificates"))
        self.reliance_box.setTitle(_("How you rely on the AI"))
        self.domain_box.retranslate()
        if self.picture is not None:
            self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange and self.picture is not None:
            self._fit()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Read the records again (the shell calls this whenever the page is shown)."""
        from records.home import home_picture

        if self.ctx.user is None:
            return
        modules = [m.module for m in self.ctx.modules if m.module is not None]
        self.picture = home_picture(self.ctx.db, self.ctx.user, modules, self.ctx.bank())
        self._show()

    def title(self, key: str) -> str:
        """The title of a module, exam blueprint or domain, in the current language."""
        from assessments.blueprints import builtin_blueprints

        for loaded in self.ctx.modules:
            if loaded.module is not None and loaded.module.id == key:
                return loaded.module.title.get()
        blueprint = builtin_blueprints().get(key)
        if blueprint is not None:
            return blueprint.title.get()
        if key in set(Domain):
            return _(DOMAIN_LABELS[Domain(key)])
        return key

    def _show(self) -> None:
        assert self.picture is not None and self.ctx.user is not None
        home = self.picture
        self.heading.setText(_("Welcome, {name}").format(name=self.ctx.user.display_name))
        self.study.setText(words.study_sentence(home.study, home.today.year))
        self._show_next(home.suggestions)
        self._show_review()
        self._show_modules()
        self._show_assignments()
        self.domain_box.show_mastery(list(home.competency.mastery.values()))
        self.reliance.setText("\n".join(words.reliance_sentences(home.competency.reliance)))
        self.certificates.setText(
            "\n".join(words.certificate_sentence(c, self.title) for c in home.certificates)
            or _("No certificate yet. Pass the certification exam to earn one.")
        )
        self._fit()

    @property
    def chart(self) -> DomainChart | None:
        return self.domain_box.chart

    def case_title(self, case_id: str) -> str:
        case = next((c for c in self.ctx.bank() if c.id == case_id), None)
        return case.title.get() if case is not None else case_id

    def _fit(self) -> None:
        fit_rows(self.modules, 8)
        fit_rows(self.assignments, 6)
        self.domain_box.fit(self.fontMetrics().height())

    # -- sections ---------------------------------------------------------------------------
    def _show_next(self, suggestions: list[Suggestion]) -> None:
        for label, button in self.next_rows:
            for widget in (label, button):
                # Off the page at once: a button waiting for deletion would still answer
                # its Alt+digit, and two buttons with one mnemonic answer neither.
                self.next_grid.removeWidget(widget)
                widget.setParent(None)  # type: ignore[call-overload]
                widget.deleteLater()
        self.next_rows = []
        self.next_grid.removeWidget(self.next_empty)
        if not suggestions:
            self.next_empty.setText(
                _("Nothing is waiting: play a practice case or read a lesson when you like.")
            )
            self.next_grid.addWidget(self.next_empty, 0, 0)
            self.next_empty.setVisible(True)
            return
        self.next_empty.setVisible(False)
        for row, suggestion in enumerate(suggestions):
            label = QLabel(words.suggestion_text(suggestion, self.title), wordWrap=True)
            label.setObjectName(f"next_{row + 1}_text")
            # "&1 " gives Alt+1, Alt+2, Alt+3 whatever the language.
            button = QPushButton(f"&{row + 1} " + words.suggestion_button(suggestion))
            button.setObjectName(f"next_{row + 1}")
            button.clicked.connect(lambda _c=False, s=suggestion: self.start(s))
            self.next_grid.addWidget(label, row, 0)
            self.next_grid.addWidget(button, row, 1)
            self.next_rows.append((label, button))
        self.next_grid.setColumnStretch(0, 1)
        # New buttons join the end of the focus chain; put the page back in reading order.
        chain = [button for _label, button in self.next_rows] + [
            self.review_button,
            self.modules,
            self.open_button,
            self.assignments,
            self.assignment_button,
            self.domains,
            self.evidence,
        ]
        for earlier, later in itertools.pairwise(chain):
            QWidget.setTabOrder(earlier, later)

    def _show_review(self) -> None:
        assert self.picture is not None
        home = self.picture
        if home.due_reviews:
            text = _(
                "Spaced review: {due} due now; a session plays {n} cases you found hard."
            ).format(due=home.due_reviews, n=len(home.review_session))
        elif home.review.items:
            upcoming = home.review.next_due(home.now)
            when = upcoming.astimezone().date().isoformat() if upcoming else ""
            text = _("Spaced review: nothing due now; the next case comes back on {date}.").format(
                date=when
            )
        else:
            text = _(
                "Spaced review: cases you answer wrongly or with misplaced confidence "
                "come back here on a schedule."
            )
        self.review_label.setText(text)
        self.review_button.setEnabled(bool(home.review_session))

    def _show_modules(self) -> None:
        assert self.picture is not None
        lines = self.picture.modules
        self.modules.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = [
                line.module.title.get(),
                words.progress_words(line.state),
                words.next_step_words(line.module, line.next, line.state, self.title),
            ]
            for col, text in enumerate(cells):
                self.modules.setItem(row, col, cell(text))
        if lines and self.modules.currentRow() < 0:
            self.modules.selectRow(0)

    def _show_assignments(self) -> None:
        assert self.picture is not None
        items = self.picture.assignments
        self.assignments.setRowCount(len(items))
        for row, item in enumerate(items):
            cells = [
                words.assignment_what(item, self.title),
                item.due.isoformat(),
                words.assignment_state(item, self.picture.today),
            ]
            for col, text in enumerate(cells):
                self.assignments.setItem(row, col, cell(text))
        self.assignments.setVisible(bool(items))
        self.assignment_button.setVisible(bool(items))
        self.no_assignments.setVisible(not items)
        if items and self.assignments.currentRow() < 0:
            self.assignments.selectRow(0)

    # -- actions ----------------------------------------------------------------------------
    def start(self, suggestion: Suggestion) -> None:
        """Start what a suggestion proposes."""
        if suggestion.kind == Kind.REVIEW:
            self._start_review()
        elif suggestion.kind == Kind.DOMAIN and self.picture is not None:
            self.practise.emit(list(self.picture.domain_cases.get(suggestion.target, [])))
        elif suggestion.kind == Kind.EXAM:
            self.start_exam.emit(suggestion.target)
        else:
            self.open_module.emit(suggestion.target)

    def _start_review(self) -> None:
        if self.picture is not None and self.picture.review_session:
            self.start_review.emit(list(self.picture.review_session))

    def _open_module_row(self, row: int) -> None:
        if self.picture is not None and 0 <= row < len(self.picture.modules):
            self.open_module.emit(self.picture.modules[row].module.id)

    def _open_assignment(self, row: int) -> None:
        if self.picture is None or not 0 <= row < len(self.picture.assignments):
            return
        item = self.picture.assignments[row]
        if item.kind == EXAM:
            self.start_exam.emit(item.target)
        else:
            self.open_module.emit(item.target)
