"""The trend renderer: a curve per series, the forecast band, alert markers, toggles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from case_bank.outputs_numeric import TrendOutput
from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.trend import TrendView
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"
CASE = "kinds-trend-001"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def view(qtbot: Any, pack: Pack) -> TrendView:
    widget = create_renderer(pack, pack.case(CASE))
    assert isinstance(widget, TrendView)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _tick(qtbot: Any, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_a_curve_per_series_with_its_points(view: TrendView) -> None:
    assert len(view.curves) == 2
    xs, ys = view.curves[0].getData()
    assert list(ys) == [142, 138, 151]
    assert list(view.curves[1].getData()[1]) == [86, 88]
    assert isinstance(view.plot.getPlotItem().getAxis("bottom"), pg.DateAxisItem)
    assert xs[1] - xs[0] == pytest.approx(7 * 86400)
    assert "预测下周收缩压超过 155" in view.label_text.text()


def test_forecast_band_and_toggle(qtbot: Any, view: TrendView) -> None:
    assert view.forecast_curve is not None and view.forecast_band is not None
    assert list(view.forecast_curve.getData()[1]) == [151, 158, 163]
    assert view.forecast_band.isVisible()
    _tick(qtbot, view.forecast_toggle)
    assert not view.forecast_band.isVisible() and not view.forecast_curve.isVisible()
    _tick(qtbot, view.forecast_toggle)
    assert view.forecast_band.isVisible()


def test_alert_markers_and_list(qtbot: Any, view: TrendView) -> None:
    assert len(view.alert_marks.points()) == 1
    assert view.alert_marks.getData()[1][0] == 151  # on the reading it is about
    assert "血压控制恶化" in view.alerts_text.text()
    assert "2024-03-15" in view.alerts_text.text()
    _tick(qtbot, view.alerts_toggle)
    assert not view.alert_marks.isVisible()


def test_legend_names_series_and_forecast(view: TrendView) -> None:
    labels = [label.text for _sample, label in view.legend.items]
    assert "收缩压 (mmHg)" in labels and "舒张压 (mmHg)" in labels
    assert _("AI forecast (shaded: forecast range)") in labels


def test_day_numbers_use_a_plain_axis(qtbot: Any, pack: Pack) -> None:
    output = pack.case(CASE).ai_output
    assert isinstance(output, TrendOutput)
    data = output.model_dump()
    for series in data["series"]:
        for i, point in enumerate(series["points"]):
            point["t"] = i * 7
    data["series"][1]["points"] = [{"t": 0, "value": 86}, {"t": 14, "value": 88}]
    data["forecast"]["points"] = [{"t": 21, "value": 158}, {"t": 28, "value": 163}]
    data["alerts"][0]["t"] = 14
    view = TrendView(TrendOutput.model_validate(data))
    qtbot.addWidget(view)
    assert not isinstance(view.plot.getPlotItem().getAxis("bottom"), pg.DateAxisItem)
    assert list(view.curves[0].getData()[0]) == [0, 7, 14]
    assert _("day {n}").format(n=14) in view.alerts_text.text()


def test_truth_and_tool_info(qtbot: Any, view: TrendView, pack: Pack) -> None:
    qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
    assert "80%" in view.info_panel.text() and "70%" in view.info_panel.text()
    view.show_truth(pack.case(CASE))
    assert view.truth_banner.isVisible()
    assert _("False positive") in view.truth_banner.text()
