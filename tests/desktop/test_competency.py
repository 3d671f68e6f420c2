"""My competencies: estimates per domain with the evidence behind them, reliance in words."""

from __future__ import annotations

from pathlib import Path

from driver import (
    ANSWERS,
    answer_decision,
    answer_own_read,
    click,
    create_first_admin,
    go_to,
    keep_only,
    open_window,
    sign_in,
)

from xiangyi.i18n import _


def test_competency_page_after_three_cases(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    keep_only(window)
    go_to(window, "competency")
    page = window.pages["competency"]
    assert page.domains.rowCount() == 6
    assert page.evidence.rowCount() == 0
    go_to(window, "cases")
    click(window.pages["cases"].all_button)
    player = window.pages["player"]
    for _case in range(3):
        case_id = player.case.id
        click(player.continue_button)
        answer_own_read(window, ANSWERS[case_id][0])
        click(player.continue_button)
        answer_decision(window, case_id)
        click(player.next_button)
    go_to(window, "competency")
    encounters = next(
        row
        for row in range(6)
        if page.domains.item(row, 0).text() == _("AI-enhanced clinical encounters")
    )
    assert page.domains.item(encounters, 3).text() == "0 / 3"  # all three cases, practice
    page.domains.setCurrentCell(encounters, 0)
    assert page.evidence.rowCount() == 3
    sources = {page.evidence.item(r, 2).text() for r in range(3)}
    assert sources == {_("Practice")}
    assert any("⚠" in page.evidence.item(r, 3).text() for r in range(3))  # the STEMI miss
    summary = page.reliance.text()
    assert (
        _("You followed the AI when it was wrong in {n} of {total} cases.").format(n=1, total=2)
        in summary
    )
    assert "Brier" in summary
    window.close()
