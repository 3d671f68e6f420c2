"""The window part of ``xiangyi --self-test``: Qt starts with its platform plugin, the
main window opens the test database and offers the login, Qt's Chinese dialog texts
load, and one AI-output renderer per kind draws its case. Offscreen when there is no
display, so it runs over SSH and in CI."""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

from xiangyi.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from case_bank.models import Case
    from case_bank.pack import Pack
    from desktop.self_test import Report, World

READY_TIMEOUT_MS = 30_000
_log = logging.getLogger(__name__)


def needs_offscreen() -> bool:
    """Linux without a display (and no platform chosen): draw offscreen."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    )


def _start_qt() -> tuple[QApplication, str]:
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QLibraryInfo, QTranslator, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    # Qt's own warnings (the offscreen plugin has a few) go to the log, not the report.
    qInstallMessageHandler(lambda _mode, _context, text: _log.info("Qt: %s", text))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator().load("qtbase_zh_CN", path):
        from desktop.self_test import CheckFailed

        raise CheckFailed(_("Qt's Chinese translations are missing from {path}.").format(path=path))
    return app, _("platform {name}, Qt's Chinese dialog texts present").format(
        name=app.platformName()
    )


def _main_window(world: World) -> tuple[None, str]:
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.self_test import CheckFailed
    from desktop.shell import MainWindow

    window = MainWindow(world.folder)
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    QTimer.singleShot(READY_TIMEOUT_MS, loop.quit)
    window.open_database()
    loop.exec()
    try:
        if window.ctx is None or window.stack.currentWidget() is not window.login:
            raise CheckFailed(_("The main window did not reach the login."))
        pixels = window.grab()
        if pixels.isNull():
            raise CheckFailed(_("The main window could not be drawn."))
    finally:
        if window.ctx is not None:
            window.ctx.db.close()
        window.close()
        window.deleteLater()
    return None, _("opened the database and showed the login")


def _renderer(pack: Pack, case: Case) -> tuple[None, str]:
    from desktop.renderers import create_renderer
    from desktop.self_test import CheckFailed

    view = create_renderer(pack, case)
    try:
        view.resize(1000, 640)
        if hasattr(view, "show_truth"):
            view.show_truth(case)
        if view.grab().isNull():
            raise CheckFailed(_("The viewer could not be drawn."))
        name = type(view).__name__
    finally:
        view.deleteLater()
    return None, f"{case.id} ({name})"


def _studio_editor(pack: Pack, case: Case) -> tuple[None, str]:
    """The authoring studio's editor for the case's AI output, loaded from the case file
    and read back unchanged (trainers author on the same installation)."""
    from case_bank.yamlsafe import load_file
    from desktop.self_test import CheckFailed
    from desktop.studio.ai_editors import editor_for

    source = pack.folder / "cases" / f"{case.id}.yaml"  # how built-in cases are named
    if not source.is_file():
        source = next(
            path
            for path in sorted((pack.folder / "cases").glob("*.yaml"))
            if load_file(path).data.get("id") == case.id
        )
    ai_output = load_file(source).data["ai_output"]
    editor = editor_for(case.ai_kind)
    try:
        editor.resize(1000, 640)
        editor.load(ai_output, pack.folder)
        if editor.value() != ai_output:
            raise CheckFailed(_("The studio changed the AI output it only opened."))
        if editor.grab().isNull():
            raise CheckFailed(_("The editor could not be drawn."))
        name = type(editor).__name__
        if case.ai_kind == "ecg":  # the ECG editor can also generate a signal
            from desktop.studio.ai_editors.ecg_display import generate_strip

            strip = generate_strip("af", 90.0, 4.0, False, seed=1)
            if strip.samples.shape != (1, 4 * strip.sampling_rate) or not len(strip.r_peaks_s):
                raise CheckFailed(_("The ECG generator gave no usable signal."))
            name += ", " + _("generated a 4 s signal")
    finally:
        editor.deleteLater()
    return None, f"{case.id} ({name})"


def run_checks(report: Report, world: World) -> None:
    """Add the window checks to ``report`` (stops like the others on a failure)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app = report.run(_("Qt"), _start_qt)
    report.run(_("Main window"), lambda: _main_window(world))
    for pack, case in world.samples:
        label = _("Viewer, AI kind {kind}").format(kind=case.ai_kind)
        report.run(label, lambda p=pack, c=case: _renderer(p, c))  # type: ignore[misc]
    for pack, case in world.samples:
        label = _("Studio editor, AI kind {kind}").format(kind=case.ai_kind)
        report.run(label, lambda p=pack, c=case: _studio_editor(p, c))  # type: ignore[misc]
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
