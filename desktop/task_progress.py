"""Slow work with a progress dialog and, where the work allows it, a Cancel button.

Built on ``run_in_background``: the work runs on a pool thread and receives
``progress(done, total)`` and ``cancelled() -> bool``; the dialog follows on the UI thread
and ``on_done`` / ``on_error`` run there once the work has ended (also after Cancel, so
the caller learns what the work did before it stopped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.tasks import run_in_background
from xiangyi.i18n import _

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class _Bridge(QObject):
    """Carries progress from the worker thread to the dialog (a queued signal)."""

    progressed = Signal(int, int)


def run_with_progress(
    parent: QWidget,
    name: str,
    title: str,
    label: str,
    work: Callable[[Progress, Cancelled], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    cancellable: bool = True,
) -> QProgressDialog:
    """Show a window-modal progress dialog named ``name`` while ``work`` runs."""
    dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 0, parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    stop = threading.Event()
    bridge = _Bridge(dialog)

    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        if not stop.is_set():
            dialog.setLabelText(
                "{label}\n{progress}".format(
                    label=label, progress=_("{done} of {total}").format(done=done, total=total)
                )
            )

    def cancel() -> None:
        stop.set()
        dialog.setLabelText(_("Stopping…"))

    bridge.progressed.connect(show_progress)
    dialog.canceled.connect(cancel)
    # The screen may close (sign-out, window closed) while the work runs: stop the work
    # at its next check and tell nobody, since nobody is left to tell.
    dialog.destroyed.connect(stop.set)

    def report(done: int, total: int) -> None:
        try:
            bridge.progressed.emit(done, total)
        except RuntimeError:  # the dialog and its bridge are gone
            stop.set()

    def finish() -> bool:
        """Close the dialog; False when the screen that asked is gone."""
        if shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()
        return shiboken6.isValid(parent)

    def done(result: Any) -> None:
        if finish():
            on_done(result)

    def failed(exc: Exception) -> None:
        if finish():
            on_error(exc)

    run_in_background(lambda: work(report, stop.is_set), done, failed, stopped=stop.is_set)
    dialog.show()
    return dialog
