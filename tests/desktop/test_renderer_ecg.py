"""The ECG renderer, driven as a doctor would: read the label, toggle marks, open tool info."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from case_bank.assets import load_signal
from case_bank.models import EcgOutput
from case_bank.pack import builtin_packs_dir, load_pack
from desktop.renderers.ecg import EcgView
from xiangyi import i18n
from xiangyi.i18n import _


@pytest.fixture
def language() -> Iterator[None]:
    """Each test starts in Chinese and leaves the process language as it found it."""
    before = i18n.current_language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(before)


@pytest.fixture
def af_case() -> tuple[EcgOutput, Any]:
    pack = load_pack(builtin_packs_dir() / "ecg-basics")
    output = pack.case("ecg-af-001").ai_output
    return output, load_signal(pack.asset_path(output.signal), output.leads)


@pytest.fixture
def view(qtbot: Any, language: None, af_case: tuple[EcgOutput, Any]) -> EcgView:
    output, signal = af_case
    widget = EcgView(output, signal)
    qtbot.addWidget(widget)
    widget.resize(1200, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_header_shows_label_confidence_and_lead(view: EcgView) -> None:
    output = view.output
    assert output is not None
    text = view.label_text.text()
    assert output.label.get() in text
    assert "94%" in text
    assert "II" in text
    assert view.simulated_badge.isVisible()
    assert view.simulated_badge.text() == _("Simulated signal")


def test_one_marker_per_beat_and_checkbox_hides_them(qtbot: Any, view: EcgView) -> None:
    output = view.output
    assert output is not None
    assert len(view.beat_marks.points()) == len(output.beats) == 16
    assert view.beat_marks.isVisible()
    qtbot.mouseClick(view.beats_toggle, Qt.MouseButton.LeftButton)
    assert not view.beats_toggle.isChecked()
    assert not view.beat_marks.isVisible()
    qtbot.mouseClick(view.beats_toggle, Qt.MouseButton.LeftButton)
    assert view.beat_marks.isVisible()


def test_markers_sit_above_r_peaks(view: EcgView, af_case: tuple[EcgOutput, Any]) -> None:
    output, signal = af_case
    xs, ys = view.beat_marks.getData()
    for beat, x, y in zip(output.beats, xs, ys, strict=True):
        assert x == pytest.approx(beat.time_s)
        assert y > signal[0][round(beat.time_s * output.sampling_rate)]


def test_info_button_shows_tool_information(qtbot: Any, view: EcgView) -> None:
    output = view.output
    assert output is not None
    assert not view.info_panel.isVisible()
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert view.info_panel.isVisible()
    text = view.info_panel.text()
    assert "95%" in text and "92%" in text
    assert output.tool.name.get() in text
    assert output.tool.intended_use.get() in text
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert not view.info_panel.isVisible()


def test_retranslate_switches_language(view: EcgView) -> None:
    output = view.output
    assert output is not None
    assert output.label.zh_CN in view.label_text.text()
    i18n.set_language("en")
    view.retranslate()
    assert output.label.en in view.label_text.text()
    assert "94%" in view.label_text.text()
    assert view.simulated_badge.text() == _("Simulated signal")
    assert view.beats_toggle.text() == _("Show AI beat marks")
    assert view.info_button.text() == _("Tool information")
    assert output.tool.name.en in view.info_panel.text()


def test_language_change_event_relabels(view: EcgView) -> None:
    output = view.output
    assert output is not None
    i18n.set_language("en")
    QApplication.sendEvent(view, QEvent(QEvent.Type.LanguageChange))
    assert output.label.en in view.label_text.text()


def test_paper_squares_are_square(view: EcgView) -> None:
    # 1 mm is 0.04 s across and 0.1 mV up: both must cover the same number of pixels.
    seconds_per_px, mv_per_px = view.view_box.viewPixelSize()
    assert (0.04 / seconds_per_px) == pytest.approx(0.1 / mv_per_px, rel=0.01)


def test_grid_is_drawn_with_few_items(view: EcgView) -> None:
    # two grid levels, calibration, trace, beat marks and the two (hidden) caliper lines
    assert len(view.plot.getPlotItem().items) <= 7


def test_twelve_lead_layout_and_rhythm_strip(qtbot: Any, af_case: tuple[EcgOutput, Any]) -> None:
    import numpy as np

    from desktop.renderers.ecg_layout import STANDARD_ROWS

    output, signal = af_case
    leads = [lead for row in STANDARD_ROWS for lead in row]
    twelve = np.repeat(np.asarray(signal)[:1], 12, axis=0)
    widget = EcgView(output.model_copy(update={"leads": leads}), twelve)
    qtbot.addWidget(widget)
    labels = sorted(item.toPlainText() for item in widget.lead_labels)
    assert labels == sorted([*leads, "II"])  # 12 segments and the lead II rhythm strip
    _xs, ys = widget.trace.getData()
    assert np.isnan(ys).sum() == 13  # one break after each of the 13 segments
    assert _("12-lead") in widget.label_text.text()
    # Four calibration pulses, one per row.
    _cx, cy = widget.calibration.getData()
    assert np.nanmax(cy) - np.nanmin(cy) == 10.0  # baselines 0, -3, -6, -9 mV, pulses 1 mV


def test_calipers_measure_interval_and_rate(qtbot: Any, view: EcgView) -> None:
    assert not view.calipers[0].isVisible()
    view.calipers_toggle.setChecked(True)
    assert view.calipers[0].isVisible() and view.caliper_text.isVisible()
    view.calipers[0].setValue(1.0)
    view.calipers[1].setValue(1.75)
    assert abs(view.caliper_interval() - 0.75) < 1e-9
    assert "750" in view.caliper_text.text() and "80" in view.caliper_text.text()


def test_show_truth_explains_the_ai(qtbot: Any, view: EcgView) -> None:
    from case_bank.pack import builtin_packs

    case = next(p for p in builtin_packs() if p.info and p.info.id == "ecg-basics").case(
        "ecg-af-001"
    )
    assert not view.truth_banner.isVisible()
    view.show_truth(case)
    assert _("The AI was right.") in view.truth_banner.text()


def test_builtin_cases_render(qtbot: Any, language: None) -> None:
    folder = Path(builtin_packs_dir() / "ecg-basics")
    pack = load_pack(folder)
    for case in pack.cases:
        output = case.ai_output
        widget = EcgView()
        qtbot.addWidget(widget)
        widget.show_output(output, load_signal(pack.asset_path(output.signal), output.leads))
        assert len(widget.beat_marks.points()) == len(output.beats)
        assert output.label.get() in widget.label_text.text()


def test_wheel_zooms_time_and_keeps_squares(view: EcgView) -> None:
    (x0, x1), _y = view.view_box.viewRange()
    viewport = view.plot.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    wheel = QWheelEvent(
        centre,
        viewport.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    (z0, z1), _y = view.view_box.viewRange()
    assert z1 - z0 < (x1 - x0) * 0.9
    seconds_per_px, mv_per_px = view.view_box.viewPixelSize()
    assert (0.04 / seconds_per_px) == pytest.approx(0.1 / mv_per_px, rel=0.01)
