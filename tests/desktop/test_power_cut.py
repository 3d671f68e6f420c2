"""A process killed mid-case resumes at the same stage with the answers kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from driver import click, open_window, sign_in, wait_until
from PySide6.QtWidgets import QMessageBox

from records import accounts
from records.db import open_database

HERE = Path(__file__).parent


def test_sigkill_mid_case_then_resume(qtbot, data_dir: Path, no_dangling_threads: None) -> None:
    database = open_database(data_dir)
    accounts.create_user(database, "admin", "Admin", "admin-pass-1", "admin")
    accounts.create_user(database, "wang", "王医生", "learner-pass-1", "learner")
    database.close()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, str(HERE / "kill_mid_case.py"), str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline().split()  # type: ignore[union-attr]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert line[:2] == ["AT", "ai_output"], line
    attempt_id = line[2]

    window = open_window(data_dir)
    qtbot.addWidget(window)
    sign_in(window, "wang", "learner-pass-1")
    wait_until(lambda: window.findChild(QMessageBox, "resume_box") is not None)
    box = window.findChild(QMessageBox, "resume_box")
    click(box.findChild(type(box.defaultButton()), "resume_box_yes"))
    player = window.pages["player"]
    wait_until(lambda: player.attempt is not None)
    assert player.attempt.id == attempt_id
    assert player.attempt.stage == "ai_output"
    assert player.attempt.answers["own_read"] == {"interpretation": "af"}
    assert player.own_read.choice.value() == "af"
    assert window.pages_stack.currentWidget() is player
    assert player.ai_area.isVisible() and player.renderer is not None
    window.close()
