"""Drive the authoring studio as a trainer would: click a validation message, then fill
in the field it opens, until no error is left."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from desktop.studio.ai_host import output_widget
from desktop.studio.forms import BilingualField, ChecksField, CreditsField, TableField, TextField

ZH = {"zh_CN": "中文内容", "en": "English text"}


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def type_text(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Type as a person would: keys for ASCII, committed input-method text for Chinese."""
    edit.setFocus()
    if isinstance(edit, QPlainTextEdit):
        edit.selectAll()
        edit.insertPlainText(text)
        return
    edit.selectAll()
    if text.isascii():
        QTest.keyClicks(edit, text)
    else:
        edit.insert(text)


def click_problem(screen: Any, index: int) -> Any:
    """Click the ``index``-th message of the problem list; returns its problem."""
    widget = screen.problems.list
    item = widget.item(index)
    widget.scrollToItem(item)
    rect = widget.visualItemRect(item)
    QTest.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    return item.data(256)


def errors(screen: Any, rel: str) -> list[int]:
    return [
        i for i, p in enumerate(screen.problems.problems) if p.severity == "error" and p.file == rel
    ]


def field_for(editor: Any, name: str) -> Any:
    best = ""
    for known in editor.fields:
        if (name == known or name.startswith((known + ".", known + "["))) and len(known) > len(
            best
        ):
            best = known
    return editor.fields[best]


def fill_case_field(editor: Any, name: str, answers: dict[str, Any]) -> None:
    """Fill the case-editor field ``name`` names; ``answers`` gives values by field prefix."""
    field = field_for(editor, name)
    key = next((k for k in answers if name.startswith(k)), None)
    if isinstance(field, BilingualField):
        texts = answers.get(key, ZH) if key else ZH
        for language, edit in field.edits.items():
            type_text(edit, texts[language])
    elif isinstance(field, TableField):
        match = re.search(r"\[(\d+)\]", name)
        row = int(match.group(1)) if match else 0
        while field.table.rowCount() <= row:
            field.add_button.click()
        values = answers.get(key) if key else None
        for column, (path, _label, _kind) in enumerate(field.columns):
            cell = field.table.item(row, column)
            if cell is not None and not cell.text():
                text = values[column] if values else f"{'/'.join(map(str, path))} {row + 1}"
                cell.setText(text)
    elif isinstance(field, CreditsField):
        for row, credit in enumerate(answers["key.interpretation"]):
            field.table.item(row, 1).setText(credit)
    elif isinstance(field, ChecksField):
        for value in answers[key or name]:
            field.boxes[value].setChecked(True)
    elif isinstance(field, TextField):
        type_text(field.edit, str(answers[key or name]))
    settle()


def fill_ai_field(editor: Any, name: str, answers: dict[str, Any]) -> None:
    """Fill an ``ai_output`` field through the kind's own editor (the studio hosts it)."""
    ai = editor.ai_editor
    kind = ai.kind
    if name.startswith("ai_output.tool.name"):
        bilingual(ai, "toolName", ZH)
    elif name.startswith("ai_output.tool.intended_use"):
        bilingual(ai, "toolIntendedUse", {"zh_CN": "成人胸片结节筛查", "en": "Adult chest films"})
    elif name.startswith("ai_output.tool.sensitivity"):
        type_text(ai.findChild(QLineEdit, "tool_sensitivity"), "0.92")
        type_text(ai.findChild(QLineEdit, "tool_specificity"), "0.85")
    elif name.startswith("ai_output.label"):
        bilingual(ai, f"{kind}Label", answers["ai_output.label"])
    elif name.startswith("ai_output.suggests"):
        combo = ai.findChild(QComboBox, "aiSuggests")
        combo.setEditText(answers["ai_output.suggests"])
    elif name.startswith("ai_output.image"):
        assert ai.import_image(answers["ai_output.image"])
    elif name.startswith("ai_output.signal"):
        ai.generate("af", 100.0, 8.0, False, 7)
    else:
        raise AssertionError(f"no answer for {name}: {ai.value()}")
    settle()


def bilingual(widget: Any, name: str, texts: dict[str, str]) -> None:
    for language in ("zh_CN", "en"):
        edit = widget.findChild(QLineEdit, f"{name}_{language}") or widget.findChild(
            QPlainTextEdit, f"{name}_{language}"
        )
        assert edit is not None, f"{name}_{language}"
        type_text(edit, texts[language])


def drag(canvas: Any, start: QPoint, end: QPoint) -> None:
    viewport = canvas.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(viewport, (start + end) / 2)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    settle()


def draw_box(ai: Any, x0: float, y0: float, x1: float, y1: float) -> None:
    """Drag a box on the film with the mouse (image pixel corners)."""
    canvas = ai.canvas
    ai.choose_tool("box")
    drag(canvas, canvas.mapFromScene(QPointF(x0, y0)), canvas.mapFromScene(QPointF(x1, y1)))


def click_beat(ai: Any, seconds: float) -> None:
    """Click the strip at ``seconds`` (adds a beat mark there, or removes the one there)."""
    viewport = ai.view.plot.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=ai.beat_position(seconds).toPoint())
    settle()


def fix_all(qtbot: Any, screen: Any, rel: str, answers: dict[str, Any]) -> int:
    """Click each error of ``rel`` in turn and fill its field; returns how many were fixed."""
    fixed = 0
    while True:
        screen.session.check_pending()  # what the check timer does after typing stops
        settle()
        pending = errors(screen, rel)
        if not pending:
            return fixed
        problem = click_problem(screen, pending[0])
        editor = screen.editor
        assert editor.rel == rel
        if problem.field.startswith("ai_output"):
            assert editor.tabs.currentIndex() == 3
            target = output_widget(editor.ai_editor, editor.ai_kind, problem.field)
            if target is not None:  # the kind's editor shows the very field
                assert target.isVisibleTo(editor), problem
            fill_ai_field(editor, problem.field, answers)
        else:
            field = field_for(editor, problem.field)
            assert editor.tabs.currentWidget().widget().isAncestorOf(field), problem
            fill_case_field(editor, problem.field, answers)
        fixed += 1
        assert fixed < 60, f"still failing: {problem}"


def asset(tmp: Path) -> Path:
    """A small grey film (PNG) to import."""
    from PIL import Image, ImageDraw

    path = tmp / "film.png"
    image = Image.new("L", (640, 640), 40)
    ImageDraw.Draw(image).ellipse((380, 380, 440, 440), fill=200)
    image.save(path)
    return path
