"""Help: F1 opens it from any page; it lists the window's shortcuts and mnemonics and the
guide of the signed-in role, in the current language."""

from __future__ import annotations

import re
from pathlib import Path

from driver import create_first_admin, go_to, open_window, sign_in
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.screens.help import GUIDES, HELP_DIR
from desktop.shortcuts import mnemonic, plain
from xiangyi.i18n import _

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def _rows(page) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    table = page.shortcuts
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]  # type: ignore[misc]


def test_f1_opens_help_with_the_shortcuts_and_the_role_guide(qtbot, data_dir: Path) -> None:
    window = open_window(data_dir)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    go_to(window, "home")  # builds the "What next" buttons (Alt+1 …)
    go_to(window, "cases")
    QTest.keyClick(window, Qt.Key.Key_F1)
    page = window.pages["help"]
    assert window.pages_stack.currentWidget() is page
    assert window.nav.currentItem().text() == _("Help (F1)")
    rows = _rows(page)
    keys = {row[0] for row in rows}
    assert {"F1", "Ctrl+Return", "Alt+U", "Alt+M", "Alt+R", "Alt+1"} <= keys
    f1 = next(row for row in rows if row[0] == "F1")
    assert f1[1] == _("Open this help") and f1[2] == _("Everywhere")
    ctrl_return = next(row for row in rows if row[0] == "Ctrl+Return")
    assert ctrl_return[2] == _("Case player")
    assert ("Alt+U", plain(_("&User name")), _("Sign in")) in rows
    # The administrator's guide first; the learner's guide on request.
    assert "xiangyi assign module" in page.guide.toPlainText()
    page.role.setCurrentIndex(page.role.findData("learner"))
    assert "Spaced review" in page.guide.toPlainText()
    # F1 opens on the guide; the shortcuts tab by its mnemonic, and back.
    assert page.tabs.currentWidget() is page.guide_page
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.shortcuts
    QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.guide_page
    assert QApplication.focusWidget() is not None
    # Left on the shortcuts tab, F1 from another page opens on the guide again.
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    go_to(window, "cases")
    QTest.keyClick(window, Qt.Key.Key_F1)
    assert window.pages_stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.guide_page
    # The language switch re-labels the help and shows the guide in the new language.
    from desktop.qt_i18n import QtLanguage

    bridge = QtLanguage(QApplication.instance())
    try:
        window.language.setCurrentIndex(window.language.findData("zh_CN"))
        qtbot.waitUntil(lambda: page.guide.toPlainText().startswith("学员指南"))
        assert page.tabs.tabText(1) == _("&Keyboard shortcuts")
        assert page.shortcuts.horizontalHeaderItem(2).text() == _("Where")
    finally:
        bridge.close()
    window.close()


def test_every_shortcut_in_the_code_is_described() -> None:
    """A QShortcut must say what it does (``setWhatsThis``) to be listed in the help."""
    missing = []
    for path in DESKTOP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"QShortcut\(QKeySequence", text):
            following = text[match.end() : match.end() + 400]
            if "setWhatsThis(" not in following:
                missing.append(
                    f"{path.relative_to(DESKTOP)}:{text[: match.start()].count(chr(10)) + 1}"
                )
    assert not missing, missing


def test_guides_exist_for_every_role_in_both_languages() -> None:
    for name, _label in GUIDES.values():
        for language in ("zh_CN", "en"):
            text = (HELP_DIR / language / f"{name}.md").read_text(encoding="utf-8")
            assert text.startswith("# ") and len(text) > 500
    assert mnemonic("用户名(&U)") == "U" and plain("用户名(&U)") == "用户名"
    assert mnemonic("&1 Start review") == "1" and plain("A && B") == "A & B"
