"""The foundation journey through the real window: first administrator, a learner,
three ECG cases with scored feedback, everything stored."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from driver import (
    ANSWERS,
    add_account,
    answer_decision,
    answer_own_read,
    click,
    create_first_admin,
    keep_only,
    open_window,
    sign_in,
    stage,
)

from xiangyi.i18n import _


@pytest.fixture
def audit_network() -> list[tuple[str, object]]:
    """Record every socket-level audit event (Python 3.8+ audit hooks)."""
    events: list[tuple[str, object]] = []

    def hook(event: str, args: object) -> None:
        if event.startswith("socket.") and event not in ("socket.__new__",):
            events.append((event, args))

    sys.addaudithook(hook)
    return events


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_admin_creates_learner_who_plays_three_cases(
    qtbot, data_dir: Path, no_dangling_threads: None, audit_network: list, language: str
) -> None:
    from records import attempts
    from xiangyi import i18n

    i18n.set_language(language)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.first_admin

    create_first_admin(window)
    assert window.stack.currentWidget() is window.login
    sign_in(window, "admin", "wrong-password")
    assert window.login.error.isVisible()
    assert window.login.error.text() == _("The user name or password is wrong.")
    sign_in(window, "admin", "admin-pass-1")
    assert window.stack.currentWidget() is window.workspace

    add_account(window, "wang", "王医生", "short", "learner")
    assert window.pages["accounts"].error.isVisible()
    add_account(window, "wang", "王医生", "learner-pass-1", "learner")
    assert window.pages["accounts"].table.rowCount() == 2
    click(window.sign_out)
    assert window.stack.currentWidget() is window.login

    sign_in(window, "wang", "learner-pass-1")
    keep_only(window)
    cases = window.pages["cases"]
    assert cases.table.rowCount() == 3
    click(cases.all_button)
    player = window.pages["player"]
    played = []
    for _index in range(3):
        case = player.case
        played.append(case.id)
        assert stage(window) == "presentation"
        click(player.continue_button)
        assert stage(window) == "own_read"
        click(player.continue_button)  # nothing chosen: refused with a message
        assert stage(window) == "own_read"
        assert player.error.isVisible()
        answer_own_read(window, ANSWERS[case.id][0])
        assert stage(window) == "ai_output"
        assert player.renderer is not None and player.ai_area.isVisible()
        click(player.continue_button)
        assert stage(window) == "decision"
        answer_decision(window, case.id)
        assert stage(window) == "feedback", (case.id, player.error.text())
        text = player.feedback.text()
        assert (
            _("Score: {total} / 100 · {verdict}").split("{")[0] in text
            and _("Teaching points") in text
        )
        assert case.feedback.truth.get() in text
        if case.id == "ecg-stemi-002":
            assert _("Critical error: this action could harm the patient.") in text
        click(player.next_button)

    assert window.pages_stack.currentWidget() is cases
    assert sorted(played) == ["ecg-af-001", "ecg-peds-003", "ecg-stemi-002"]
    stored = {a.case_id: a for a in attempts.completed(window.ctx.db, window.ctx.user.id)}
    assert set(stored) == set(played)
    assert stored["ecg-af-001"].score["correct"] is True
    assert stored["ecg-af-001"].score["reliance"] == "appropriate_acceptance"
    assert stored["ecg-stemi-002"].score["critical_error"] is True
    assert stored["ecg-stemi-002"].score["reliance"] == "over_reliance"
    assert stored["ecg-peds-003"].score["reliance"] == "appropriate_override"
    assert stored["ecg-peds-003"].answers["own_read"] == {"interpretation": "sinus_tach_fever"}
    assert all(a.stage_seconds["decision"] >= 0 for a in stored.values())
    # Scores are visible in the case list.
    assert cases.table.item(0, 3).text() == str(round(stored["ecg-af-001"].score["total"] * 100))

    # Offline: nothing tried to connect, and Qt's network module was never loaded.
    connects = [e for e in audit_network if e[0] in ("socket.connect", "socket.getaddrinfo")]
    assert connects == []
    assert "PySide6.QtNetwork" not in sys.modules
    assert socket  # the autouse guard also fails any connect
    window.close()


def test_language_switch_relabels_the_screens(qtbot, data_dir: Path, no_dangling_threads: None):
    from xiangyi import i18n

    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    window.language.setCurrentIndex(window.language.findData("en"))
    assert i18n.current_language() == "en"
    assert window.sign_out.text() == "Sign out"
    assert window.nav.item(0).text() == "Accounts"
    window.language.setCurrentIndex(window.language.findData("zh_CN"))
    assert window.sign_out.text() == _("Sign out")
    window.close()
