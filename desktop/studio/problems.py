"""The live validation list: the same messages as ``xiangyi pack validate``, each one a
link to its field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from case_bank.validation import Problem
from desktop.widgets import Screen
from xiangyi.i18n import _

ROLE = 256


class ProblemList(Screen):
    """``chosen(problem)`` when the trainer clicks (or presses Enter on) a message."""

    chosen = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel(objectName="problem_summary")
        self.list = QListWidget(objectName="studio_problems")
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.problems: list[Problem] = []
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.retranslate()

    def retranslate(self) -> None:
        self.show_problems(self.problems)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.list.clear()
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        if not problems:
            self.summary.setText(_("No problems: the pack can be published."))
            self.summary.setStyleSheet("color: #1b7f3b;")
        else:
            self.summary.setText(
                _("{n} error(s), {w} warning(s); click one to go to its field.").format(
                    n=errors, w=warnings
                )
            )
            self.summary.setStyleSheet("color: #b00020;" if errors else "color: #9a6700;")
        for problem in problems:
            item = QListWidgetItem(str(problem))
            item.setData(ROLE, problem)
            if problem.severity == "warning":
                item.setForeground(QColor("#9a6700"))
            self.list.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(ROLE))
