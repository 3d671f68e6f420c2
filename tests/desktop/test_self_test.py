"""``xiangyi --self-test`` from source, its failure report, and the window's message
when built-in files of an installation are missing or damaged."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from driver import wait_until
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import self_test
from desktop.app import self_test_window
from desktop.shell import MainWindow
from xiangyi import installation
from xiangyi.i18n import _

XIANGYI = Path(sys.executable).parent / "xiangyi"


def test_self_test_plays_every_kind_and_issues_a_certificate(qtbot) -> None:
    out = io.StringIO()
    assert self_test.run(self_test_window, out=out) == 0
    text = out.getvalue()
    assert "[FAILED]" not in text and "Self-test passed" in text
    for kind in ("ecg", "image", "risk", "trend", "triage", "prescription", "llm", "report"):
        assert f"Case, AI kind {kind}:" in text
        assert f"Viewer, AI kind {kind}:" in text
        assert f"Studio editor, AI kind {kind}:" in text
    assert "(EcgEditor, generated a 4 s signal)" in text
    assert "Certification exam: certification: 30 cases" in text
    assert "PDF, Open Badge and code valid; a changed copy refused" in text
    assert "Main window: opened the database and showed the login" in text


def test_a_failing_check_stops_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> tuple[None, str]:
        raise self_test.CheckFailed("the catalogue is gone")

    monkeypatch.setattr(self_test, "check_catalogues", broken)
    out = io.StringIO()
    assert self_test.run(None, out=out) == 1
    text = out.getvalue()
    assert "[FAILED] Translations: the catalogue is gone" in text
    assert "Self-test FAILED at: Translations" in text
    kept = Path(text.split("The test folder is kept: ")[1].splitlines()[0])
    assert (kept / "logs" / "xiangyi.log").exists()
    shutil.rmtree(kept)


def test_cli_flag_runs_it_without_a_display(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(XIANGYI), "--self-test", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XIANGYI_DATA_DIR": str(tmp_path / "data"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[Passed] Qt: platform offscreen" in result.stdout
    assert not (tmp_path / "data" / "xiangyi.sqlite3").exists()  # the user's data untouched


def test_window_explains_a_damaged_installation(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "bundle"
    (root / "case_bank" / "packs").mkdir(parents=True)
    case = root / "case_bank" / "packs" / "case.yaml"
    case.write_text("id: x\n", encoding="utf-8")
    installation.write_manifest(root, ["case_bank/packs/case.yaml"], root / "content-manifest.json")
    case.unlink()
    monkeypatch.setattr(installation, "app_root", lambda: root)

    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle() + "\n" + box.text())
            box.buttons()[0].click()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    window.open_database()
    wait_until(lambda: bool(seen))
    assert _("This installation of Xiangyi is damaged") in seen[0]
    assert "missing: case_bank/packs/case.yaml" in seen[0]
    assert "Reinstall Xiangyi" in seen[0]
    assert window.ctx is None
