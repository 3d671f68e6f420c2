"""Record bundles through the administrator's page: a clinic exports (encrypted to the
county), the county imports and sees what each file added and when each clinic PC was
last imported; the same file again adds nothing; a tampered file is refused and changes
nothing; a wrong passphrase is explained; a learner has no such page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from driver import click, open_window, sign_in
from PySide6.QtGui import QColor

from desktop.context import AppContext
from desktop.screens.admin.bundles import REFUSED_COLOUR, BundlesScreen
from desktop.workspace import NAV
from records import accounts
from records.bundles import county_key_files, create_county_key, last_export
from records.db import Database
from records.tables import Attempt, Credential, ExamAttempt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))
from bundle_fixtures import PASSPHRASE, dump, fill, make_clinic, make_hub

pytestmark = pytest.mark.usefixtures("no_dangling_threads")
COUNTY_PASSPHRASE = "county key passphrase 42"


class Dialogs:
    """Stands in for the page's file and passphrase dialogs, recording what was asked."""

    def __init__(self) -> None:
        self.save: list[Path] = []
        self.open: list[Path] = []
        self.many: list[list[Path]] = []
        self.secrets: list[str] = []
        self.asked: list[str] = []
        self.texts: list[str] = []

    def page(self, db: Database, data_dir: Path, user: Any) -> BundlesScreen:
        ctx = AppContext(data_dir=data_dir, db=db, user=user)
        return BundlesScreen(
            ctx,
            choose_save=lambda *a: self.save.pop(0),
            choose_open=lambda *a: self.open.pop(0),
            choose_many=lambda *a: self.many.pop(0),
            ask_secret=self._secret,
            ask_text=lambda *a: self.texts.pop(0),
        )

    def _secret(self, parent: Any, title: str, label: str) -> str | None:
        self.asked.append(label)
        return self.secrets.pop(0)


def _count(db: Database, table: Any) -> int:
    with db.session() as session:
        return session.query(table).count()


def _result_row(page: BundlesScreen, row: int) -> list[str]:
    return [page.results.item(row, column).text() for column in range(4)]


def _wait_idle(qtbot: Any, page: BundlesScreen) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)


