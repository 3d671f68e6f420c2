"""Study history: search, filter, the feedback shown again, study time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from driver import create_first_admin, go_to, open_window, sign_in, type_into
from learning_fixtures import BANK, play, right_answer, wrong_answer

from records import accounts
from records.history import Show
from xiangyi.i18n import _


def test_history_search_filter_and_feedback(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    db = window.ctx.db
    wang = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    af, stemi, peds = BANK["ecg-af-001"], BANK["ecg-stemi-002"], BANK["ecg-peds-003"]
    play(db, wang.id, af.id, right_answer(af), at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    bad = {**right_answer(stemi), "reliance": "accept", "interpretation": "normal"}
    bad["action"] = stemi.key.critical_actions[0]
    play(db, wang.id, stemi.id, bad, at=datetime(2026, 2, 9, 9, tzinfo=UTC))
    play(db, wang.id, peds.id, wrong_answer(peds), at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    sign_in(window, "wang", "learner-pass-1")
    go_to(window, "history")
    page = window.pages["history"]
    assert page.table.rowCount() == 3
    assert page.table.item(0, 0).text() == peds.title.get()  # newest first
    assert page.count.text() == _("{shown} of {total}").format(shown=3, total=3)
    assert _("Study time for continuing education").split(":")[0] in page.study.text()
    # The feedback of the selected attempt, read-only, as the player showed it.
    assert peds.feedback.truth.get() in page.feedback.text()
    assert page.feedback.browser.isReadOnly()

    type_into(page.search, "stemi")
    assert page.table.rowCount() == 1
    assert page.table.item(0, 5).text() == _("Yes")  # the critical error
    assert _("Critical error: this action could harm the patient.") in page.feedback.text()
    type_into(page.search, af.title.zh_CN[:4])  # the Chinese title matches in English too
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == af.title.get()
    page.search.clear()
    page.show_filter.setCurrentIndex(page.show_filter.findData(str(Show.NOT_CORRECT)))
    assert page.table.rowCount() == 2
    page.show_filter.setCurrentIndex(page.show_filter.findData(str(Show.CRITICAL)))
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        stemi.title.get()
    ]
    page.show_filter.setCurrentIndex(page.show_filter.findData(str(Show.OVER_RELIANCE)))
    assert page.table.rowCount() == 2
    assert page.table.item(0, 4).text() == _("Followed a wrong AI")
    type_into(page.search, "2026-01")
    assert page.table.rowCount() == 0
    assert page.count.text() == _("{shown} of {total}").format(shown=0, total=3)
    window.close()
