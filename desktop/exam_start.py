"""Starting and resuming exams from the shell: permission, assembly, resume offer."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from desktop.widgets import ask
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.shell import MainWindow

REFUSALS = {
    "no_attempts_left": N_("You have used all the attempts this exam allows."),
    "already_passed": N_("You have already passed this exam."),
    "waiting_period": N_("You can try again after {when}."),
}


def start_exam(window: MainWindow, blueprint_id: str, module_id: str | None) -> None:
    """Check the attempt rules, assemble from the bank and show the exam."""
    from assessments.assembly import AssemblyError, eligible
    from assessments.blueprints import builtin_blueprints, may_attempt
    from records import exams

    assert window.ctx is not None and window.ctx.user is not None
    blueprint = builtin_blueprints()[blueprint_id]
    permission = may_attempt(
        blueprint,
        exams.submitted_results(window.ctx.db, window.ctx.user.id, blueprint_id),
        time.time(),
    )
    if not permission.allowed:
        when = ""
        if permission.next_allowed_at is not None:
            when = datetime.fromtimestamp(permission.next_allowed_at).strftime("%Y-%m-%d %H:%M")
        QMessageBox.information(window, _("Exam"), _(REFUSALS[permission.reason]).format(when=when))
        return
    try:
        state = exams.start(
            window.ctx.db,
            window.ctx.user.id,
            blueprint,
            eligible(blueprint, window.ctx.cases_by_pack()),
            time.time(),
            module_id=module_id,
        )
    except AssemblyError as exc:
        QMessageBox.warning(window, _("This exam cannot start"), "\n".join(exc.messages()))
        return
    window.show_exam(blueprint, state)


def offer_exam_resume(window: MainWindow) -> None:
    """An unfinished exam: resume it (the time it was closed does not count)."""
    from assessments.blueprints import builtin_blueprints
    from assessments.exam import RESUME, ExamEvent
    from records import exams

    assert window.ctx is not None and window.ctx.user is not None
    attempt = exams.open_attempt(window.ctx.db, window.ctx.user.id)
    assert attempt is not None
    blueprint = builtin_blueprints().get(attempt.blueprint_id)
    if blueprint is None:
        return

    ctx = window.ctx

    def resume() -> None:
        state = exams.append(ctx.db, attempt.id, ExamEvent(RESUME, time.time(), {}))
        modules = {m.module.id: m for m in ctx.modules if m.module is not None}
        window.exam_module = modules.get(attempt.module_id or "")
        if window.exam_module is not None:
            window.pages["module"].show_module(window.exam_module)  # type: ignore[attr-defined]
        window.show_exam(blueprint, state)

    ask(
        window,
        "exam_resume_box",
        _("Unfinished exam"),
        _(
            "Your exam \u201c{title}\u201d was interrupted. Continue with the time you had left?"
        ).format(title=blueprint.title.get()),
        (_("Continue the exam"), _("Not now")),
        resume,
    )
