"""A case played with the keyboard alone; large text and high contrast stay usable."""

from __future__ import annotations

from pathlib import Path

from driver import create_first_admin, go_to, keep_only, open_window, sign_in
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QRadioButton

from desktop.theme import apply


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    QTest.keyClick(widget, key, modifier)


def _select_by_keyboard(target: QRadioButton) -> None:
    """Move with the arrow keys inside the focused group until ``target`` is checked."""
    for _step in range(10):
        if target.isChecked():
            return
        _press(Qt.Key.Key_Down)
    raise AssertionError(f"could not reach {target.objectName()}")


def _tab_to(name: str) -> None:
    for _step in range(40):
        focused = QApplication.focusWidget()
        if focused is not None and focused.objectName().startswith(name):
            return
        _press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}")


def test_case_played_with_keyboard_only(qtbot, data_dir: Path, no_dangling_threads: None) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    keep_only(window)
    go_to(window, "cases")
    cases = window.pages["cases"]
    cases.table.setFocus()
    _press(Qt.Key.Key_Return)  # start the selected (first) case: AF
    player = window.pages["player"]
    assert player.attempt.stage == "presentation"
    _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert player.attempt.stage == "own_read"
    _press(Qt.Key.Key_Space)
    _select_by_keyboard(player.own_read.choice.buttons["af"])
    _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert player.attempt.stage == "ai_output"
    _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert player.attempt.stage == "decision"
    form = player.decision
    _press(Qt.Key.Key_Space)  # first reliance option: agree
    assert form.reliance.value() == "accept"
    for group, option in (
        ("interpretation", "af"),
        ("confidence", "90"),
        ("action", "refer_routine"),
    ):
        _tab_to(group)
        _press(Qt.Key.Key_Space)
        _select_by_keyboard(getattr(form, group).buttons[option])
    _tab_to("limitations_none_noticed")
    _press(Qt.Key.Key_Space)
    _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert player.attempt.stage == "feedback", player.error.text()
    assert player.attempt.score["total"] == 1.0
    window.close()


def test_large_text_and_high_contrast_fit_the_screen(
    qtbot, data_dir: Path, no_dangling_threads: None
) -> None:
    app = QApplication.instance()
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    keep_only(window)
    try:
        window._display_chosen(200, True)
        go_to(window, "cases")
        window.pages["cases"].start_button.click()
        player = window.pages["player"]
        for _stage in range(3):
            player.continue_button.click() if player.attempt.stage != "own_read" else None
            if player.attempt.stage == "own_read":
                player.own_read.choice.buttons["af"].setChecked(True)
                player.continue_button.click()
        assert player.attempt.stage == "decision"
        QApplication.processEvents()
        assert window.width() <= 1366 and window.height() <= 768
        corner = player.continue_button.mapTo(window, QPoint(0, 0))
        assert corner.y() + player.continue_button.height() <= window.height()
        assert corner.x() + player.continue_button.width() <= window.width()
        assert app.font().pointSizeF() > 15
        assert "#000000" in app.styleSheet()
        from records import settings

        assert settings.get(window.ctx.db, "font_scale") == "200"
    finally:
        apply(app, 100, False)
        window.close()


def test_one_case_of_each_kind_by_keyboard_only(
    qtbot, data_dir: Path, no_dangling_threads: None
) -> None:
    from case_bank.pack import load_pack

    fixture = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.activateWindow()
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    pack = load_pack(fixture)
    assert pack.valid, pack.problems
    window.ctx._packs = [pack]
    go_to(window, "cases")
    cases = window.pages["cases"]
    cases.refresh()
    player = window.pages["player"]
    seen_kinds = set()
    for row in range(len(cases.rows)):
        go_to(window, "cases")
        cases.table.selectRow(row)
        cases.table.setFocus()
        _press(Qt.Key.Key_Return)
        case = player.case
        assert case.id == cases.rows[row][1].id
        _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # presentation
        if player.attempt.stage == "own_read":
            _press(Qt.Key.Key_Space)
            _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert player.attempt.stage == "ai_output", player.error.text()
        assert player.renderer is not None, player.ai_problem.text()
        seen_kinds.add(str(case.ai_kind))
        _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        _press(Qt.Key.Key_Space)  # agree
        for group in ("interpretation", "confidence", "action"):
            _tab_to(group)
            _press(Qt.Key.Key_Space)
        _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert player.attempt.stage == "feedback", (case.id, player.error.text())
        assert player.attempt.score is not None
    assert seen_kinds == {
        "ecg",
        "image",
        "risk",
        "trend",
        "triage",
        "prescription",
        "llm",
        "report",
    }
    window.close()
