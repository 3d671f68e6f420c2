"""Helpers for the administrator console tests: a signed-in administrator's window,
stand-ins for the file dialogs, and finding the non-blocking question boxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from driver import click, create_first_admin, open_window, sign_in
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from desktop import files


class Files:
    """Stands in for the file dialogs: hands out the paths a person would choose."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save: list[Path] = []
        self.open: list[Path] = []
        self.shown: list[Path] = []
        monkeypatch.setattr(files, "choose_save_path", lambda *a: self.save.pop(0))
        monkeypatch.setattr(files, "choose_open_path", lambda *a: self.open.pop(0))
        monkeypatch.setattr(files, "show_folder", self.shown.append)


def admin_window(qtbot: Any, data_dir: Path) -> Any:
    """The real main window with the first administrator signed in."""
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    assert window.ctx.user is not None and window.ctx.user.role == "admin"
    return window


def dialog(name: str) -> Any:
    """The visible widget named ``name`` in any top-level window, or None."""
    for widget in QApplication.topLevelWidgets():
        found = widget if widget.objectName() == name else widget.findChild(QWidget, name)
        if found is not None and found.isVisible():
            return found
    return None


def answer(qtbot: Any, box: str, yes: bool = True) -> None:
    """Wait for the question box ``box`` and press its first (yes) or second button."""
    qtbot.waitUntil(lambda: dialog(box) is not None)
    name = f"{box}_yes" if yes else f"{box}_no"
    button = dialog(box).findChild(QAbstractButton, name)
    assert button is not None, f"no button {name}"
    click(button)
    qtbot.waitUntil(lambda: dialog(box) is None)
