"""The rules of the architecture, checked by the tools that state them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_import_contracts_hold() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_and_format_are_clean() -> None:
    lint = _run(str(BIN / "ruff"), "check", ".")
    assert lint.returncode == 0, lint.stdout
    fmt = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_is_clean_on_the_core() -> None:
    result = _run(str(BIN / "mypy"), "--no-incremental")
    assert result.returncode == 0, result.stdout


def test_core_packages_import_without_qt() -> None:
    code = (
        "import sys, importlib\n"
        "sys.modules['PySide6'] = None\n"  # any import of Qt now fails
        "sys.modules['pyqtgraph'] = None\n"
        "for name in ['xiangyi.i18n', 'case_bank.pack', 'case_bank.assets', "
        "'assessments.scoring', 'records.db', 'records.accounts', 'records.attempts', "
        "'desktop.cli']:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "ok", result.stderr
