"""The risk renderer: score on its bands, a signed bar per factor, tool info, truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.risk import RiskView, band_edges
from xiangyi import i18n
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-risk-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> RiskView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, RiskView)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_score_band_and_unit(view: RiskView) -> None:
    assert view.score_text.text() == "12.5 %"
    assert view.band_chip.text() == "高危"
    assert view.horizon_text.text() == "10 年风险"
    assert "12.5 %" in view.label_text.text() and "高危" in view.label_text.text()
    assert view.simulated_badge.isVisible()


def test_marker_sits_in_the_high_band(view: RiskView) -> None:
    edges = band_edges(view.output)
    assert edges[0] == (0.0, 5) and edges[1] == (5, 10)
    assert edges[2][0] == 10 and edges[2][1] > 12.5
    bar = view.band_bar
    assert bar.value_to_x(10) < bar.marker_x() < bar.value_to_x(edges[2][1])


def test_one_signed_bar_per_factor(view: RiskView) -> None:
    assert len(view.factor_bars) == 3
    assert [label.text() for label in view.factor_names] == ["收缩压", "吸烟", "高密度脂蛋白"]
    assert view.factor_values[0].text() == "158 mmHg"
    up, smoke, hdl = (bar.bar_rect() for bar in view.factor_bars)
    centre = view.factor_bars[0].width() / 2
    assert up.left() == pytest.approx(centre) and up.width() > smoke.width() > hdl.width() > 0
    assert hdl.right() == pytest.approx(centre)  # a negative contribution points left


def test_tool_information_shows_performance_note(qtbot: Any, view: RiskView) -> None:
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert view.info_panel.isVisible()
    assert "C 统计量 0.79" in view.info_panel.text()
    assert "心血管风险 AI" in view.info_panel.text()


def test_show_truth_banner(view: RiskView, pack: Pack) -> None:
    view.show_truth(pack.case(CASE))
    assert view.truth_banner.isVisible()
    assert _("The AI was right.") in view.truth_banner.text()


def test_language_switch(view: RiskView) -> None:
    i18n.set_language("en")
    QApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
    assert view.band_chip.text() == "High"
    assert view.factor_names[1].text() == "Smoking"
    assert view.info_button.text() == "Tool information"
