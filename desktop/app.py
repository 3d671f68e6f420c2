"""Start the desktop app: the login window first, the database opened behind it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from xiangyi import i18n, logs
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.self_test import Report, World


def _startup_probe(window: object, t0: float) -> None:
    """For benchmarks/startup.py: report when the window is shown and when it is ready."""
    import resource

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def shown() -> None:
        print(f"shown {time.time() - t0:.4f} {peak_mib():.1f}", flush=True)

    def ready() -> None:
        print(f"ready {time.time() - t0:.4f} {peak_mib():.1f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)

    QTimer.singleShot(0, shown)
    window.ready.connect(ready)  # type: ignore[attr-defined]


def run(data_dir: Path, db_url: str | None = None, language: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.qt_i18n import QtLanguage
    from desktop.shell import MainWindow
    from desktop.tasks import wait_for_background

    logs.install_excepthook()
    if language:
        i18n.set_language(language)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Xiangyi")
    qt_language = QtLanguage(app)  # type: ignore[arg-type]
    window = MainWindow(data_dir, db_url, language_forced=bool(language))
    from desktop.activity import ActivityMonitor

    window.activity = ActivityMonitor()
    app.installEventFilter(window.activity)
    probe = os.environ.get("XIANGYI_STARTUP_PROBE")
    if probe:
        _startup_probe(window, float(probe))
    window.show()
    window.open_database()
    code = app.exec()
    wait_for_background()
    qt_language.close()
    if window.ctx is not None:
        window.ctx.db.close()
    return int(code)


def show_start_failure(message: str) -> None:
    """Say why the window cannot start, in a message box (no console on Windows)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 (must exist)
    box = QMessageBox(QMessageBox.Icon.Critical, _("Xiangyi cannot start"), message)
    box.setObjectName("start_failure")
    box.exec()


def self_test_window(report: Report, world: World) -> None:
    """The window part of ``xiangyi --self-test`` (the CLI reaches Qt only through here)."""
    from desktop.self_test_qt import run_checks

    run_checks(report, world)
