"""Take screenshots of the real window at 1366×768 (run under Xvfb or offscreen).

xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "desktop"))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from xiangyi import i18n

    app = QApplication(sys.argv)
    i18n.set_language(language)
    from desktop.qt_i18n import QtLanguage

    QtLanguage(app)
    import driver

    suffix = "" if language == "zh_CN" else f"-{language}"

    def shot(window: object, name: str) -> None:
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(out / f"{name}{suffix}.png"))  # type: ignore[attr-defined]

    with tempfile.TemporaryDirectory() as tmp:
        window = driver.open_window(Path(tmp))
        window.setGeometry(0, 0, 1366, 768)
        shot(window, "first-start")
        driver.create_first_admin(window)
        shot(window, "login")
        driver.sign_in(window, "admin", "admin-pass-1")
        driver.add_account(window, "wang", "王医生", "learner-pass-1", "learner")
        shot(window, "accounts")
        driver.click(window.sign_out)
        driver.sign_in(window, "wang", "learner-pass-1")
        shot(window, "case-list")
        cases = window.pages["cases"]
        row = next(i for i, (_p, c) in enumerate(cases.rows) if c.id == "ecg-stemi-002")
        cases.table.selectRow(row)
        driver.click(cases.start_button)
        player = window.pages["player"]
        shot(window, "player-1-presentation")
        driver.click(player.continue_button)
        driver.choose(player.own_read, "own_read_stemi")
        shot(window, "player-2-own-read")
        driver.click(player.continue_button)
        shot(window, "player-3-ai-output")
        driver.click(player.continue_button)
        driver.fill_decision(window, "ecg-stemi-002")
        shot(window, "player-4-decision")
        driver.click(player.continue_button)
        shot(window, "player-5-feedback")
        driver.go_to(window, "competency")
        shot(window, "competency")
        driver.go_to(window, "modules")
        shot(window, "modules")
        modules = window.pages["modules"]
        modules.table.selectRow(
            next(i for i, m in enumerate(modules.rows) if m.module and m.module.id == "ecg-ai")
        )
        driver.click(modules.open_button)
        shot(window, "module-overview")
        driver.click(window.pages["module"].start)
        lesson = window.pages["lesson"]
        lesson.checks[0].choice.buttons["p20"].setChecked(True)
        driver.click(lesson.checks[0].button)
        shot(window, "lesson")
        driver.click(lesson.back)
        module = window.pages["module"]
        module.steps.setCurrentRow(module.steps.count() - 1)
        driver.click(module.start)
        exam = window.pages["exam"]
        case_id = exam.state.current_case_id
        exam.own_read.choice.buttons[driver.CORRECT[case_id][0]].setChecked(True)
        driver.click(exam.save_button)
        shot(window, "exam")
        exam.finish("doctor")
        shot(window, "exam-result")
        # Home and study history of a learner a month into her training.
        from home_history import seed_learner

        from records import accounts

        driver.click(exam.close_button)
        driver.click(window.sign_out)
        admin = next(u for u in accounts.list_users(window.ctx.db) if u.role == "admin")
        seed_learner(window.ctx.db, Path(tmp), admin)
        driver.sign_in(window, "lixy", "learner-pass-1")
        shot(window, "home")
        driver.go_to(window, "history")
        shot(window, "history")
        window.close()


if __name__ == "__main__":
    main()