def test_export_import_again_and_tampered(qtbot: Any, tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河")
    fill(clinic)
    hub_dir = tmp_path / "hub"
    hub, hub_admin = make_hub(hub_dir, [clinic])
    create_county_key(hub_dir, "青山县", COUNTY_PASSPHRASE)
    private_key, public_key = county_key_files(hub_dir)
    dialogs = Dialogs()

    # The clinic exports, encrypted to the county's public key.
    out = dialogs.page(clinic.db, clinic.data_dir, clinic.admin)
    qtbot.addWidget(out)
    assert "never" in out.last_export.text()
    dialogs.open.append(public_key)
    out.encrypt.setChecked(True)
    assert out.county_public == public_key
    bundle = tmp_path / "usb" / "qinghe.xyb"
    dialogs.save.append(bundle)
    dialogs.secrets.append(PASSPHRASE)
    click(out.export_button)
    _wait_idle(qtbot, out)
    assert out.error.isHidden(), out.error.text()
    assert bundle.is_file() and str(bundle) in out.message.text()
    attempts = _count(clinic.db, Attempt) - len(clinic.doctors)  # open attempts stay home
    assert f"case attempts {attempts}" in out.message.text()
    exported = last_export(clinic.db)
    assert exported is not None
    assert exported.astimezone().strftime("%Y-%m-%d %H:%M") in out.last_export.text()

    # The hub imports it: asked for the county key (encrypted) and its passphrase.
    page = dialogs.page(hub, hub_dir, hub_admin)
    qtbot.addWidget(page)
    assert page.status_table.rowCount() == 0
    # A wrong county passphrase is explained and imports nothing.
    dialogs.many.append([bundle])
    dialogs.open.append(private_key)
    dialogs.secrets.append("not the county passphrase")
    click(page.import_button)
    _wait_idle(qtbot, page)
    assert "Wrong passphrase" in page.error.text() and not page.error.isHidden()
    assert _count(hub, Attempt) == 0 and page.results.rowCount() == 0
    dialogs.many.append([bundle])
    dialogs.secrets.append(COUNTY_PASSPHRASE)
    click(page.import_button)
    _wait_idle(qtbot, page)
    assert page.error.isHidden(), page.error.text()
    name, signer, device, result = _result_row(page, 0)
    assert (name, signer, device) == ("qinghe.xyb", "清河", clinic.device[:8])
    assert f"case attempts {attempts}" in result and "certificates 2" in result
    assert _count(hub, Attempt) == attempts
    assert _count(hub, ExamAttempt) == 2 and _count(hub, Credential) == 2
    assert page.status_table.rowCount() == 1
    assert page.status_table.item(0, 0).text() == "清河"
    assert page.status_table.item(0, 3).text() == "1"

    # The same file again adds nothing; the county key file is remembered.
    before = dump(hub)
    dialogs.many.append([bundle])
    dialogs.secrets.append(COUNTY_PASSPHRASE)
    click(page.import_button)
    _wait_idle(qtbot, page)
    assert "Added: nothing" in _result_row(page, 0)[3]
    assert dump(hub) == before

    # A tampered file is refused in red, next to a good one; nothing changes.
    tampered = tmp_path / "usb" / "tampered.xyb"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    dialogs.many.append([tampered])
    dialogs.secrets.append(COUNTY_PASSPHRASE)
    click(page.import_button)
    _wait_idle(qtbot, page)
    name, signer, _device, result = _result_row(page, 0)
    assert name == "tampered.xyb" and signer == ""
    assert "refused" in result and "Nothing was changed" in result
    assert page.results.item(0, 3).foreground().color() == QColor(REFUSED_COLOUR)
    assert "refused: 1" in page.message.text()
    assert dump(hub) == before


def test_wrong_passphrases_are_explained(qtbot: Any, tmp_path: Path) -> None:
    clinic = make_clinic(tmp_path / "clinic", "清河", doctors=1)
    dialogs = Dialogs()
    page = dialogs.page(clinic.db, clinic.data_dir, clinic.admin)
    qtbot.addWidget(page)
    bundle = tmp_path / "out.xyb"
    dialogs.save.append(bundle)
    dialogs.secrets.append("not the passphrase")
    click(page.export_button)
    _wait_idle(qtbot, page)
    assert not page.error.isHidden() and "Wrong passphrase" in page.error.text()
    assert not bundle.exists() and last_export(clinic.db) is None
    # An unencrypted bundle never asks for the county key.
    dialogs.save.append(bundle)
    dialogs.secrets.append(PASSPHRASE)
    click(page.export_button)
    _wait_idle(qtbot, page)
    assert "Not encrypted" in page.message.text()
    dialogs.asked.clear()
    dialogs.many.append([bundle])
    click(page.import_button)
    _wait_idle(qtbot, page)
    assert dialogs.asked == []
    assert page.results.rowCount() == 1


def test_the_county_key_is_created_on_the_page(qtbot: Any, tmp_path: Path) -> None:
    hub = make_clinic(tmp_path / "county", "县", doctors=0)
    dialogs = Dialogs()
    page = dialogs.page(hub.db, hub.data_dir, hub.admin)
    qtbot.addWidget(page)
    # Two different passphrases: nothing is created.
    dialogs.texts.append("青山县卫生健康委员会")
    dialogs.secrets += [COUNTY_PASSPHRASE, "something else entirely"]
    click(page.county_key_button)
    private, public = county_key_files(hub.data_dir)
    assert not private.exists() and "differ" in page.error.text()
    dialogs.texts.append("青山县卫生健康委员会")
    dialogs.secrets += [COUNTY_PASSPHRASE, COUNTY_PASSPHRASE]
    click(page.county_key_button)
    assert private.is_file() and public.is_file()
    assert str(public) in page.message.text()
    assert page.county_private == private  # imports use it from now on
    # The page opened later on this PC finds the key by itself.
    again = dialogs.page(hub.db, hub.data_dir, hub.admin)
    qtbot.addWidget(again)
    assert again.county_private == private


def test_a_learner_has_no_bundle_page(qtbot: Any, data_dir: Path) -> None:
    from records.db import open_database

    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner", actor_id=admin.id)
    db.close()
    assert "bundles" in {key for key, _label in NAV["admin"]}
    assert "bundles" not in {key for key, _label in NAV["learner"] + NAV["trainer"]}
    window = open_window(data_dir)
    qtbot.addWidget(window)
    sign_in(window, "wang", "learner-pass-1")
    assert "bundles" not in window.pages
    assert not any(isinstance(page, BundlesScreen) for page in window.pages.values())
    window.log_out()
