"""A case whose asset disappeared or was damaged after install: a clear message and a
way to skip it; what the doctor answered is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from driver import click, create_first_admin, go_to, open_window, sign_in

from case_bank.pack import load_pack
from records.tables import Attempt

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"


def test_damaged_asset_message_and_skip(qtbot, data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(FIXTURE, folder)
    pack = load_pack(folder)
    assert pack.valid
    chest = pack.case("kinds-image-chest-001")
    image = folder / chest.ai_output.image
    image.write_bytes(b"this is not a PNG any more")
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    window.ctx._packs = [pack]
    go_to(window, "cases")
    cases = window.pages["cases"]
    cases.refresh()
    start = next(i for i, (_p, c) in enumerate(cases.rows) if c.id == chest.id)
    cases.table.selectRow(start)
    click(cases.all_button if start == 0 else cases.start_button)
    player = window.pages["player"]
    assert player.case.id == chest.id
    click(player.continue_button)
    if player.attempt.stage == "own_read":
        player.own_read.choice.buttons[next(iter(player.own_read.choice.buttons))].setChecked(True)
        click(player.continue_button)
    assert player.problem_box.isVisible()
    assert image.name in player.ai_problem.text()
    click(player.continue_button)  # the decision cannot be reached without the output
    assert player.attempt.stage == "ai_output" and player.error.isVisible()
    attempt_id = player.attempt.id
    click(player.skip_button)
    with window.ctx.db.session() as session:
        stored = session.get(Attempt, attempt_id)
        assert stored.status == "abandoned"
        assert "own_read" in stored.answers or chest.own_read is None
    window.close()
