"""The learner's home: progress, what next, spaced review, competency with evidence;
a review session played from it; the language switch re-labels it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from driver import (
    CORRECT,
    answer_own_read,
    click,
    create_first_admin,
    fill_form,
    open_window,
    sign_in,
)
from learning_fixtures import BANK, play, right_answer, wrong_answer
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from case_bank.vocabulary import DOMAIN_LABELS, Domain
from records import accounts
from records.assignments import assign
from records.attempts import completed
from xiangyi.i18n import _, ngettext

FAILED = ("ecg-af-001", "ecg-stemi-002", "ecg-peds-003")


def _learner_with_history(data_dir: Path):  # type: ignore[no-untyped-def]
    """A window, an administrator, and a learner who failed three cases three days ago,
    got one right, and has a module assigned for the day after tomorrow."""
    window = open_window(data_dir)
    create_first_admin(window)
    db = window.ctx.db
    admin = accounts.list_users(db)[0]
    wang = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    earlier = datetime.now(UTC) - timedelta(days=3)
    for case_id in FAILED:
        play(db, wang.id, case_id, wrong_answer(BANK[case_id]), at=earlier)
    play(db, wang.id, "ecg-af-001", right_answer(BANK["ecg-af-001"]), at=earlier)
    assign(db, admin, due=date.today() + timedelta(days=2), module_id="ecg-ai", user_id=wang.id)
    sign_in(window, "wang", "learner-pass-1")
    return window, wang


def test_home_shows_where_the_learner_stands(qtbot, data_dir: Path) -> None:
    window, _wang = _learner_with_history(data_dir)
    qtbot.addWidget(window)
    home = window.pages["home"]
    assert window.pages_stack.currentWidget() is home  # the first page after sign-in
    assert home.heading.text() == _("Welcome, {name}").format(name="王医生")
    # What next: the assignment due soon, then the review.
    first = home.findChild(type(home.review_button), "next_1")
    second = home.findChild(type(home.review_button), "next_2")
    title = home.title("ecg-ai")
    assert home.next_rows[0][0].text() == ngettext(
        "Assigned module \u201c{title}\u201d is due in {n} day.",
        "Assigned module \u201c{title}\u201d is due in {n} days.",
        2,
    ).format(title=title, n=2)
    assert first.text().endswith(_("Open module"))
    assert second.text().endswith(_("Start review"))
    assert home.review_button.isEnabled()
    # Modules with progress and the next step; the assignment with its due date.
    assert home.modules.rowCount() == len(window.ctx.modules)
    row = next(r for r in range(home.modules.rowCount()) if home.modules.item(r, 0).text() == title)
    assert home.modules.item(row, 2).text().startswith(_("Lesson {i}: {title}").split("{")[0])
    assert home.assignments.rowCount() == 1
    assert home.assignments.item(0, 1).text() == (date.today() + timedelta(days=2)).isoformat()
    # Domains: chart and list, and the evidence of the selected domain.
    qtbot.waitUntil(lambda: home.chart is not None)  # drawn just after the page shows
    assert home.domains.count() == 6 == len(home.chart.means)
    # A domain without evidence has no bar (its 50 % is only the starting guess).
    known = [m.evidence_count > 0 for m in home.domain_box.mastery]
    assert home.chart.known == known and 0 < sum(known) < 6
    assert len(home.chart.bars.opts["width"]) == sum(known)
    assert [n.textItem.toPlainText() for n in home.chart.notes] == [_("no evidence yet")] * (
        6 - sum(known)
    )
    encounters = next(
        r for r in range(6) if _("AI-enhanced clinical encounters") in home.domains.item(r).text()
    )
    home.domains.setCurrentRow(encounters)
    assert home.chart.selected == encounters
    assert home.evidence.rowCount() == 4
    # Reliance in plain words, certificates, study time.
    reliance = home.picture.competency.reliance
    wrong = reliance.over_reliance + reliance.appropriate_override
    expected = ngettext(
        "You followed the AI when it was wrong in {n} of {total} case.",
        "You followed the AI when it was wrong in {n} of {total} cases.",
        wrong,
    ).format(n=reliance.over_reliance, total=wrong)
    assert expected in home.reliance.text()
    assert home.certificates.text() == _(
        "No certificate yet. Pass the certification exam to earn one."
    )
    assert str(date.today().year) in home.study.text()
    # The third suggestion: practise the weakest domain, its unplayed cases first.
    third = home.findChild(type(home.review_button), "next_3")
    assert third.text().endswith(_("Practise"))
    weak = home.picture.suggestions[2].target
    assert _(DOMAIN_LABELS[Domain(weak)]) in home.next_rows[2][0].text()
    click(third)
    player = window.pages["player"]
    assert window.pages_stack.currentWidget() is player and player.mode == "practice"
    assert weak in {str(d) for d in player.case.domains}
    assert player.case.id not in FAILED  # cases not played yet come first
    click(player.back_button)
    assert window.pages_stack.currentWidget() is home
    # Opening the assignment opens the module.
    home.assignments.selectRow(0)
    click(home.assignment_button)
    assert window.pages_stack.currentWidget() is window.pages["module"]
    assert window.pages["module"].loaded.module.id == "ecg-ai"
    window.close()


def test_review_session_from_home(qtbot, data_dir: Path) -> None:
    window, wang = _learner_with_history(data_dir)
    qtbot.addWidget(window)
    home = window.pages["home"]
    session = list(home.picture.review_session)
    assert sorted(session[:3]) == sorted(FAILED)  # the three due cases come first
    click(home.review_button)
    player = window.pages["player"]
    assert window.pages_stack.currentWidget() is player
    assert player.back_button.text() == _("Back to the home page")
    db = window.ctx.db
    for index, case_id in enumerate(session):
        assert player.case.id == case_id
        click(player.continue_button)
        if player.attempt.stage == "own_read":
            answer_own_read(window, CORRECT[case_id][0])
        click(player.continue_button)
        fill_form(player.decision, CORRECT[case_id])
        click(player.continue_button)
        assert player.attempt.stage == "feedback", player.error.text()
        # Stored (committed, as a review) before the feedback shows.
        reviews = [a for a in completed(db, wang.id) if a.mode == "review"]
        assert len(reviews) == index + 1 and reviews[-1].case_id == case_id
        click(player.next_button)
    assert window.pages_stack.currentWidget() is home
    # Answered well: none of them is due any more; the schedule moved on.
    assert home.picture.due_reviews == 0
    assert not home.review_button.isEnabled()
    plan = home.picture.review
    assert all(plan.by_case[c].due > datetime.now(UTC) + timedelta(hours=12) for c in FAILED)
    window.close()


def test_home_by_keyboard_and_language_switch(qtbot, data_dir: Path) -> None:
    window, _wang = _learner_with_history(data_dir)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    home = window.pages["home"]
    # Tab goes through the suggestions in reading order, then on to the review button.
    first, second, third = (button for _label, button in home.next_rows)
    first.setFocus()
    for expected in (second, third, home.review_button, home.modules):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    QTest.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # My modules
    assert QApplication.focusWidget() is home.modules
    QTest.keyClick(home.modules, Qt.Key.Key_Return)
    assert window.pages_stack.currentWidget() is window.pages["module"]
    window.go_to_page("home")
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # the review
    # A mnemonic "animates" the click: it lands a moment later.
    qtbot.waitUntil(lambda: window.pages_stack.currentWidget() is window.pages["player"])
    assert window.pages["player"].mode == "review"
    click(window.pages["player"].back_button)
    assert window.pages_stack.currentWidget() is home

    from desktop.qt_i18n import QtLanguage

    bridge = QtLanguage(QApplication.instance())  # as the app does: LanguageChange events
    try:
        window.language.setCurrentIndex(window.language.findData("zh_CN"))
        qtbot.waitUntil(lambda: home.modules.horizontalHeaderItem(0).text() == "模块")
        assert home.heading.text() == _("Welcome, {name}").format(name="王医生")
        assert home.evidence.horizontalHeaderItem(0).text() == "病例"
        assert window.nav.item(0).text() == _("Home")
        window.language.setCurrentIndex(window.language.findData("en"))
        qtbot.waitUntil(lambda: home.modules.horizontalHeaderItem(0).text() == "Module")
        assert home.modules_box.title() == "My &modules"
    finally:
        bridge.close()
    window.close()


def test_home_fits_1366x768_at_150_percent(qtbot, data_dir: Path) -> None:
    from desktop.theme import apply

    app = QApplication.instance()
    window, _wang = _learner_with_history(data_dir)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    try:
        window._display_chosen(150, False)
        home = window.pages["home"]
        window.go_to_page("home")
        QApplication.processEvents()
        assert window.width() <= 1366 and window.height() <= 768
        assert not home.scroll.horizontalScrollBar().isVisible()  # scrolls down only
        content = home.scroll.widget()
        assert content.width() <= home.scroll.viewport().width()
        for button in (home.review_button, home.open_button):
            assert button.width() >= button.sizeHint().width() - 1  # the text is not cut
    finally:
        apply(app, 100, False)
        window.close()
