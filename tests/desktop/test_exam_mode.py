"""A full module check through the exam screen, with an interruption and a resume."""

from __future__ import annotations

from pathlib import Path

from driver import (
    CORRECT,
    click,
    create_first_admin,
    fill_decision,
    go_to,
    open_window,
    sign_in,
    wait_until,
)
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from assessments.blueprints import builtin_blueprints
from records import exams
from records.tables import ExamAttempt, ExamEventRow
from xiangyi.i18n import _


def _open_module_check(window) -> None:  # type: ignore[no-untyped-def]
    go_to(window, "modules")
    modules = window.pages["modules"]
    modules.table.selectRow([m.module.id for m in modules.rows].index("ecg-ai"))
    click(modules.open_button)
    module = window.pages["module"]
    module.steps.setCurrentRow(module.steps.count() - 1)
    click(module.start)


def _answer_current(window, unsafe: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """Answer the current case right, or with the critical action ``unsafe``."""
    screen = window.pages["exam"]
    case_id = screen.state.current_case_id
    own_read = CORRECT[case_id][0]
    if screen.own_read.choice.buttons:
        screen.own_read.choice.buttons[own_read].setChecked(True)
    click(screen.save_button)  # stores the own read, then shows the AI output
    assert screen.ai_area.isVisible()
    # fill_decision drives the player's form; the exam screen has the same form.
    form = screen.decision
    _own, reliance, interp, confidence, action, limits = CORRECT[case_id]
    action = unsafe or action
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
    assert screen.state is not None
    total = len(screen.state.case_ids)
    assert total == builtin_blueprints()["ecg-module-check"].total_cases
    # One case gets an unsafe answer: a critical error fails the check on its own.
    cases = {c.id: c for c in window.ctx.bank()}
    unsafe_case = next(c for c in screen.state.case_ids if cases[c].key.critical_actions)
    unsafe = {unsafe_case: cases[unsafe_case].key.critical_actions[0]}
    first = _answer_current(window, unsafe.get(screen.state.current_case_id))
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
    for index in range(total):
        if screen.state.case_ids[index] not in screen.state.answers:
            screen.case_list.setCurrentRow(index)
            _answer_current(again, unsafe.get(screen.state.case_ids[index]))
    click(screen.submit_button)
    wait_until(lambda: again.findChild(QMessageBox, "submit_box") is not None)
    click(again.findChild(QMessageBox, "submit_box").findChild(QAbstractButton, "submit_box_yes"))
    wait_until(lambda: screen.state.submitted)
    text = screen.result_view.text()
    assert _("By domain") in text and _("How you relied on the AI") in text
    with again.ctx.db.session() as session:
        row = session.get(ExamAttempt, attempt_id)
        assert row.passed is False  # the unsafe action alone fails it
        assert row.result["critical_errors"] == [unsafe_case]
        events = session.query(ExamEventRow).filter_by(attempt_id=attempt_id).count()
    assert events >= 2 * total + 3  # start, (own read, answer) per case, resume, submit
    assert _("A critical (unsafe) error was made") in text
    # Editing a stored event afterwards is detected.
    with again.ctx.db.session() as session:
        event = session.query(ExamEventRow).filter_by(attempt_id=attempt_id, seq=2).one()
        event.data = {**event.data, "interpretation": "edited"}
    try:
        exams.state(again.ctx.db, attempt_id)
        raise AssertionError("tampering not detected")
    except exams.TamperedExam:
        pass
    again.close()


def test_certification_exam_reports_what_the_bank_lacks(qtbot, data_dir: Path) -> None:
    from assessments.assembly import AssemblyError

    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    try:
        exams.start(
            window.ctx.db,
            window.ctx.user.id,
            builtin_blueprints()["certification"],
            [c for c in window.ctx.bank() if c.ai_kind == "ecg"],
            0.0,
        )
        raise AssertionError("ECG cases alone cannot meet the certification blueprint")
    except AssemblyError as exc:
        assert len(exc.messages()) >= 2
    with window.ctx.db.session() as session:
        assert session.query(ExamAttempt).count() == 0
    assert fill_decision  # the shared driver helper stays importable
    window.close()


def test_moving_on_keeps_a_filled_answer_and_asks_before_losing_a_partial_one(
    qtbot, data_dir: Path
) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _open_module_check(window)
    screen = window.pages["exam"]
    case_id = screen.state.current_case_id
    if screen.own_read.choice.buttons:
        screen.own_read.choice.buttons[CORRECT[case_id][0]].setChecked(True)
    click(screen.save_button)
    _own, reliance, interp, confidence, action, _limits = CORRECT[case_id]
    for name in (f"reliance_{reliance}", f"interpretation_{interp}", f"action_{action}"):
        screen.decision.findChild(QAbstractButton, name).setChecked(True)
    # Incomplete (no confidence): going to the next case asks first; "stay" keeps us here.
    screen.case_list.setCurrentRow(1)
    wait_until(lambda: window.findChild(QMessageBox, "unsaved_box") is not None)
    box = window.findChild(QMessageBox, "unsaved_box")
    click(box.findChild(QAbstractButton, "unsaved_box_no"))
    assert screen.state.current_case_id == case_id and case_id not in screen.state.answers
    # Complete but not saved with the button: moving on stores it before the next case shows.
    screen.decision.findChild(QAbstractButton, f"confidence_{confidence}").setChecked(True)
    screen.case_list.setCurrentRow(1)
    assert screen.state.current == 1
    assert screen.state.answers[case_id]["decision"]["action"] == action
    with window.ctx.db.session() as session:
        kinds = [
            e.kind
            for e in session.query(ExamEventRow)
            .filter_by(attempt_id=screen.state.attempt_id)
            .order_by(ExamEventRow.seq)
        ]
    assert kinds[-2:] == ["answer", "navigate"]
    window.close()
