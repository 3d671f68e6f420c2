"""Tracebacks go to a rotating log file in the data directory, never to a dialog."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from types import TracebackType

from xiangyi.paths import log_dir

LOG_NAME = "xiangyi.log"


def configure(base: Path, *, verbose: bool = False) -> Path:
    """Send log records to ``<data>/logs/xiangyi.log`` (1 MB × 5 files)."""
    path = log_dir(base) / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_xiangyi", False):
            root.removeHandler(handler)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._xiangyi = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path


def log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook`` replacement: log the traceback instead of printing it."""
    logging.getLogger("xiangyi").critical("Uncaught exception", exc_info=(kind, value, tb))


def install_excepthook() -> None:
    sys.excepthook = log_uncaught
