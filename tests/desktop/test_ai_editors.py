"""The studio's AI-output editors: round trip of every built-in case, and editing with the
mouse and keyboard as a trainer would (boxes on a film, beat marks on a strip, a false
statement in an LLM answer, a trend value), each result checked by the case model."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTableWidget

from case_bank.models import Case, ImageOutput
from case_bank.pack import builtin_packs_dir
from case_bank.yamlsafe import load_file
from desktop.studio.ai_editors import EDITORS, AIOutputEditor, editor_for

KINDS = sorted(EDITORS)


def builtin_cases(kind: str) -> list[tuple[Path, dict[str, Any]]]:
    """(pack folder, case mapping as read) of every built-in case of ``kind``."""
    found = []
    for path in sorted(builtin_packs_dir().glob("*/cases/*.yaml")):
        data = load_file(path).data
        if data["ai_output"]["kind"] == kind:
            found.append((path.parent.parent, data))
    return found


def first_case(kind: str, case_id: str | None = None) -> tuple[Path, dict[str, Any]]:
    for pack, data in builtin_cases(kind):
        if case_id is None or data["id"] == case_id:
            return pack, data
    raise LookupError(case_id)


def pack_with_assets(tmp_path: Path, source: Path, names: list[str]) -> Path:
    """A scratch pack folder holding copies of the named assets of a built-in pack."""
    pack = tmp_path / "pack"
    (pack / "assets").mkdir(parents=True)
    for name in names:
        shutil.copyfile(source / name, pack / name)
    return pack


def validates(case: dict[str, Any], output: dict[str, Any]) -> Case:
    return Case.model_validate({**case, "ai_output": output})


def make_editor(qtbot: Any, kind: str) -> AIOutputEditor:
    editor = editor_for(kind)
    qtbot.addWidget(editor)
    return editor


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        editor_for("hologram")


@pytest.mark.parametrize("kind", KINDS)
def test_every_builtin_output_round_trips_unchanged(qtbot: Any, kind: str) -> None:
    editor = make_editor(qtbot, kind)
    cases = builtin_cases(kind)
    assert cases
    for pack, case in cases:
        with qtbot.assertNotEmitted(editor.changed):
            editor.load(case["ai_output"], pack)
        assert editor.value() == case["ai_output"], case["id"]
        validates(case, editor.value())


# -- image ------------------------------------------------------------------------------------
def image_editor(qtbot: Any, tmp_path: Path) -> tuple[AIOutputEditor, dict[str, Any], Path]:
    source, case = first_case("image", "cxr-effusion-007")
    output = case["ai_output"]
    pack = pack_with_assets(tmp_path, source, [output["image"]])
    bare = {k: v for k, v in output.items() if k not in ("boxes", "heat_map")}
    editor = make_editor(qtbot, "image")
    editor.load(bare, pack)
    editor.resize(1300, 760)
    editor.show()
    qtbot.waitExposed(editor)
    return editor, case, pack


def drag(qtbot: Any, canvas: Any, start: QPoint, end: QPoint) -> None:
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=(start + end) / 2)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def at(canvas: Any, x: float, y: float) -> QPoint:
    """The viewport point that shows image pixel (x, y)."""
    return canvas.mapFromScene(QPointF(x, y))


def pixel_of(canvas: Any, point: QPoint) -> tuple[float, float]:
    scene = canvas.mapToScene(point)
    return scene.x(), scene.y()


def test_image_two_boxes_drawn_with_the_mouse_and_labelled(qtbot: Any, tmp_path: Path) -> None:
    editor, case, _pack = image_editor(qtbot, tmp_path)
    canvas = editor.canvas  # type: ignore[attr-defined]
    editor.choose_tool("box")  # type: ignore[attr-defined]
    corners = [
        (at(canvas, 150, 540), at(canvas, 415, 790)),
        (at(canvas, 600, 200), at(canvas, 700, 330)),
    ]
    for start, end in corners:
        with qtbot.waitSignal(editor.changed):
            drag(qtbot, canvas, start, end)
    table: QTableWidget = editor.findChild(QTableWidget, "imageMarksTable")
    labels = [("实变", "Consolidation", "0.88"), ("结节", "Nodule", "0.4")]
    for row, (zh, en, score) in enumerate(labels):
        with qtbot.waitSignal(editor.changed):
            table.item(row, 1).setText(zh)
        table.item(row, 2).setText(en)
        table.item(row, 3).setText(score)

    boxes = editor.value()["boxes"]
    assert len(boxes) == 2
    for box, (start, end), (zh, en, score) in zip(boxes, corners, labels, strict=True):
        x0, y0 = pixel_of(canvas, start)
        x1, y1 = pixel_of(canvas, end)
        assert box["x"] == pytest.approx(x0, abs=0.1) and box["y"] == pytest.approx(y0, abs=0.1)
        assert box["w"] == pytest.approx(x1 - x0, abs=0.2)
        assert box["h"] == pytest.approx(y1 - y0, abs=0.2)
        assert box["label"] == {"zh_CN": zh, "en": en}
        assert box["score"] == float(score)
    # Drawn where intended, within a screen pixel of the film's own coordinates.
    assert boxes[0]["x"] == pytest.approx(150, abs=2) and boxes[1]["h"] == pytest.approx(130, abs=3)
    output = validates(case, editor.value()).ai_output
    assert isinstance(output, ImageOutput)
    assert output.overlay_issues(*editor.canvas.image_size) == []  # type: ignore[attr-defined]


def test_image_box_moved_resized_and_deleted(qtbot: Any, tmp_path: Path) -> None:
    editor, case, _pack = image_editor(qtbot, tmp_path)
    canvas = editor.canvas  # type: ignore[attr-defined]
    editor.choose_tool("box")  # type: ignore[attr-defined]
    drag(qtbot, canvas, at(canvas, 100, 100), at(canvas, 300, 200))
    editor.choose_tool("select")  # type: ignore[attr-defined]
    before = dict(editor.value()["boxes"][0])
    drag(qtbot, canvas, at(canvas, 200, 150), at(canvas, 250, 180))  # move from inside
    moved = editor.value()["boxes"][0]
    assert moved["x"] == pytest.approx(before["x"] + 50, abs=2)
    assert moved["w"] == before["w"]
    corner = at(canvas, moved["x"] + moved["w"], moved["y"] + moved["h"])
    drag(qtbot, canvas, corner, corner + QPoint(30, 20))  # resize by the bottom-right corner
    resized = editor.value()["boxes"][0]
    assert resized["x"] == moved["x"] and resized["w"] > moved["w"]
    validates(case, editor.value())
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert "boxes" not in editor.value() or editor.value()["boxes"] == []


def test_image_box_drawn_on_a_zoomed_film_keeps_image_pixels(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QWheelEvent

    editor, _case, _pack = image_editor(qtbot, tmp_path)
    canvas = editor.canvas  # type: ignore[attr-defined]
    before = canvas.transform().m11()
    centre = QPointF(canvas.viewport().rect().center())
    for _ in range(3):
        wheel = QWheelEvent(
            centre,
            canvas.viewport().mapToGlobal(centre),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QCoreApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.transform().m11() == pytest.approx(before * 1.25**3)
    editor.choose_tool("box")  # type: ignore[attr-defined]
    start, end = QPoint(100, 100), QPoint(260, 220)
    drag(qtbot, canvas, start, end)
    box = editor.value()["boxes"][0]
    x0, y0 = pixel_of(canvas, start)
    x1, y1 = pixel_of(canvas, end)
    assert (box["x"], box["y"]) == (pytest.approx(x0, abs=0.1), pytest.approx(y0, abs=0.1))
    assert box["w"] == pytest.approx(x1 - x0, abs=0.2) and box["w"] < 160
    assert box["h"] == pytest.approx(y1 - y0, abs=0.2)


def test_image_contour_and_heat_map_spot(qtbot: Any, tmp_path: Path) -> None:
    editor, case, _pack = image_editor(qtbot, tmp_path)
    canvas = editor.canvas  # type: ignore[attr-defined]
    editor.choose_tool("contour")  # type: ignore[attr-defined]
    outline = [(300, 300), (420, 310), (400, 450), (310, 430)]
    for x, y in outline:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=at(canvas, x, y))
    with qtbot.waitSignal(editor.changed):  # a click on the first point closes the contour
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=at(canvas, 300, 300))
    editor.choose_tool("blob")  # type: ignore[attr-defined]
    drag(qtbot, canvas, at(canvas, 350, 370), at(canvas, 350, 450))
    value = editor.value()
    points = value["polygons"][0]["points"]
    assert len(points) == 4
    assert points[1][0] == pytest.approx(420, abs=2) and points[2][1] == pytest.approx(450, abs=2)
    blob = value["heat_map"]["blobs"][0]
    assert blob["radius"] == pytest.approx(80, abs=3)
    validates(case, value)


def test_image_import_copies_png_and_refuses_a_disguised_file(qtbot: Any, tmp_path: Path) -> None:
    from PIL import Image

    editor, case, pack = image_editor(qtbot, tmp_path)
    film = tmp_path / "My Film (1).png"
    Image.new("L", (320, 240), 90).save(film)
    with qtbot.waitSignal(editor.changed):
        assert editor.import_image(film)  # type: ignore[attr-defined]
    assert editor.value()["image"] == "assets/my-film-1.png"
    assert (pack / "assets" / "my-film-1.png").read_bytes() == film.read_bytes()
    assert editor.canvas.image_size == (320, 240)  # type: ignore[attr-defined]
    validates(case, editor.value())

    fake = tmp_path / "notes.png"
    fake.write_text("not an image", encoding="utf-8")
    before = sorted(p.name for p in (pack / "assets").iterdir())
    assert not editor.import_image(fake)  # type: ignore[attr-defined]
    assert "notes.png" in editor.status.text()  # type: ignore[attr-defined]
    assert sorted(p.name for p in (pack / "assets").iterdir()) == before
    assert editor.value()["image"] == "assets/my-film-1.png"


def test_image_dicom_import_is_deidentified(qtbot: Any, tmp_path: Path) -> None:
    import importlib.util

    pydicom = pytest.importorskip("pydicom")
    helpers = Path(__file__).resolve().parent.parent / "case_bank" / "kinds_helpers.py"
    spec = importlib.util.spec_from_file_location("kinds_helpers", helpers)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    editor, case, pack = image_editor(qtbot, tmp_path)
    scan = module.make_dicom(tmp_path / "Zhang San.dcm", identified=True)
    assert editor.import_image(scan)  # type: ignore[attr-defined]
    assert editor.value()["image"] == "assets/zhang-san.dcm"
    copied = pydicom.dcmread(pack / "assets" / "zhang-san.dcm")
    assert not str(copied.get("PatientName", "")) and "InstitutionName" not in copied
    assert editor.canvas.image_size == (48, 32)  # type: ignore[attr-defined]
    validates(case, editor.value())


def test_image_preview_tab_shows_the_players_renderer(qtbot: Any, tmp_path: Path) -> None:
    from desktop.renderers.image import ImageView

    editor, _case, _pack = image_editor(qtbot, tmp_path)
    editor.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    assert isinstance(editor.preview.view, ImageView)  # type: ignore[attr-defined]
    assert not editor.preview.problem.isVisibleTo(editor)  # type: ignore[attr-defined]
    editor.score.setText("7")  # type: ignore[attr-defined]
    editor.score.textEdited.emit("7")  # type: ignore[attr-defined]
    assert "score" in editor.preview.problem.text()  # type: ignore[attr-defined]


def test_editor_relabels_itself_when_the_language_changes(qtbot: Any, zh_cn: None) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QGroupBox

    from xiangyi import i18n

    i18n.set_language("en")
    editor = make_editor(qtbot, "risk")
    tool_box = editor.tool.findChild(QGroupBox)
    assert tool_box.title() == "AI tool"
    i18n.set_language("zh_CN")
    QCoreApplication.sendEvent(editor, QEvent(QEvent.Type.LanguageChange))
    assert tool_box.title() == "AI 工具"


# -- ecg ---------------------------------------------------------------------------------------
def ecg_editor(qtbot: Any, tmp_path: Path) -> tuple[AIOutputEditor, dict[str, Any], Path]:
    source, case = first_case("ecg", "ecg-af-001")
    pack = pack_with_assets(tmp_path, source, [case["ai_output"]["signal"]])
    editor = make_editor(qtbot, "ecg")
    editor.load(case["ai_output"], pack)
    editor.resize(1300, 760)
    editor.show()
    qtbot.waitExposed(editor)
    return editor, case, pack


def test_ecg_beat_mark_added_and_removed_by_clicking_the_strip(qtbot: Any, tmp_path: Path) -> None:
    editor, case, _pack = ecg_editor(qtbot, tmp_path)
    viewport = editor.view.plot.viewport()  # type: ignore[attr-defined]
    times = [b["time_s"] for b in case["ai_output"]["beats"]]
    assert 0.8 not in times
    with qtbot.waitSignal(editor.changed):
        pos = editor.beat_position(0.8).toPoint()  # type: ignore[attr-defined]
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    added = [b["time_s"] for b in editor.value()["beats"]]
    assert len(added) == len(times) + 1
    new = sorted(set(added) - set(times))
    assert len(new) == 1 and new[0] == pytest.approx(0.8, abs=0.03)
    assert added == sorted(added)
    validates(case, editor.value())

    with qtbot.waitSignal(editor.changed):
        pos = editor.beat_position(1.116).toPoint()  # type: ignore[attr-defined]
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    remaining = [b["time_s"] for b in editor.value()["beats"]]
    assert 1.116 not in remaining and len(remaining) == len(times)
    validates(case, editor.value())


def test_ecg_generated_signal_becomes_an_asset_with_beat_marks(qtbot: Any, tmp_path: Path) -> None:
    editor, case, pack = ecg_editor(qtbot, tmp_path)
    with qtbot.waitSignal(editor.changed):
        editor.generate("af", 100.0, 8.0, False, 7)  # type: ignore[attr-defined]
    value = editor.value()
    assert value["signal"] == "assets/ecg-af-100-s7.csv"
    assert (pack / value["signal"]).is_file()
    assert value["leads"] == ["II"] and value["sampling_rate"] == 250
    assert len(value["beats"]) >= 8 and all(b["time_s"] <= 8.0 for b in value["beats"])
    validates(case, value)


def test_ecg_signal_file_loaded_and_damaged_file_refused(qtbot: Any, tmp_path: Path) -> None:
    editor, case, pack = ecg_editor(qtbot, tmp_path)
    good = tmp_path / "strip.csv"
    good.write_text("I\n" + "\n".join(f"{(i % 50) / 100:.2f}" for i in range(1000)) + "\n")
    assert editor.import_signal(good)  # type: ignore[attr-defined]
    value = editor.value()
    assert value["signal"] == "assets/strip.csv" and value["leads"] == ["I"]
    validates(case, value)

    bad = tmp_path / "broken.csv"
    bad.write_text("II\n0.1\nnot-a-number\n", encoding="utf-8")
    assert not editor.import_signal(bad)  # type: ignore[attr-defined]
    assert "broken.csv" in editor.status.text()  # type: ignore[attr-defined]
    assert not (pack / "assets" / "broken.csv").exists()
    pickled = tmp_path / "pickled.npy"
    np.save(pickled, np.array([{"leads": "II"}], dtype=object), allow_pickle=True)
    assert not editor.import_signal(pickled)  # type: ignore[attr-defined]
    assert "pickled.npy" in editor.status.text()  # type: ignore[attr-defined]
    assert not (pack / "assets" / "pickled.npy").exists()
    assert editor.value()["signal"] == "assets/strip.csv"


# -- llm ---------------------------------------------------------------------------------------
def select(edit: QPlainTextEdit, words: str) -> None:
    start = edit.toPlainText().index(words)
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


def test_llm_false_statement_marked_from_selected_text(qtbot: Any, tmp_path: Path) -> None:
    pack, case = first_case("llm")
    editor = make_editor(qtbot, "llm")
    editor.load(case["ai_output"], pack)
    index = next(i for i, m in enumerate(case["ai_output"]["messages"]) if m["role"] == "assistant")
    card = editor.cards[index]  # type: ignore[attr-defined]
    before = len(case["ai_output"]["messages"][index].get("false_statements", []))
    zh_text = card.text.text("zh_CN")
    en_text = card.text.text("en")
    zh_words, en_words = zh_text[:6], en_text.split(".")[0][:30]
    select(card.text.edits["zh_CN"], zh_words)
    select(card.text.edits["en"], en_words)
    # QTest types Latin-1 only; Chinese arrives through an input method, set here directly.
    card.correction.edits["zh_CN"].setText("更正：应以指南为准")
    qtbot.keyClicks(card.correction.edits["en"], "Correction: follow the guideline")
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(card.mark_button, Qt.MouseButton.LeftButton)
    marked = editor.value()["messages"][index]["false_statements"]
    assert len(marked) == before + 1
    assert marked[-1] == {
        "quote": {"zh_CN": zh_words, "en": en_words},
        "why": {"zh_CN": "更正：应以指南为准", "en": "Correction: follow the guideline"},
    }
    assert validates(case, editor.value()).ai_output.has_marked_errors()  # type: ignore[union-attr]


# -- trend -------------------------------------------------------------------------------------
def test_trend_value_edited_in_the_series_table(qtbot: Any) -> None:
    pack, case = first_case("trend")
    editor = make_editor(qtbot, "trend")
    editor.load(case["ai_output"], pack)
    table: QTableWidget = editor.findChild(QTableWidget, "trendPoints0Table")
    with qtbot.waitSignal(editor.changed):
        table.item(0, 1).setText("151.5")
    value = editor.value()
    assert value["series"][0]["points"][0]["value"] == 151.5
    assert value["series"][0]["points"][1:] == case["ai_output"]["series"][0]["points"][1:]
    validates(case, value)


def test_trend_points_pasted_from_a_spreadsheet(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, "trend")
    editor.load({"kind": "trend"}, tmp_path)
    table: QTableWidget = editor.findChild(QTableWidget, "trendPoints0Table")
    QApplication.clipboard().setText("0\t148\n30\t142\r\n60\t139\n")
    table.setFocus()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    points = editor.value()["series"][0]["points"]
    assert points == [{"t": 0, "value": 148}, {"t": 30, "value": 142}, {"t": 60, "value": 139}]


# -- the other kinds -----------------------------------------------------------------------------
def test_prescription_alert_marked_false_and_risk_factor_added(qtbot: Any) -> None:
    pack, case = first_case("prescription")
    editor = make_editor(qtbot, "prescription")
    editor.load(case["ai_output"], pack)
    alerts: QTableWidget = editor.findChild(QTableWidget, "prescriptionAlertsTable")
    row = next(
        r
        for r in range(alerts.rowCount())
        if alerts.item(r, 5).checkState() == Qt.CheckState.Checked
    )
    with qtbot.waitSignal(editor.changed):  # the trainer decides this alert is wrong
        alerts.item(row, 5).setCheckState(Qt.CheckState.Unchecked)
    assert editor.value()["alerts"][row]["true_alert"] is False
    validates(case, editor.value())

    pack, case = first_case("risk")
    risk = make_editor(qtbot, "risk")
    risk.load(case["ai_output"], pack)
    with qtbot.waitSignal(risk.changed):
        qtbot.mouseClick(risk.factors.add_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    factors: QTableWidget = risk.findChild(QTableWidget, "riskFactorsTable")
    row = factors.rowCount() - 1
    for col, text in enumerate(("吸烟", "Smoking", "20 支/日", "3.5")):
        factors.item(row, col).setText(text)
    added = risk.value()["factors"][-1]
    assert added == {
        "name": {"zh_CN": "吸烟", "en": "Smoking"},
        "value": "20 支/日",
        "contribution": 3.5,
    }
    validates(case, risk.value())


def test_bilingual_fields_show_both_languages_side_by_side(qtbot: Any) -> None:
    pack, case = first_case("report")
    editor = make_editor(qtbot, "report")
    editor.load(case["ai_output"], pack)
    editor.resize(1200, 700)
    editor.show()
    qtbot.waitExposed(editor)
    zh = editor.findChild(QPlainTextEdit, "reportImpression_zh_CN")
    en = editor.findChild(QPlainTextEdit, "reportImpression_en")
    assert zh.toPlainText() == case["ai_output"]["impression"]["zh_CN"]
    assert en.toPlainText() == case["ai_output"]["impression"]["en"]
    assert zh.mapToGlobal(QPoint(0, 0)).y() == en.mapToGlobal(QPoint(0, 0)).y()
    assert zh.mapToGlobal(QPoint(0, 0)).x() < en.mapToGlobal(QPoint(0, 0)).x()
