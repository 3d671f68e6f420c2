"""The one helper that runs slow work off the UI thread and reports back on it."""

from __future__ import annotations

import threading

from desktop.tasks import run_in_background, wait_for_background


def test_result_and_failure_come_back_on_the_ui_thread(qtbot, no_dangling_threads: None) -> None:
    ui_thread = threading.get_ident()
    results: list[object] = []
    errors: list[Exception] = []
    workers: list[int] = []

    def work() -> int:
        workers.append(threading.get_ident())
        return 42

    def fail() -> None:
        raise ValueError("broken")

    run_in_background(work, lambda r: results.append((r, threading.get_ident())), errors.append)
    run_in_background(fail, results.append, lambda e: errors.append(e))
    qtbot.waitUntil(lambda: bool(results) and bool(errors), timeout=5000)
    assert wait_for_background(5000)
    assert results == [(42, ui_thread)] and workers[0] != ui_thread
    assert isinstance(errors[0], ValueError)
