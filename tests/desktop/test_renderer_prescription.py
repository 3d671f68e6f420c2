"""The prescription renderer: the items table, alerts by severity, the truth per alert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from case_bank.outputs import AlertSeverity
from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.prescription import PrescriptionView
from xiangyi import i18n
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-rx-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> PrescriptionView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, PrescriptionView)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_items_table(view: PrescriptionView) -> None:
    table = view.table
    assert table.rowCount() == 2
    row = [table.item(1, c).text() for c in range(table.columnCount())]
    assert row[:6] == ["2", "布洛芬", "400 mg", _("oral"), "每日 3 次", "7 天"]
    assert table.item(0, 5).text() == "—"
    assert _("Critical") in table.item(1, 6).text()
    assert _("Information") in table.item(0, 6).text()


def test_alerts_grouped_by_severity_critical_first(view: PrescriptionView) -> None:
    assert [card.alert.severity for card in view.alert_cards] == [
        AlertSeverity.CRITICAL,
        AlertSeverity.INFO,
    ]
    assert view.group_titles[AlertSeverity.CRITICAL].isVisible()
    assert not view.group_titles[AlertSeverity.WARNING].isVisible()
    critical = view.alert_cards[0].text.text()
    assert "华法林与布洛芬合用增加出血风险" in critical
    assert "1. 华法林" in critical and "2. 布洛芬" in critical
    assert "2" in view.label_text.text()


def test_alerts_show_no_truth_before_the_decision(view: PrescriptionView) -> None:
    assert all(not card.verdict.isVisible() for card in view.alert_cards)
    assert all("<s>" not in card.text.text() for card in view.alert_cards)


def test_show_truth_marks_true_and_false_alerts(view: PrescriptionView, pack: Pack) -> None:
    view.show_truth(pack.case(CASE))
    critical, info = view.alert_cards
    assert critical.verdict.isVisible() and info.verdict.isVisible()
    assert critical.verdict.text() == _("✓ True alert: act on it.")
    assert info.verdict.text() == _("✗ False alert: clinically not relevant here.")
    assert "<s>" in info.text.text() and "<s>" not in critical.text.text()
    assert view.truth_banner.isVisible() and _("Alert fatigue") in view.truth_banner.text()
    i18n.set_language("en")
    QApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
    assert "Warfarin with ibuprofen" in critical.text.text()
    assert info.text.text().count("<s>") == 1  # marked again, not twice
