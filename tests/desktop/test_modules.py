"""A learner works through a module: lessons, an in-lesson check, practice cases;
the reading position survives a restart; locked modules say what unlocks them."""

from __future__ import annotations

from pathlib import Path

from driver import (
    ANSWERS,
    answer_decision,
    answer_own_read,
    click,
    create_first_admin,
    go_to,
    open_window,
    sign_in,
    wait_until,
)
from PySide6.QtTest import QTest

from courses.progress import Status
from desktop.screens.modules import module_states
from records.learning import lesson_progress
from xiangyi.i18n import _


def _open_ecg_module(window) -> None:  # type: ignore[no-untyped-def]
    go_to(window, "modules")
    modules = window.pages["modules"]
    row = next(i for i, m in enumerate(modules.rows) if m.module.id == "ecg-ai")
    modules.table.selectRow(row)
    click(modules.open_button)
    assert window.pages_stack.currentWidget() is window.pages["module"]


def test_learner_reads_lessons_answers_check_and_practises(
    qtbot, data_dir: Path, no_dangling_threads: None
) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _open_ecg_module(window)
    module = window.pages["module"]
    assert module.steps.count() == 4  # two lessons, the practice cases, the module check
    assert module.steps.currentRow() == 0
    click(module.start)
    lesson = window.pages["lesson"]
    assert window.pages_stack.currentWidget() is lesson
    assert "PPV" in lesson.text.toPlainText() or "预测值" in lesson.text.toPlainText()
    check = lesson.checks[0]
    check.choice.buttons["p95"].setChecked(True)
    click(check.button)
    assert check.result.isVisible() and _("Not quite.") in check.result.text()
    check.choice.buttons["p20"].setChecked(True)
    click(check.button)
    assert _("Correct.") in check.result.text()
    click(lesson.next)
    assert lesson.index == 1
    click(lesson.next)  # "Finish lesson" on the last one returns to the module
    assert window.pages_stack.currentWidget() is module
    user = window.ctx.user
    stored = lesson_progress(window.ctx.db, user.id, "ecg-ai")
    assert all(row.completed_at is not None for row in stored.values())
    assert stored["reading-the-output"].checks["ppv-village"] == {"chosen": "p20", "correct": True}
    assert module.steps.currentRow() == 0 or module._next_step() == 2

    module.steps.setCurrentRow(2)
    click(module.start)
    player = window.pages["player"]
    assert player.module_id == "ecg-ai"
    for _case in range(3):
        case_id = player.case.id
        click(player.continue_button)
        answer_own_read(window, ANSWERS[case_id][0])
        click(player.continue_button)
        answer_decision(window, case_id)
        click(player.next_button)
    assert window.pages_stack.currentWidget() is module
    state = module_states(window.ctx)["ecg-ai"]
    assert state.lessons_read == 2 and state.practice_done == 3
    # The module check (an exam from its blueprint) is still to do.
    assert state.status == Status.IN_PROGRESS
    assert state.study_seconds > 0
    window.close()


def test_reading_position_survives_a_restart(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _open_ecg_module(window)
    click(window.pages["module"].start)
    lesson = window.pages["lesson"]
    bar = lesson.text.verticalScrollBar()
    wait_until(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    QTest.qWait(1000)  # the position is saved shortly after scrolling stops
    wanted = lesson.position()
    window.close()

    again = open_window(data_dir)
    qtbot.addWidget(again)
    again.resize(1024, 640)
    sign_in(again, "admin", "admin-pass-1")
    _open_ecg_module(again)
    click(again.pages["module"].start)
    restored = again.pages["lesson"]
    wait_until(lambda: restored.text.verticalScrollBar().value() > 0)
    assert abs(restored.position() - wanted) < 0.05
    again.close()
