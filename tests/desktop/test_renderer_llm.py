"""The LLM renderer: a chat with the assistant's sources; the truth marks false statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.llm import FALSE_MARK, LlmView
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-llm-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> LlmView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, LlmView)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_bubbles_left_and_right_with_speakers(view: LlmView) -> None:
    doctor, assistant = view.bubbles
    assert doctor.speaker.text() == _("Doctor")
    assert assistant.speaker.text() == _("AI assistant")
    assert doctor.text.text() == "孕早期感冒可以用什么药？"
    assert "孕期服用利巴韦林是安全的。" in assistant.text.text()
    assert doctor.geometry().left() > assistant.geometry().left()  # doctor on the right
    assert doctor.geometry().right() > assistant.geometry().right()


def test_sources_listed_under_the_assistant_message(view: LlmView) -> None:
    doctor, assistant = view.bubbles
    assert not doctor.sources.isVisible()
    assert assistant.sources.isVisible()
    assert "[1] 妊娠期用药指南 2023 第 5 版" in assistant.sources.text()
    assert "<s>" not in assistant.sources.text()  # invented, but not marked before feedback
    assert FALSE_MARK not in assistant.text.text()
    assert not assistant.notes.isVisible()


def test_show_truth_highlights_false_statement_and_invented_citation(
    view: LlmView, pack: Pack
) -> None:
    view.show_truth(pack.case(CASE))
    assistant = view.bubbles[1]
    assert f"<span style='{FALSE_MARK}'>孕期服用利巴韦林是安全的。</span>" in assistant.text.text()
    assert "<s>" in assistant.sources.text()
    assert _("✗ invented: this source does not exist") in assistant.sources.text()
    assert assistant.notes.isVisible()
    assert "利巴韦林有致畸性，孕妇禁用。" in assistant.notes.text()
    assert view.truth_banner.isVisible()


def test_tool_information(qtbot: Any, view: LlmView) -> None:
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert "未经临床验证" in view.info_panel.text()
    assert "为医生提供参考信息，不做诊断" in view.info_panel.text()
