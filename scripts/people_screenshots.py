"""Screenshots of the administrator's people screen and the cohort import at 1366×768.

xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/people_screenshots.py \
    docs/screenshots [zh_CN|en]

Writes people.png (the people tab with an institution tree filled in) and
cohort-import.png (a dry run that found problems), with "-en" for English.
``--extra TSV`` previews translations not yet merged into the catalogue (msgid TAB msgstr).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "desktop"))
sys.path.insert(0, str(ROOT / "tests" / "records"))

PEOPLE = [
    ("wang", "王建国", "learner", "141440300012345", "红星村卫生室", "全科", "乡村医生"),
    ("li", "李秀英", "learner", "141440300012346", "东岭村卫生室", "", "乡村医生"),
    ("zhao", "赵敏", "trainer", "141440300000017", "红星乡卫生院", "全科", "主治医师"),
    ("chen", "陈志强", "learner", "141440300012399", "城关社区卫生服务站", "", "执业医师"),
    ("sun", "孙丽", "admin", "", "青山县卫生健康委员会", "", ""),
]
PLACES = [
    ("青山县卫生健康委员会", "county", None, "QS"),
    ("红星乡卫生院", "township", "青山县卫生健康委员会", "HX-001"),
    ("东岭乡卫生院", "township", "青山县卫生健康委员会", "DL-001"),
    ("红星村卫生室", "village", "红星乡卫生院", "HX-101"),
    ("东岭村卫生室", "village", "东岭乡卫生院", "DL-101"),
    ("城关社区卫生服务站", "community", "青山县卫生健康委员会", "CG-01"),
]


def seed(data_dir: Path) -> None:
    """An administrator, an institution tree and a few people (created through the core)."""
    from records import accounts, institutions, people
    from records.db import open_database

    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    ids: dict[str, str] = {}
    for name, level, parent, code in PLACES:
        row = institutions.create_institution(
            db, admin, name, level, parent_id=ids.get(parent or ""), code=code
        )
        ids[name] = row.id
    for username, name, role, number, place, dept, title in PEOPLE:
        details = people.PersonDetails(name, number, ids[place], dept, title)
        people.create_person(db, admin, username, "pass-word-1", role, details)
    gone = accounts.list_users(db)[-1]
    people.set_active(db, admin, gone.id, False)
    db.close()


def cohort_file(folder: Path) -> Path:
    """A 120-person sheet with eight typical mistakes."""
    from cohort_fixtures import cohort_rows, write_xlsx

    return write_xlsx(folder / "青山县2026年第一期学员.xlsx", cohort_rows(120))


def add_preview_translations(tsv: Path, language: str) -> None:
    """Put translations from ``tsv`` in front of the compiled catalogue (preview only)."""
    import gettext

    from xiangyi import i18n

    extra: dict[str, str] = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            msgid, msgstr = line.split("\t", 1)
            extra[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")

    class Preview(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return extra.get(message) or super().gettext(message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            chosen = singular if n == 1 else plural
            return extra.get(chosen) or super().ngettext(singular, plural, n)

    preview = Preview()
    preview.add_fallback(i18n._catalogue(language))
    i18n._catalogues[language] = preview


def framed(window: Any, dialog: Any) -> Any:
    """The window dimmed, with the dialog and a title bar drawn on it (Xvfb has no
    window manager to draw one)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QPainter

    picture = window.grab()
    inner = dialog.grab()
    bar = 28
    x = (picture.width() - inner.width()) // 2
    y = max(bar + 4, (picture.height() - inner.height() - bar) // 2 + bar)
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))
    painter.fillRect(QRect(x - 1, y - bar - 1, inner.width() + 2, inner.height() + bar + 2),
                     QColor("#5a5a5a"))  # fmt: skip
    painter.fillRect(QRect(x, y - bar, inner.width(), bar), QColor("#e8e8e8"))
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(QRect(x + 10, y - bar, inner.width() - 20, bar),
                     Qt.AlignmentFlag.AlignVCenter, dialog.windowTitle())  # fmt: skip
    painter.drawPixmap(x, y, inner)
    painter.end()
    return picture


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--extra")]
    extra = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--extra=")), None)
    out = Path(args[0] if args else "docs/screenshots").resolve()
    language = args[1] if len(args) > 1 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from xiangyi import i18n

    app = QApplication(sys.argv)
    i18n.set_language(language)
    from desktop.qt_i18n import QtLanguage

    QtLanguage(app)
    if extra:
        add_preview_translations(Path(extra), language)
    import driver

    suffix = "" if language == "zh_CN" else f"-{language}"

    def settle() -> None:
        for _ in range(20):
            app.processEvents()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        seed(data)
        window = driver.open_window(data)
        window.setGeometry(0, 0, 1366, 768)
        driver.sign_in(window, "admin", "admin-pass-1")
        window._show_page("accounts")
        page = window.pages["accounts"]
        page.people.select_user("wang")
        settle()
        window.grab().save(str(out / f"people{suffix}.png"))

        dialog = page.open_cohort_import()
        os.chdir(tmp)  # the file box shows the file's name, not a temporary folder
        dialog.path.setText(cohort_file(Path(tmp)).name)
        dialog.check()
        driver.wait_until(lambda: dialog.checked is not None)
        settle()
        framed(window, dialog).save(str(out / f"cohort-import{suffix}.png"))
        dialog.accept()
        window.close()
        os.chdir(ROOT)


if __name__ == "__main__":
    main()
