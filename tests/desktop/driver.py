"""Drive the real main window as a person would (used by several tests and scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from desktop.shell import MainWindow

Answer = tuple[str, str, str, str, str, list[str]]


def key_answer(case_id: str) -> Answer:
    """A right answer read from the case's scoring key: the own read and final reading
    the key scores highest, the expected reliance, the first ideal action and the
    limitations that count."""
    from case_bank.pack import builtin_packs

    case = next(c for p in builtin_packs() for c in p.cases if c.id == case_id)
    key = case.key
    best = max(key.interpretation, key=lambda option: key.interpretation[option])
    limits = [str(x) for x in key.limitations] or ["none_noticed"]
    return (best, str(key.expected_reliance), best, "90", key.ideal_actions[0], limits)


class _FromKey(dict[str, Answer]):
    """Answers by case id; a case not listed is answered from its scoring key."""

    def __missing__(self, case_id: str) -> Answer:
        self[case_id] = key_answer(case_id)
        return self[case_id]


ANSWERS = _FromKey(
    {
        # case id: (own read, reliance, interpretation, confidence, action, limitations)
        "ecg-af-001": ("af", "accept", "af", "90", "refer_routine", []),
        "ecg-stemi-002": ("normal", "accept", "normal", "80", "reassure_no_followup", []),
        "ecg-peds-003": (
            "sinus_tach_fever",
            "override",
            "sinus_tach_fever",
            "70",
            "manage_locally",
            ["out_of_population"],
        ),
    }
)


# Right answers for every built-in case (a module check that passes).
CORRECT = _FromKey(
    {
        "ecg-af-001": ("af", "accept", "af", "90", "refer_routine", ["none_noticed"]),
        "ecg-stemi-002": (
            "stemi",
            "override",
            "stemi",
            "90",
            "refer_urgent",
            ["missing_finding", "conflicts_with_clinical"],
        ),
        "ecg-peds-003": ANSWERS["ecg-peds-003"],
    }
)


def wait_until(condition: Any, timeout_ms: int = 15_000) -> None:
    waited = 0
    while not condition():
        QApplication.processEvents()
        QTest.qWait(20)
        waited += 20
        if waited > timeout_ms:
            raise TimeoutError("condition not met")


def click(button: QAbstractButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(field: QLineEdit, text: str) -> None:
    field.clear()
    field.setFocus()
    if text.isascii():
        QTest.keyClicks(field, text)
    else:  # QTest types ASCII only; Chinese arrives as committed input-method text
        field.insert(text)


def open_window(data_dir: Path) -> MainWindow:
    window = MainWindow(data_dir)
    window.show()
    window.open_database()
    wait_until(lambda: window.ctx is not None)
    return window


def create_first_admin(window: MainWindow, username: str = "admin") -> None:
    screen = window.first_admin
    type_into(screen.full_name, "张主任")
    type_into(screen.username, username)
    type_into(screen.password, "admin-pass-1")
    type_into(screen.confirm, "admin-pass-1")
    click(screen.create_button)


def sign_in(window: MainWindow, username: str, password: str) -> None:
    type_into(window.login.username, username)
    type_into(window.login.password, password)
    click(window.login.sign_in)


def add_account(window: MainWindow, username: str, name: str, password: str, role: str) -> None:
    page = window.pages["accounts"]
    window.pages_stack.setCurrentWidget(page)
    type_into(page.full_name, name)
    type_into(page.username, username)
    type_into(page.password, password)
    page.role.setCurrentIndex(page.role.findData(role))
    click(page.add_button)


def choose(widget: QWidget, name: str) -> None:
    button = widget.findChild(QAbstractButton, name)
    assert button is not None, f"no option {name}"
    button.setChecked(True)


def answer_own_read(window: MainWindow, option: str) -> None:
    player = window.pages["player"]
    choose(player.own_read, f"own_read_{option}")
    click(player.continue_button)


def answer_decision(window: MainWindow, case_id: str) -> None:
    fill_decision(window, case_id)
    click(window.pages["player"].continue_button)


def fill_form(form: QWidget, answers: tuple) -> None:  # type: ignore[type-arg]
    """Tick a decision form (the player's or the exam's) from an ANSWERS-style tuple."""
    _own, reliance, interp, confidence, action, limits = answers
    for name in (
        f"reliance_{reliance}",
        f"interpretation_{interp}",
        f"confidence_{confidence}",
        f"action_{action}",
        *(f"limitations_{x}" for x in limits),
    ):
        choose(form, name)


def fill_decision(window: MainWindow, case_id: str) -> None:
    player = window.pages["player"]
    _own, reliance, interp, confidence, action, limits = ANSWERS[case_id]
    form = player.decision
    choose(form, f"reliance_{reliance}")
    choose(form, f"interpretation_{interp}")
    choose(form, f"confidence_{confidence}")
    choose(form, f"action_{action}")
    for limit in limits:
        choose(form, f"limitations_{limit}")


def stage(window: MainWindow) -> str:
    return window.pages["player"].attempt.stage


def go_to(window: MainWindow, key: str) -> None:
    """Choose a navigation entry by its page key, as a click in the side bar would."""
    from desktop.shell import NAV

    keys = [k for k, _label in NAV[window.ctx.user.role]]
    if window.nav.currentRow() == keys.index(key):
        window.nav.setCurrentRow(-1)  # clicking the current entry again shows its page
    window.nav.setCurrentRow(keys.index(key))
    assert window.pages_stack.currentWidget() is window.pages[key]


FIRST_CASES = ("ecg-af-001", "ecg-stemi-002", "ecg-peds-003")


def keep_only(window: MainWindow, case_ids: tuple[str, ...] = FIRST_CASES) -> None:
    """Narrow the window's case bank to ``case_ids`` (the three first ECG cases by
    default), so a test can walk a known, short list in a known order."""
    import copy

    from case_bank.pack import builtin_packs

    packs = []
    for pack in builtin_packs():
        cases = [c for c in pack.cases if c.id in case_ids]
        if cases:
            narrowed = copy.copy(pack)
            narrowed.cases = cases
            packs.append(narrowed)
    window.ctx._packs = packs
    window.ctx._modules = []
    for page in window.pages.values():
        if hasattr(page, "refresh"):
            page.refresh()
