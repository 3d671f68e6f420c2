"""Screenshots of the trainer's authoring studio at 1366×768 (run under Xvfb or offscreen).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/studio_screenshots.py \
        docs/screenshots [zh_CN|en] [--translations NEW.tsv ...]

``--translations`` adds msgids not yet merged into the catalogue (as in
certificate_ui_screenshots.py). The trainer, the new pack and its case are made up; the
ECG pack shown is a copy of the built-in one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from shot_session import screenshot_session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "desktop"))


def compose(window, dialog):  # type: ignore[no-untyped-def]
    """The window with ``dialog`` drawn over it where it sits (a window grab leaves
    top-level dialogs out)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QPainter

    picture = window.grab()
    painter = QPainter(picture)
    top_left = dialog.geometry().topLeft() - window.geometry().topLeft()
    painter.drawPixmap(top_left, dialog.grab())
    painter.setPen(QColor("#707070"))  # no window manager under Xvfb: draw the frame
    painter.drawRect(QRect(top_left, dialog.size()).adjusted(0, 0, -1, -1))
    painter.end()
    return picture


def main() -> None:
    with screenshot_session() as session:
        out, tmp, app = session.out, session.tmp, session.app
        suffix = session.suffix
        import driver
        import studio_driver

        from case_bank.pack import builtin_packs_dir
        from records.accounts import create_user

        def settle() -> None:
            for _ in range(15):
                app.processEvents()

        def shot(name: str, dialog=None) -> None:  # type: ignore[no-untyped-def]
            settle()
            picture = compose(window, dialog) if dialog is not None else window.grab()
            picture.save(str(out / f"{name}{suffix}.png"))

        data = tmp / "data"
        data.mkdir()
        window = driver.open_window(data)
        window.setGeometry(0, 0, 1366, 768)
        driver.create_first_admin(window)
        create_user(window.ctx.db, "liu", "刘老师", "trainer-pass-1", "trainer")
        driver.click(window.sign_out) if window.stack.currentWidget() is not window.login else None
        driver.sign_in(window, "liu", "trainer-pass-1")
        driver.go_to(window, "studio")
        studio = window.pages["studio"]
        pack = tmp / "ecg-basics"
        shutil.copytree(builtin_packs_dir() / "ecg-basics", pack)
        studio.open_folder(pack)
        driver.wait_until(lambda: studio.session is not None)
        studio.cases.select("cases/ecg-stemi-002.yaml")
        shot("studio")
        studio.editor.tabs.setCurrentIndex(1)
        shot("studio-presentation")
        studio.editor.tabs.setCurrentIndex(3)
        shot("studio-ai-output")
        studio.editor.tabs.setCurrentIndex(6)
        shot("studio-key")

        studio.preview_practice()
        preview = next(w for w in app.topLevelWidgets() if w.objectName() == "preview_practice")
        player = preview.screen
        driver.click(player.continue_button)
        driver.choose(player.own_read, "own_read_stemi")
        driver.click(player.continue_button)
        preview.setGeometry(40, 30, 1280, 700)
        shot("studio-preview", preview)
        preview.reject()

        from case_bank import signing
        from desktop.studio.publish import keys_folder

        signing.generate_key("qingshan-training-centre", keys_folder(data), "trainer-passphrase-1")
        publish = studio.publish()
        publish.output.setText("E:/")
        publish.passphrase.setText("trainer-passphrase-1")
        publish.setGeometry(363, 224, 640, 320)
        shot("studio-publish", publish)
        publish.reject()

        new_pack = tmp / "county-cases"
        dialog = studio.start_pack(new_pack)
        studio_driver.type_text(dialog.pack_id, "qingshan-county-cases")
        studio_driver.type_text(dialog.title_zh, "青山县培训病例")
        studio_driver.type_text(dialog.title_en, "Qingshan County training cases")
        driver.click(dialog.findChild(driver.QAbstractButton, "new_pack_ok"))
        settle()
        case = studio.new_case()
        studio_driver.type_text(case.case_id, "cxr-nodule-101")
        case.kind.setCurrentIndex(case.kind.findData("image"))
        driver.click(case.findChild(driver.QAbstractButton, "new_case_ok"))
        settle()
        title = studio.editor.fields["title"]
        studio_driver.type_text(title.edits["zh_CN"], "体检胸片发现的右下肺结节")
        studio_driver.type_text(title.edits["en"], "A right lower lobe nodule on a check-up film")
        studio.session.check_pending()
        settle()
        index = next(
            i for i, p in enumerate(studio.problems.problems) if p.field.startswith("presentation")
        )
        studio_driver.click_problem(studio, index)
        shot("studio-validation")
        window.close()


if __name__ == "__main__":
    main()
