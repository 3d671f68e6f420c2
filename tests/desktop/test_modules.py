"""A learner works through a module: lessons, an in-lesson check, practice cases;
the reading position survives a restart; locked modules say what unlocks them."""

from __future__ import annotations

from pathlib import Path

from driver import (
    ANSWERS,
    answer_own_read,
    click,
    create_first_admin,
    fill_form,
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


def _play_practice(window, answers) -> int:  # type: ignore[no-untyped-def]
    """Answer every practice case of the module from ``answers``; returns how many."""
    player = window.pages["player"]
    played = 0
    while window.pages_stack.currentWidget() is player:
        case_id = player.case.id
        click(player.continue_button)
        if player.attempt.stage == "own_read":
            answer_own_read(window, answers[case_id][0])
        if player.attempt.stage == "ai_output":
            click(player.continue_button)
        player.decision.load(player.case)
        fill_form(player.decision, answers[case_id])
        click(player.continue_button)
        click(player.next_button)
        played += 1
    return played


def test_learner_reads_lessons_answers_check_and_practises(
    qtbot, data_dir: Path, no_dangling_threads: None
) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _open_ecg_module(window)
    module = window.pages["module"]
    lessons = len(module.loaded.module.lessons)
    assert module.steps.count() == lessons + 2  # lessons, the practice cases, the check
    assert module.steps.currentRow() == 0
    click(module.start)
    lesson = window.pages["lesson"]
    assert window.pages_stack.currentWidget() is lesson
    assert "predictive value" in lesson.text.toPlainText()  # the English lesson text
    check = lesson.checks[0]
    check.choice.buttons["p95"].setChecked(True)
    click(check.button)
    assert check.result.isVisible() and _("Not quite.") in check.result.text()
    check.choice.buttons["p20"].setChecked(True)
    click(check.button)
    assert _("Correct.") in check.result.text()
    click(lesson.next)
    assert lesson.index == 1
    for _lesson in range(1, lessons):
        click(lesson.next)  # "Finish lesson" on the last one returns to the module
    assert window.pages_stack.currentWidget() is module
    user = window.ctx.user
    stored = lesson_progress(window.ctx.db, user.id, "ecg-ai")
    assert all(row.completed_at is not None for row in stored.values())
    assert stored["reading-the-output"].checks["ppv-village"] == {"chosen": "p20", "correct": True}
    assert module.steps.currentRow() == 0 or module._next_step() == lessons

    module.steps.setCurrentRow(lessons)
    click(module.start)
    player = window.pages["player"]
    assert player.module_id == "ecg-ai"
    played = _play_practice(window, ANSWERS)
    assert window.pages_stack.currentWidget() is module
    state = module_states(window.ctx)["ecg-ai"]
    assert state.lessons_read == lessons and state.practice_done == played > 3
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


def test_module_completes_after_check_and_unlocks_the_next(
    qtbot, data_dir: Path, tmp_path: Path
) -> None:
    import shutil

    from driver import CORRECT

    from courses.loader import KnownIds, load_module
    from desktop.activity import ActivityMonitor
    from desktop.screens.modules import minutes_text
    from records.learning import module_record

    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.activity = ActivityMonitor()
    window.ctx.activity = window.activity
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    # A follow-on module that needs "ecg-ai" first.
    follow = tmp_path / "ecg-follow"
    shutil.copytree(Path(__file__).resolve().parents[2] / "courses/modules/ecg-ai", follow)
    text = (follow / "module.yaml").read_text(encoding="utf-8")
    (follow / "module.yaml").write_text(
        text.replace("id: ecg-ai", "id: ecg-follow").replace(
            "prerequisites: []", "prerequisites: [ecg-ai]"
        ),
        encoding="utf-8",
    )
    builtin = window.ctx.modules
    window.ctx._modules = [*builtin, load_module(follow, KnownIds())]
    go_to(window, "modules")
    modules = window.pages["modules"]
    assert modules.states["ecg-follow"].locked_by == ["ecg-ai"]
    rows = [m.module.id for m in modules.rows]
    follow_row, ecg_row = rows.index("ecg-follow"), rows.index("ecg-ai")
    modules.table.selectRow(follow_row)
    click(modules.open_button)
    assert window.pages_stack.currentWidget() is modules  # locked: stays, says why
    assert modules.message.text() == modules.table.item(follow_row, 2).text()

    modules.table.selectRow(ecg_row)
    click(modules.open_button)
    module = window.pages["module"]
    lessons = len(module.loaded.module.lessons)
    module.steps.setCurrentRow(0)
    click(module.start)
    for _lesson in range(lessons):
        click(window.pages["lesson"].next)  # the last one finishes
    module.steps.setCurrentRow(lessons)
    click(module.start)
    _play_practice(window, CORRECT)
    module.steps.setCurrentRow(lessons + 1)
    click(module.start)
    exam = window.pages["exam"]
    total = len(exam.state.case_ids)
    for _case in range(total):
        case_id = exam.state.current_case_id
        exam.own_read.choice.buttons[CORRECT[case_id][0]].setChecked(True)
        click(exam.save_button)
        fill_form(exam.decision, CORRECT[case_id])
        click(exam.save_button)
        if len(exam.state.answers) < total:
            exam.case_list.setCurrentRow(min(exam.state.current + 1, total - 1))
    exam.finish("doctor")
    assert _("Passed") in exam.result_view.text()
    click(exam.close_button)
    go_to(window, "modules")
    state = modules.states["ecg-ai"]
    assert state.status == Status.COMPLETED and state.completed_at is not None, state
    assert modules.table.item(ecg_row, 2).text() == _("Completed")
    assert modules.states["ecg-follow"].locked_by == []
    ecg = next(m for m in builtin if m.module.id == "ecg-ai")
    record = module_record(window.ctx.db, window.ctx.user.id, ecg.module)
    assert record.study_seconds == state.study_seconds > 0
    assert modules.table.item(ecg_row, 3).text() == minutes_text(record.study_seconds)
    window.close()


def _reading_ecg_lessons(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    """A signed-in administrator on the ECG module's first lesson (a page too short for
    the lessons, so they scroll); ``is_read(lesson_id)`` asks the records."""
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    user = window.ctx.user
    _open_ecg_module(window)
    module = window.pages["module"]
    click(module.start)
    lesson = window.pages["lesson"]

    def is_read(lesson_id: str) -> bool:
        return lesson_progress(window.ctx.db, user.id, "ecg-ai")[lesson_id].completed_at is not None

    return window, module, lesson, is_read


def _scroll(lesson, fraction: float) -> None:  # type: ignore[no-untyped-def]
    bar = lesson.text.verticalScrollBar()
    wait_until(lambda: bar.maximum() > 0)
    bar.setValue(round(bar.maximum() * fraction))


def test_a_lesson_read_to_its_end_counts_when_left_with_back(qtbot, data_dir: Path) -> None:
    window, module, lesson, is_read = _reading_ecg_lessons(qtbot, data_dir)
    first = module.loaded.module.lessons[0].id
    _scroll(lesson, 0.5)  # half-way, then back: not read yet
    click(lesson.back)
    assert not is_read(first)
    click(module.start)
    _scroll(lesson, 1.0)  # to the end, then back: read
    click(lesson.back)
    assert is_read(first)
    window.close()


def test_previous_counts_a_lesson_read_to_its_end(qtbot, data_dir: Path) -> None:
    window, module, lesson, is_read = _reading_ecg_lessons(qtbot, data_dir)
    click(lesson.next)  # on to the second lesson
    second = module.loaded.module.lessons[1].id
    _scroll(lesson, 1 / 3)
    click(lesson.previous)  # a third of the way: not read
    assert not is_read(second)
    click(lesson.next)
    _scroll(lesson, 1.0)
    click(lesson.previous)  # to the end: read
    assert is_read(second)
    window.close()
