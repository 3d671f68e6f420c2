"""A full module check through the exam screen, with an interruption and a resume."""

from __future__ import annotations

from pathlib import Path

from driver import (
    ANSWERS,
    click,
    create_first_admin,
    fill_decision,
    go_to,
    open_window,
    sign_in,
    wait_until,
)
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from records import exams
from records.tables import ExamAttempt, ExamEventRow
from xiangyi.i18n import _


def _open_module_check(window) -> None:  # type: ignore[no-untyped-def]
    go_to(window, "modules")
    modules = window.pages["modules"]
    modules.table.selectRow(0)
    click(modules.open_button)
    module = window.pages["module"]
    module.steps.setCurrentRow(module.steps.count() - 1)
    click(module.start)


def _answer_current(window) -> str:  # type: ignore[no-untyped-def]
    screen = window.pages["exam"]
    case_id = screen.state.current_case_id
    screen.own_read.choice.buttons[ANSWERS[case_id][0]].setChecked(True)
    click(screen.save_button)  # stores the own read, then shows the AI output
    assert screen.ai_area.isVisible()
    # fill_decision drives the player's form; the exam screen has the same form.
    form = screen.decision
    _own, reliance, interp, confidence, action, limits = ANSWERS[case_id]
    for name in (
        f"reliance_{reliance}",
        f"interpretation_{interp}",
        f"confidence_{confidence}",
        f"action_{action}",
        *(f"limitations_{x}" for x in limits),
    ):
        form.findChild(QAbstractButton, name).setChecked(True)
    click(screen.save_button)
    return case_id


def test_module_check_with_interruption_and_resume(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _open_module_check(window)
    screen = window.pages["exam"]
    assert window.pages_stack.currentWidget() is screen
    assert screen.state is not None and len(screen.state.case_ids) == 3
    first = _answer_current(window)
    assert first in screen.state.answers
    # Immediate feedback (a formative module check): the case's feedback shows.
    assert screen.stage_stack.currentWidget() is screen.feedback
    attempt_id = screen.state.attempt_id
    left_before = exams.state(window.ctx.db, attempt_id).time_limit_seconds
    window.close()  # the PC is switched off mid-exam

    again = open_window(data_dir)
    qtbot.addWidget(again)
    sign_in(again, "admin", "admin-pass-1")
    wait_until(lambda: again.findChild(QMessageBox, "exam_resume_box") is not None)
    box = again.findChild(QMessageBox, "exam_resume_box")
    click(box.findChild(QAbstractButton, "exam_resume_box_yes"))
    screen = again.pages["exam"]
    wait_until(lambda: screen.state is not None)
    assert screen.state.attempt_id == attempt_id
    assert first in screen.state.answers
    assert screen.state.active_seconds < left_before
    for index in range(3):
        if screen.state.case_ids[index] not in screen.state.answers:
            screen.case_list.setCurrentRow(index)
            _answer_current(again)
    click(screen.submit_button)
    wait_until(lambda: again.findChild(QMessageBox, "submit_box") is not None)
    click(again.findChild(QMessageBox, "submit_box").findChild(QAbstractButton, "submit_box_yes"))
    wait_until(lambda: screen.state.submitted)
    text = screen.result_view.text()
    assert _("By domain") in text and _("How you relied on the AI") in text
    with again.ctx.db.session() as session:
        row = session.get(ExamAttempt, attempt_id)
        assert row.passed is False  # the STEMI answer sends the patient home: critical
        assert row.result["critical_errors"] == ["ecg-stemi-002"]
        events = session.query(ExamEventRow).filter_by(attempt_id=attempt_id).count()
    assert events >= 9  # start, 3×(own read, answer), resume, submit, …
    assert _("A critical (unsafe) error was made") in text
    # Editing a stored event afterwards is detected.
    with again.ctx.db.session() as session:
        event = session.query(ExamEventRow).filter_by(attempt_id=attempt_id, seq=2).one()
        event.data = {**event.data, "interpretation": "stemi"}
    try:
        exams.state(again.ctx.db, attempt_id)
        raise AssertionError("tampering not detected")
    except exams.TamperedExam:
        pass
    again.close()


def test_certification_exam_reports_what_the_bank_lacks(qtbot, data_dir: Path) -> None:
    from assessments.assembly import AssemblyError
    from assessments.blueprints import builtin_blueprints

    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    try:
        exams.start(
            window.ctx.db,
            window.ctx.user.id,
            builtin_blueprints()["certification"],
            window.ctx.bank(),
            0.0,
        )
        raise AssertionError("the 3-case bank cannot meet the certification blueprint")
    except AssemblyError as exc:
        assert len(exc.messages()) >= 2
    with window.ctx.db.session() as session:
        assert session.query(ExamAttempt).count() == 0
    assert fill_decision  # the shared driver helper stays importable
    window.close()
