"""The image renderer, driven as a doctor would: overlays, heat map, window/level, truth."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QCheckBox

from case_bank.assets import AssetError
from case_bank.models import Case
from case_bank.pack import Pack, load_pack
from desktop.renderers import create_renderer
from desktop.renderers.image import HEAT_MAX_SIDE, ImageView, heat_from_blobs
from xiangyi import i18n
from xiangyi.i18n import _

# Content and labels are checked in the default (Chinese) interface.
pytestmark = pytest.mark.usefixtures("zh_cn")

FIXTURE = Path(__file__).resolve().parents[1] / "case_bank" / "fixtures" / "kinds_pack"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


def _view(qtbot: Any, pack: Pack, case_id: str) -> ImageView:
    view = create_renderer(pack, pack.case(case_id))
    assert isinstance(view, ImageView)
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    qtbot.waitExposed(view)
    return view


def _tick(qtbot: Any, box: QCheckBox) -> None:
    """Click a check box on its indicator, as a person would."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


@pytest.fixture
def chest(qtbot: Any, pack: Pack) -> ImageView:
    return _view(qtbot, pack, "kinds-image-chest-001")


def test_header_and_image(chest: ImageView) -> None:
    output = chest.output
    text = chest.label_text.text()
    assert output.label.get() in text and "0.87" in text and "80%" in text
    assert _("Chest X-ray") in text
    assert chest.simulated_badge.isVisible()
    assert chest.image_item.image.shape == (64, 64)
    assert chest.window_group.isVisible()
    assert output.findings[0].get() in chest.findings_text.text()


def test_boxes_and_contours_with_labels_toggle(qtbot: Any, chest: ImageView) -> None:
    assert len(chest.box_items) == 1 and len(chest.contour_items) == 1
    rect = chest.box_items[0].rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (36, 19, 10, 10)
    assert chest.box_labels[0].toPlainText() == "结节 0.87"
    assert chest.contour_labels[0].toPlainText() == "结节轮廓"
    assert chest.box_items[0].isVisible()
    _tick(qtbot, chest.boxes_toggle)
    assert not chest.box_items[0].isVisible() and not chest.box_labels[0].isVisible()
    assert chest.contour_items[0].isVisible()
    _tick(qtbot, chest.contours_toggle)
    assert not chest.contour_items[0].isVisible()
    _tick(qtbot, chest.boxes_toggle)
    assert chest.box_items[0].isVisible()


def test_heat_map_opacity_and_toggle(qtbot: Any, chest: ImageView) -> None:
    assert chest.heat_item.isVisible()
    assert chest.heat_item.opacity() == pytest.approx(0.5)
    assert chest.heat_item.image.shape == (64, 64)
    chest.heat_opacity.setValue(80)
    assert chest.heat_item.opacity() == pytest.approx(0.8)
    _tick(qtbot, chest.heat_toggle)
    assert not chest.heat_item.isVisible()


def test_window_level_sliders_and_reset(qtbot: Any, chest: ImageView) -> None:
    assert tuple(chest.image_item.levels) == (0, 256)
    chest.width_slider.setValue(100)
    chest.level_slider.setValue(90)
    assert tuple(chest.image_item.levels) == (40, 140)
    assert "100" in chest.window_text.text() and "90" in chest.window_text.text()
    qtbot.mouseClick(chest.reset_window_button, Qt.MouseButton.LeftButton)
    assert tuple(chest.image_item.levels) == (0, 256)


def test_right_drag_changes_window(chest: ImageView) -> None:
    chest._drag_window(-56, -10)  # what a right drag reports: left and up
    assert chest.width_slider.value() == 200
    assert chest.level_slider.value() == 138


def test_wheel_and_buttons_zoom(qtbot: Any, chest: ImageView) -> None:
    (x0, x1), _y = chest.view_box.viewRange()
    viewport = chest.plot.viewport()
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
    (z0, z1), _y = chest.view_box.viewRange()
    assert z1 - z0 < (x1 - x0) * 0.9
    qtbot.mouseClick(chest.fit_button, Qt.MouseButton.LeftButton)
    (f0, f1), _y = chest.view_box.viewRange()
    assert f1 - f0 >= 64
    qtbot.mouseClick(chest.zoom_in_button, Qt.MouseButton.LeftButton)
    (g0, g1), _y = chest.view_box.viewRange()
    assert g1 - g0 < f1 - f0


def test_fundus_colour_image_with_blob_heat_map(qtbot: Any, pack: Pack) -> None:
    fundus = _view(qtbot, pack, "kinds-image-fundus-001")
    assert fundus.image_item.image.shape == (64, 64, 3)
    assert not fundus.window_group.isVisible()  # window/level is for greyscale films
    assert fundus.heat_item.image.max() > 100
    assert not fundus.boxes_toggle.isEnabled() and not fundus.box_items


def test_blob_heat_map_is_small_for_big_images() -> None:
    from case_bank.outputs import Blob

    heat = heat_from_blobs([Blob(x=1024, y=1024, radius=50)], 2048, 2048)
    assert heat.shape == (HEAT_MAX_SIDE, HEAT_MAX_SIDE)
    assert heat.max() >= 250 and heat[0, 0] == 0


def test_tool_information_on_request(qtbot: Any, chest: ImageView) -> None:
    assert not chest.info_panel.isVisible()
    qtbot.mouseClick(chest.info_button, Qt.MouseButton.LeftButton)
    text = chest.info_panel.text()
    assert chest.info_panel.isVisible()
    assert "胸片 AI" in text and "90%" in text and "85%" in text
    assert chest.output.tool.intended_use.get() in text


def test_show_truth_shows_banner(qtbot: Any, pack: Pack) -> None:
    fundus = _view(qtbot, pack, "kinds-image-fundus-001")
    case: Case = pack.case("kinds-image-fundus-001")
    assert not fundus.truth_banner.isVisible()
    fundus.show_truth(case)
    assert fundus.truth_banner.isVisible()
    assert _("The AI was wrong.") in fundus.truth_banner.text()
    assert case.feedback.ai_assessment.get() in fundus.truth_banner.text()


def test_language_switch_relabels(chest: ImageView) -> None:
    i18n.set_language("en")
    QApplication.sendEvent(chest, QEvent(QEvent.Type.LanguageChange))
    assert "Right upper lobe nodule" in chest.label_text.text()
    assert chest.box_labels[0].toPlainText() == "Nodule 0.87"


@pytest.mark.parametrize("damage", ["missing", "corrupt", "wrong-type"])
def test_bad_image_asset_raises_asset_error(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(FIXTURE, folder)
    pack = load_pack(folder)
    target = folder / "assets" / "chest.png"
    if damage == "missing":
        target.unlink()
    elif damage == "corrupt":
        target.write_bytes(target.read_bytes()[:40])
    else:
        target.write_text("not an image", encoding="utf-8")
    with pytest.raises(AssetError):
        create_renderer(pack, pack.case("kinds-image-chest-001"))


def test_corrupt_heat_map_raises_asset_error(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(FIXTURE, folder)
    pack = load_pack(folder)
    (folder / "assets" / "chest-heat.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    with pytest.raises(AssetError):
        create_renderer(pack, pack.case("kinds-image-chest-001"))


def test_large_film_renders(qtbot: Any, pack: Pack) -> None:
    output = pack.case("kinds-image-chest-001").ai_output
    pixels = np.zeros((2048, 2048), dtype=np.uint8)
    view = ImageView(output, pixels)
    qtbot.addWidget(view)
    assert view.heat_item.image.shape[0] <= HEAT_MAX_SIDE
    assert view.heat_item.boundingRect().width() > 0
