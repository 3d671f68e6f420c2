"""Walk through every built-in module as a learner and take screenshots at 1366×768:
the module overview, and one practice case at its AI-output stage and its feedback.

xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/module_walkthrough.py \
    docs/screenshots/modules [zh_CN|en]

The case is answered from its scoring key (the ideal action, the fully correct
interpretation, the expected reliance), so the feedback shows a good answer.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "desktop"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/modules")
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
        print(out / f"{name}{suffix}.png")

    with tempfile.TemporaryDirectory() as tmp:
        window = driver.open_window(Path(tmp))
        window.setGeometry(0, 0, 1366, 768)
        driver.create_first_admin(window)
        driver.sign_in(window, "admin", "admin-pass-1")
        driver.add_account(window, "wang", "王医生", "learner-pass-1", "learner")
        driver.click(window.sign_out)
        driver.sign_in(window, "wang", "learner-pass-1")
        modules = window.pages["modules"]
        for row, loaded in enumerate(list(modules.rows)):
            module_id = loaded.module.id
            driver.go_to(window, "modules")
            modules.table.selectRow(row)
            driver.click(modules.open_button)
            shot(window, f"{module_id}-overview")
            window.practise_module(loaded)
            player = window.pages["player"]
            case = player.case
            if case.own_read is not None:
                first = case.decision.interpretations[0].id
                driver.choose(player.own_read, f"own_read_{first}")
            while driver.stage(window) != "ai_output":
                driver.click(player.continue_button)
            shot(window, f"{module_id}-case")
            driver.click(player.continue_button)
            key = case.key
            best = max(key.interpretation, key=lambda option: key.interpretation[option])
            form = player.decision
            driver.choose(form, f"reliance_{key.expected_reliance}")
            driver.choose(form, f"interpretation_{best}")
            driver.choose(form, "confidence_80")
            driver.choose(form, f"action_{key.ideal_actions[0]}")
            for limit in key.limitations:
                driver.choose(form, f"limitations_{limit}")
            driver.click(player.continue_button)
            shot(window, f"{module_id}-feedback")
            driver.click(player.back_button)
        window.close()


if __name__ == "__main__":
    main()
