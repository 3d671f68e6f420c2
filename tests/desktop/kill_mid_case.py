"""Child process for the power-cut test: play into a case, report, then wait to be killed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from driver import answer_own_read, click, keep_only, open_window, sign_in
from PySide6.QtWidgets import QApplication


def main() -> None:
    app = QApplication([])
    window = open_window(Path(sys.argv[1]))
    sign_in(window, "wang", "learner-pass-1")
    keep_only(window)
    click(window.pages["cases"].start_button)
    player = window.pages["player"]
    click(player.continue_button)
    answer_own_read(window, "af")
    print(f"AT {player.attempt.stage} {player.attempt.id}", flush=True)
    while True:  # keep the app alive until SIGKILL arrives
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main()
