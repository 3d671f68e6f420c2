"""Logs go to a rotating file in the data folder; paths honour the overrides."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from xiangyi import logs, paths


def test_uncaught_exception_goes_to_log_file(tmp_path: Path) -> None:
    path = logs.configure(tmp_path)
    try:
        raise ValueError("kaboom")
    except ValueError:
        logs.log_uncaught(*sys.exc_info())  # type: ignore[arg-type]
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "Uncaught exception" in text and "ValueError: kaboom" in text
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_xiangyi", False))
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 5  # type: ignore[attr-defined]
    logging.getLogger().removeHandler(handler)
    handler.close()


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "env"))
    assert paths.data_dir() == (tmp_path / "env").resolve()
    assert paths.data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == (tmp_path / "xdg" / "Xiangyi").resolve()
