"""Start-up time and peak memory: Xiangyi's login window against a bare PySide6 window.

Both are measured in the same run, interleaved, from process start (the parent's
clock just before spawning) to the window shown, and the peak RSS at that moment.
Xiangyi shows its login window first and opens the database behind it, so a
second figure, "ready", is when signing in becomes possible.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import os, resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
t0 = float(os.environ["XIANGYI_STARTUP_PROBE"])
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1366, 768)
def shown():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"shown {time.time() - t0:.4f} {peak:.1f}", flush=True)
    app.quit()
window.show()
QTimer.singleShot(0, shown)
app.exec()
"""

XIANGYI = str(Path(sys.executable).parent / "xiangyi")


def _measure(command: list[str], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    env = dict(env, XIANGYI_STARTUP_PROBE=repr(time.time()))
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("shown", "ready"):
            figures[parts[0]] = (float(parts[1]), float(parts[2]))
    if "shown" not in figures:
        raise RuntimeError(f"no figures from {command[0]}: {out!r}")
    return figures


def _prepare(data_dir: Path) -> None:
    """A database with one administrator, so the login window (not first start) shows."""
    code = (
        "from pathlib import Path; from records.db import open_database; "
        "from records import accounts; "
        f"db = open_database(Path({str(data_dir)!r})); "
        "accounts.create_user(db, 'admin', 'Admin', 'admin-pass-1', 'admin'); db.close()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        _prepare(data_dir)
        env["XIANGYI_DATA_DIR"] = str(data_dir)
        bare, app_shown, app_ready = [], [], []
        for _ in range(args.runs):
            bare.append(_measure([sys.executable, "-c", BARE], env)["shown"])
            figures = _measure([XIANGYI], env)
            app_shown.append(figures["shown"])
            app_ready.append(figures.get("ready", figures["shown"]))

    def med(values: list[tuple[float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    def peak(values: list[tuple[float, float]]) -> float:
        return max(v[1] for v in values)

    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, medians of time")
    print(f"{'':32} {'time (s)':>9} {'peak RSS (MiB)':>15}")
    print(f"{'bare PySide6 window shown':32} {med(bare, 0):9.3f} {peak(bare):15.1f}")
    print(f"{'Xiangyi login window shown':32} {med(app_shown, 0):9.3f} {peak(app_shown):15.1f}")
    print(f"{'Xiangyi login ready (db open)':32} {med(app_ready, 0):9.3f} {peak(app_ready):15.1f}")
    print(f"ratio shown/bare: {med(app_shown, 0) / med(bare, 0):.2f}x")
    print(f"ratio ready/bare: {med(app_ready, 0) / med(bare, 0):.2f}x")


if __name__ == "__main__":
    main()
