"""Where Xiangyi keeps its files: the user data directory, overridable."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "XIANGYI_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create) the data directory.

    Precedence: an explicit ``--data-dir``, then ``XIANGYI_DATA_DIR``, then the
    platform's user data directory (platformdirs).
    """
    if override:
        path = Path(override)
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR])
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("Xiangyi", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def log_dir(base: Path) -> Path:
    path = base / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir(base: Path) -> Path:
    path = base / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
