"""Module list: status, time and prerequisites; locked modules say what unlocks them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from courses.progress import STATUS_LABELS, ModuleState
from desktop.theme import heading
from desktop.widgets import Screen, read_only_table
from xiangyi.i18n import _

if TYPE_CHECKING:
    from courses.loader import LoadedModule
    from desktop.context import AppContext


def module_states(ctx: AppContext) -> dict[str, ModuleState]:
    """The state of every module for the signed-in doctor."""
    from records.learning import module_states as states

    assert ctx.user is not None
    modules = [m.module for m in ctx.modules if m.module is not None]
    return states(ctx.db, ctx.user.id, modules, ctx.bank())


def minutes_text(seconds: float) -> str:
    return _("{m} min").format(m=round(seconds / 60))


class ModuleListScreen(Screen):
    """``opened`` carries the LoadedModule to show."""

    opened = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[LoadedModule] = []
        self.states: dict[str, ModuleState] = {}
        self.heading = QLabel()
        heading(self.heading, 16)
        self.table = read_only_table("module_table", 4)
        self.open_button = QPushButton(objectName="open_module")
        self.message = QLabel(objectName="modules_message", wordWrap=True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.open_button.clicked.connect(self._open_selected)
        self.table.cellActivated.connect(lambda r, _c: self._open(r))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Training modules"))
        self.table.setHorizontalHeaderLabels(
            [_("Module"), _("Estimated time"), _("Status"), _("Your study time")]
        )
        self.open_button.setText(_("Open module"))
        if self.ctx.user is not None:
            self.refresh()

    def refresh(self) -> None:
        self.rows = list(self.ctx.modules)
        self.states = module_states(self.ctx)
        titles = {m.module.id: m.module.title.get() for m in self.rows if m.module}
        self.table.setRowCount(len(self.rows))
        for index, loaded in enumerate(self.rows):
            assert loaded.module is not None
            state = self.states[loaded.module.id]
            if state.locked:
                names = ", ".join(titles.get(p, p) for p in state.locked_by)
                status = _("Locked: first complete {modules}").format(modules=names)
            else:
                status = _(STATUS_LABELS[state.status])
            cells = [
                loaded.module.title.get(),
                minutes_text(loaded.module.minutes * 60),
                status,
                minutes_text(state.study_seconds),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(index, col, QTableWidgetItem(text))
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def open_module_id(self, module_id: str) -> None:
        """Select and open a module by ID (from the home screen); a locked one stays
        here and says what unlocks it."""
        for row, loaded in enumerate(self.rows):
            if loaded.module is not None and loaded.module.id == module_id:
                self.table.selectRow(row)
                self._open(row)
                return

    def _open_selected(self) -> None:
        if self.table.currentRow() >= 0:
            self._open(self.table.currentRow())

    def _open(self, row: int) -> None:
        loaded = self.rows[row]
        assert loaded.module is not None
        state = self.states[loaded.module.id]
        if state.locked:
            self.message.setText(self.table.item(row, 2).text())
            return
        self.message.setText("")
        self.opened.emit(loaded)
