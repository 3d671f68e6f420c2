"""The keyboard shortcuts of the running window, collected from its widgets so the help
screen never goes out of date: every ``QShortcut`` (described by its ``whatsThis``, a
message id translated when shown), every mnemonic (an underlined letter: Alt+letter),
and the keys Qt gives every form."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget

from xiangyi.i18n import N_, _

EVERYWHERE = N_("Everywhere")
GENERAL = (
    (N_("Tab / Shift+Tab"), N_("Move to the next or previous field, list or button")),
    (N_("Arrow keys"), N_("Move within a group of choices, a list or a table")),
    (N_("Space"), N_("Choose the focused option, tick a box or press the focused button")),
    (N_("Enter"), N_("Open or start the selected row of a table")),
    (N_("Alt+underlined letter"), N_("Go to the field or press the button with that letter")),
)
_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")
_CJK_MNEMONIC = re.compile(r"\s*\(&[^&\s]\)")

Row = tuple[str, str, str]  # keys, what it does, where


def mnemonic(text: str) -> str | None:
    """The letter after a single ``&`` (Qt's mnemonic marker), upper-cased."""
    found = _MNEMONIC.search(text)
    return found.group(1).upper() if found else None


def plain(text: str) -> str:
    """The text as shown: "用户名(&U)" → "用户名", "&User name" → "User name"."""
    return _CJK_MNEMONIC.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def _place(widget: QWidget | None, places: Mapping[QWidget, str]) -> str:
    while widget is not None:
        if widget in places:
            return places[widget]
        widget = widget.parentWidget()
    return _(EVERYWHERE)


def _texts(widget: QWidget) -> list[str]:
    if isinstance(widget, QAbstractButton | QLabel):
        return [widget.text()]
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabWidget):
        return [widget.tabText(i) for i in range(widget.count())]
    return []


def _inside(widget: QWidget | None, skip: Collection[QWidget]) -> bool:
    while widget is not None:
        if widget in skip:
            return True
        widget = widget.parentWidget()
    return False


def collect(
    root: QWidget, places: Mapping[QWidget, str], skip: Collection[QWidget] = ()
) -> list[Row]:
    """Every shortcut reachable in ``root``; ``places`` names the screens (a widget's
    nearest named ancestor says where its shortcut works); widgets inside ``skip`` (a
    screen that cannot come back, such as the first start) are left out."""
    rows: list[Row] = []
    for shortcut in root.findChildren(QShortcut):
        if shortcut.key().isEmpty():
            continue
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        parent = shortcut.parent()
        where = _place(parent if isinstance(parent, QWidget) else None, places)
        if parent is root:
            where = _(EVERYWHERE)
        rows.append((keys, _(shortcut.whatsThis()) if shortcut.whatsThis() else "", where))
    rows.extend((_(keys), _(text), _(EVERYWHERE)) for keys, text in GENERAL)
    seen = {(r[0], r[2]) for r in rows}
    for widget in root.findChildren(QWidget):
        if _inside(widget, skip):
            continue
        for text in _texts(widget):
            letter = mnemonic(text)
            if letter is None:
                continue
            row = (f"Alt+{letter}", plain(text), _place(widget, places))
            if (row[0], row[2]) not in seen:
                seen.add((row[0], row[2]))
                rows.append(row)
    return rows
