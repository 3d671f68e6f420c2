"""The report renderer: sections under headings, the impression, the truth banner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.report import ReportView
from xiangyi import i18n
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-report-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> ReportView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, ReportView)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_sections_impression_and_confidence(view: ReportView) -> None:
    text = view.document.toPlainText()
    assert view.section_headings() == ["所见", _("Impression")]
    assert "所见" in text and "双肺纹理清晰，未见实变。" in text
    assert text.index("所见") < text.index(_("Impression")) < text.index("胸片未见异常")
    assert "70%" in text
    assert "胸片未见异常" in view.label_text.text()
    assert view.simulated_badge.isVisible()


def test_tool_info_shows_intended_population(qtbot: Any, view: ReportView) -> None:
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert "18 岁及以上成人胸片报告初稿" in view.info_panel.text()


def test_truth_banner_and_language(view: ReportView, pack: Pack) -> None:
    view.show_truth(pack.case(CASE))
    assert view.truth_banner.isVisible()
    assert _("Input outside the tool's scope") in view.truth_banner.text()
    i18n.set_language("en")
    QApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
    assert "Clear lung markings" in view.document.toPlainText()
    assert "The AI was wrong." in view.truth_banner.text()
