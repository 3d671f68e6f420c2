"""Generators for the synthetic assets of the built-in content (numpy and Pillow, seeded).

Each generator module offers ``builtin_assets()``: the path of every committed file it
makes, with a function that returns that file's exact bytes. Generation is deterministic,
so ``python -m case_bank.generators`` rebuilds the repository's assets byte for byte and
``python -m case_bank.generators --check`` (run by the tests) proves they are current.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

# Every generator module, by name. Imported lazily: the app never needs them.
MODULES = ("ecg", "chest", "fundus", "figures", "series")


def available_modules() -> list[str]:
    """The generator modules present in this installation."""
    here = Path(__file__).resolve().parent
    return [name for name in MODULES if (here / f"{name}.py").is_file()]


def builtin_assets(names: list[str] | None = None) -> dict[Path, Callable[[], bytes]]:
    """Every committed asset of the named generators (all present ones by default)."""
    assets: dict[Path, Callable[[], bytes]] = {}
    for name in names or available_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        assets.update(module.builtin_assets())
    return assets
