"""The installed Qt binding keeps Python's reference counts intact (PySide6 6.12.0 on
Python 3.11 did not: the process aborted at exit after many bool-valued calls)."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
from PySide6.QtWidgets import QApplication, QCheckBox
app = QApplication([])
box = QCheckBox()
box.toggled.connect(lambda on: None)
for i in range(20000):
    box.setChecked(i % 2 == 0)
    box.isChecked()
"""


def test_many_bool_calls_then_a_clean_exit() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
