"""The triage renderer: the level chip, the five-level scale, the reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.triage import TriageView
from xiangyi import i18n
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-triage-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> TriageView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, TriageView)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_level_chip_and_name(view: TriageView) -> None:
    assert view.level == 2
    assert view.level_chip.text() == _("Level {n}").format(n=2)
    assert view.level_name.text() == _("Emergent")
    assert "#ea580c" in view.level_chip.styleSheet()
    assert view.simulated_badge.isVisible()


def test_scale_highlights_the_suggested_level(view: TriageView) -> None:
    assert len(view.scale_cells) == 5
    chosen = [c for c in view.scale_cells if "3px solid" in c.styleSheet()]
    assert chosen == [view.scale_cells[1]]


def test_reasons_recommendation_confidence(view: TriageView) -> None:
    assert "典型缺血性胸痛" in view.reasons_text.text()
    assert "年龄超过 65 岁" in view.reasons_text.text()
    assert "10 分钟内完成心电图" in view.recommendation_text.text()
    assert "85%" in view.confidence_text.text()


def test_tool_info_truth_and_language(qtbot: Any, view: TriageView, pack: Pack) -> None:
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert "92%" in view.info_panel.text() and "75%" in view.info_panel.text()
    view.show_truth(pack.case(CASE))
    assert view.truth_banner.isVisible()
    i18n.set_language("en")
    QApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
    assert "Typical ischaemic chest pain" in view.reasons_text.text()
    assert view.truth_banner.isVisible() and "The AI was right." in view.truth_banner.text()
