"""The own read shows the ECG or film itself, with the AI's marks hidden until the
doctor has committed an impression."""

from __future__ import annotations

from pathlib import Path

from driver import answer_own_read, click, create_first_admin, go_to, open_window, sign_in

from case_bank.pack import load_pack
from xiangyi.i18n import _

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
HIDDEN = "The AI's reading is hidden until you record your own impression."


def test_ecg_and_film_are_shown_raw_for_the_own_read(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    go_to(window, "cases")
    cases = window.pages["cases"]
    cases.table.selectRow(next(i for i, (_p, c) in enumerate(cases.rows) if c.id == "ecg-af-001"))
    click(cases.start_button)
    player = window.pages["player"]
    click(player.continue_button)
    assert player.attempt.stage == "own_read"
    view = player.renderer
    assert player.ai_area.isVisible() and view.ai_hidden
    assert view.label_text.text() == _(HIDDEN)
    assert not view.beat_marks.isVisible() and not view.findings_text.isVisible()
    answer_own_read(window, "af")
    assert not view.ai_hidden and view.beat_marks.isVisible()
    assert player.case.ai_output.label.get() in view.label_text.text()

    pack = load_pack(FIXTURE)
    window.ctx._packs = [pack]
    from case_bank.models import OwnRead
    from case_bank.text import Bilingual

    prompt = Bilingual(zh_CN="请先自己阅片。", en="Read the film yourself first.")
    chest = pack.case("kinds-image-chest-001").model_copy(
        update={"own_read": OwnRead(required=True, prompt=prompt)}
    )
    player.start(pack, chest)
    click(player.continue_button)
    assert player.attempt.stage == "own_read"
    film = player.renderer
    assert film.ai_hidden and film.overlay_group.isHidden()
    assert not any(item.isVisible() for item in film.box_items)
    first = next(iter(player.own_read.choice.buttons))
    answer_own_read(window, first)
    assert not film.overlay_group.isHidden()
    assert all(item.isVisible() for item in film.box_items)
    window.close()


def test_trend_shows_measurements_only_and_risk_shows_nothing_before_the_own_read(
    qtbot, data_dir: Path
) -> None:
    """Kinds without a raw input (a risk score) show no output at all for the own read;
    a trend shows the measured series without the forecast, alerts or summary."""
    from case_bank.models import OwnRead
    from case_bank.text import Bilingual

    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    pack = load_pack(FIXTURE)
    window.ctx._packs = [pack]
    player = window.pages["player"]
    prompt = Bilingual(zh_CN="请先自己判断。", en="Judge it yourself first.")
    own_read = OwnRead(required=True, prompt=prompt)

    risk = pack.case("kinds-risk-001").model_copy(update={"own_read": own_read})
    window.pages_stack.setCurrentWidget(player)
    player.start(pack, risk)
    click(player.continue_button)
    assert player.attempt.stage == "own_read"
    assert not player.ai_area.isVisible()
    answer_own_read(window, next(iter(player.own_read.choice.buttons)))
    assert player.ai_area.isVisible() and not player.renderer.ai_hidden

    trend = pack.case("kinds-trend-001").model_copy(update={"own_read": own_read})
    player.start(pack, trend)
    click(player.continue_button)
    view = player.renderer
    assert player.ai_area.isVisible() and view.ai_hidden
    assert all(curve.isVisible() for curve in view.curves)
    assert not view.alert_marks.isVisible() and view.alerts_text.isHidden()
    assert not any(item.isVisible() for item in view.forecast_items)
    answer_own_read(window, next(iter(player.own_read.choice.buttons)))
    assert view.alert_marks.isVisible() and not view.alerts_text.isHidden()
    assert all(item.isVisible() for item in view.forecast_items)
    window.close()
