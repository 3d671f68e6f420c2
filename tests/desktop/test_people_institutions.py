"""The institutions tab: build a county → township → village tree, rename, move, and
see a level rule refused."""

from __future__ import annotations

from pathlib import Path

from driver import click, type_into

from desktop.context import AppContext
from desktop.screens.people import AccountsScreen
from records import accounts, audit
from records.db import Database
from records.institution_tree import institution_tree


def _tree(db: Database) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [
        (
            r.institution.name_zh,
            [
                (t.institution.name_zh, [v.institution.name_zh for v in t.children])
                for t in r.children
            ],
        )
        for r in institution_tree(db)
    ]


def _add(panel, name: str, level: str, code: str = "") -> None:  # type: ignore[no-untyped-def]
    type_into(panel.name_zh, name)
    type_into(panel.code, code)
    panel.level.setCurrentIndex(panel.level.findData(level))
    click(panel.add_button)


def test_build_rename_and_move(qtbot, db: Database, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    screen = AccountsScreen(AppContext(data_dir=data_dir, db=db, user=admin))
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentIndex(1)
    panel = screen.institutions
    assert panel.tree.topLevelItemCount() == 0
    assert not panel.rename_button.isEnabled()

    _add(panel, "青山县卫健委", "county", "QS")
    panel.select("青山县卫健委")
    assert panel.level.currentData() == "township"  # the usual level below is proposed
    _add(panel, "红星乡卫生院", "township", "HX-001")
    _add(panel, "东岭乡卫生院", "township")
    panel.select("红星乡卫生院")
    _add(panel, "红星村卫生室", "village")
    assert _tree(db) == [
        ("青山县卫健委", [("东岭乡卫生院", []), ("红星乡卫生院", ["红星村卫生室"])]),
    ]
    assert panel.tree.topLevelItem(0).child(1).child(0).text(0) == "红星村卫生室"

    # A village straight under the county breaks the level rule: refused, shown, not stored.
    panel.select("青山县卫健委")
    _add(panel, "错误村", "village")
    assert panel.error.isVisible() and "cannot be placed" in panel.error.text()
    assert len(institution_tree(db)[0].children) == 2
    _add(panel, "重复编码院", "township", "HX-001")  # a code names one institution only
    assert "already used" in panel.error.text()
    assert len(institution_tree(db)[0].children) == 2

    panel.select("红星村卫生室")
    assert panel.under.currentText().strip() == "红星村卫生室 (Village)"
    type_into(panel.rename_zh, "红星村第一卫生室")
    click(panel.rename_button)
    targets = [panel.move_to.itemText(i).strip() for i in range(panel.move_to.count())]
    assert targets == ["(top level)", "东岭乡卫生院 (Township)", "红星乡卫生院 (Township)"]
    assert panel.move_to.currentIndex() == 2  # where it is now
    panel.move_to.setCurrentIndex(1)
    click(panel.move_button)
    assert _tree(db) == [
        ("青山县卫健委", [("东岭乡卫生院", ["红星村第一卫生室"]), ("红星乡卫生院", [])]),
    ]
    with db.session() as session:
        events = [e.event for e in audit.recent(session) if e.actor_id == admin.id]
    assert events.count("institution_created") == 4
    assert "institution_renamed" in events and "institution_moved" in events

    # The people form offers the new places, indented under their parents.
    screen.tabs.setCurrentIndex(0)
    places = [screen.people.place.itemText(i) for i in range(screen.people.place.count())]
    assert places[1] == "青山县卫健委 (County)"
    assert places[3] == "        红星村第一卫生室 (Village)"
