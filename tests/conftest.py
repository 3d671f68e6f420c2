"""Shared fixtures: a fresh data folder and database per test, the default language,
no network, and no background thread left running after a test."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
# The county hub's real PostgreSQL server (pg_server, pg_url, pg_empty_url, pg_db).
pytest_plugins = ["postgres_fixtures"]


@pytest.fixture(autouse=True)
def _test_language() -> Iterator[None]:
    """Tests read English messages unless they choose Chinese (``zh_cn`` fixture); the
    Chinese catalogue is checked for completeness by tests/foundation/test_translations.py
    and the journey test runs in both languages."""
    from xiangyi import i18n

    i18n.set_language("en")
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def zh_cn() -> None:
    from xiangyi import i18n

    i18n.set_language("zh_CN")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Any attempt to reach the network fails the test (the app must work offline)."""
    if request.node.get_closest_marker("network_allowed"):
        return
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network connection attempted to {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[object]:
    from records.db import open_database

    database = open_database(data_dir)
    yield database
    database.close()


@pytest.fixture
def no_dangling_threads() -> Iterator[None]:
    """Fail a Qt test that leaves a background job running."""
    yield
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    assert pool.waitForDone(10_000), "a background job was still running after the test"
