"""Run slow core calls off the UI thread and report back on it (Anki's QueryOp idea)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], stopped: Callable[[], bool] | None) -> None:
        super().__init__()
        self.work = work
        self.stopped = stopped
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported to the UI thread, logged with traceback
            if self.stopped is not None and self.stopped():
                # Cancel was pressed (or the screen closed) and the work stopped at its next
                # check; the traceback stays in the log in case it was something else.
                _log.info("Background task stopped on request (%s)", type(exc).__name__,
                          exc_info=True)  # fmt: skip
            else:
                _log.exception("Background task failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_running: set[_Job] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    stopped: Callable[[], bool] | None = None,
) -> None:
    """Call ``work()`` on a pool thread; ``on_done``/``on_error`` run on the UI thread.
    An error raised once ``stopped()`` is true is the work obeying a cancel: logged as
    such, not as a failure."""
    job = _Job(work, stopped)
    job.setAutoDelete(False)
    _running.add(job)

    def done(result: Any) -> None:
        _running.discard(job)
        on_done(result)

    def failed(exc: Exception) -> None:
        _running.discard(job)
        on_error(exc)

    job.signals.finished.connect(done)
    job.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job)


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Block until every background job ends (used at shutdown and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
