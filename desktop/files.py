"""Choosing files and showing folders: the only places that open a file dialog or the
system's file manager (tests replace ``choose_save_path`` / ``choose_open_path`` and
``show_folder`` here)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.widgets import ask
from xiangyi.i18n import _

_last_folder: Path | None = None


def _start_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def _remember(path: str) -> Path | None:
    global _last_folder
    if not path:
        return None
    chosen = Path(path)
    _last_folder = chosen.parent
    return chosen


def choose_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """Ask where to save; ``suggested`` is a file name; None when the person cancels."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, str(_start_folder() / suggested), filters
    )
    return _remember(path)


def choose_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """Ask for an existing file; None when the person cancels."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(_start_folder()), filters)
    return _remember(path)


def show_folder(path: Path) -> None:
    """Open the folder holding ``path`` in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def offer_folder(parent: QWidget, name: str, message: str, path: Path) -> None:
    """Say what was saved and offer to open its folder (non-blocking question)."""
    ask(
        parent,
        name,
        _("Saved"),
        message,
        (_("Open the folder"), _("Close")),
        lambda: show_folder(path),
        default_yes=False,
    )


def safe_file_name(text: str) -> str:
    """A name usable on Windows too (no \\ / : * ? " < > | or spaces)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:60] or "xiangyi"
