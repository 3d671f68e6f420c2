"""Practice cases: the list searches by title words, filters by AI tool and by what the
doctor has not played yet, and plays what it shows."""

from __future__ import annotations

from pathlib import Path

from driver import click, create_first_admin, go_to, open_window, sign_in
from learning_fixtures import BANK, play, right_answer

from case_bank.vocabulary import AIKind


def test_search_filter_and_play_what_is_shown(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    play(window.ctx.db, window.ctx.user.id, "ecg-af-001", right_answer(BANK["ecg-af-001"]))
    go_to(window, "cases")
    page = window.pages["cases"]
    page.refresh()
    total = len(page.all_rows)
    assert total == page.table.rowCount() > 100
    assert page.count.text() == f"{total} of {total} cases"

    # Words of the title, in any order and case.
    page.search.setText("ATRIAL fibrillation")
    titles = [case.title.get().casefold() for _pack, case in page.rows]
    assert titles and all("atrial" in t and "fibrillation" in t for t in titles)
    assert page.table.rowCount() == len(page.rows) < total
    page.search.clear()

    # One AI tool; then only what this doctor has not played.
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(str(AIKind.ECG)))
    ecg = [case.id for _pack, case in page.rows]
    assert ecg and all(BANK[c].ai_kind == AIKind.ECG for c in ecg if c in BANK)
    assert "ecg-af-001" in ecg
    page.unplayed.setChecked(True)
    assert [case.id for _pack, case in page.rows] == [c for c in ecg if c != "ecg-af-001"]
    assert page.count.text() == f"{len(ecg) - 1} of {total} cases"

    # Nothing matches: nothing to start.
    page.search.setText("no such case title")
    assert page.table.rowCount() == 0
    assert not page.start_button.isEnabled() and not page.all_button.isEnabled()
    page.search.clear()

    # "Play all shown" plays the filtered list, first row first.
    first = page.rows[0][1].id
    click(page.all_button)
    player = window.pages["player"]
    assert window.pages_stack.currentWidget() is player
    assert player.attempt.case_id == first
    window.close()
