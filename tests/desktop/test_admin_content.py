"""Trust and content through the administrator's screen: a trainer's key added from its
file after the fingerprint is shown, packs installed and updated with progress, an
untrusted pack only with a second question (audited), a damaged archive refused with
nothing stored, and removals after a confirmation."""

from __future__ import annotations

from pathlib import Path

import pack_fixtures
import pytest
from admin_helpers import Files, admin_window, answer, dialog
from driver import click, go_to

from records import packs
from records.tables import AuditEvent

pytestmark = pytest.mark.usefixtures("no_dangling_threads")


def _events(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return [e.event for e in session.query(AuditEvent)]


def test_trust_a_key_install_update_and_remove_a_pack(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = Files(monkeypatch)
    private, public, key = pack_fixtures.make_key(tmp_path, "county-trainer")
    window = admin_window(qtbot, data_dir)
    go_to(window, "content")
    page = window.pages["content"]
    assert page.key_table.rowCount() == 0 and page.pack_table.rowCount() == 0

    # Adding a key shows its fingerprint first; "Cancel" trusts nothing.
    chooser.open.append(public)
    click(page.add_key_button)
    qtbot.waitUntil(lambda: dialog("trust_key_box") is not None)
    assert key.fingerprint in dialog("trust_key_box").text()
    answer(qtbot, "trust_key_box", yes=False)
    assert packs.trusted_keys(window.ctx.db) == []
    chooser.open.append(public)
    click(page.add_key_button)
    answer(qtbot, "trust_key_box")
    assert page.key_table.rowCount() == 1
    assert page.key_table.item(0, 1).text() == key.fingerprint

    # Install version 1, then update to version 2 (progress dialog, then the table).
    for version in (1, 2):
        chooser.open.append(pack_fixtures.signed_pack(tmp_path, private, version=version))
        click(page.install_button)
        qtbot.waitUntil(lambda: dialog("install_box") is not None)
        assert f"version {version}" in dialog("install_box").text()
        answer(qtbot, "install_box")
        qtbot.waitUntil(
            lambda v=version: (
                page.pack_table.rowCount() == 1 and page.pack_table.item(0, 2).text() == str(v)
            )
        )
        assert dialog("install_progress") is None
    assert page.pack_table.item(0, 4).text() == "trusted"
    assert [p.version for p in packs.installed_packs(window.ctx.db)] == [2]
    assert window.ctx._packs is None  # the cases are reloaded on next use

    # Remove the pack, then stop trusting the key; each after a question.
    page.pack_table.selectRow(0)
    click(page.remove_pack_button)
    answer(qtbot, "remove_pack_box")
    assert packs.installed_packs(window.ctx.db) == []
    page.key_table.selectRow(0)
    click(page.remove_key_button)
    answer(qtbot, "untrust_key_box")
    assert packs.trusted_keys(window.ctx.db) == []
    events = _events(window.ctx.db)
    for event in ("key_trusted", "pack_installed", "pack_removed", "key_untrusted"):
        assert event in events


def test_untrusted_pack_needs_a_second_word_and_damaged_is_refused(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = Files(monkeypatch)
    private, _public, _key = pack_fixtures.make_key(tmp_path, "stranger")
    window = admin_window(qtbot, data_dir)
    go_to(window, "content")
    page = window.pages["content"]

    damaged = pack_fixtures.signed_pack(tmp_path, private, version=1, name="damaged")
    pack_fixtures.rewrite_member(damaged, "pack.yaml", b"id: something-else\n")
    chooser.open.append(damaged)
    click(page.install_button)
    qtbot.waitUntil(lambda: page.error.isVisible())
    assert "cannot be installed" in page.error.text()
    assert dialog("install_box") is None and packs.installed_packs(window.ctx.db) == []

    garbage = tmp_path / "notes.xypack"
    garbage.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    chooser.open.append(garbage)
    click(page.install_button)
    qtbot.waitUntil(lambda: page.error.isVisible() and not page.busy)
    assert dialog("install_box") is None and packs.installed_packs(window.ctx.db) == []

    stranger = pack_fixtures.signed_pack(tmp_path, private, version=1, name="stranger")
    chooser.open.append(stranger)
    click(page.install_button)
    qtbot.waitUntil(lambda: dialog("install_box") is not None)
    assert "not trusted here" in dialog("install_box").text()
    assert dialog("install_box").findChild(object, "install_box_yes").text() == "Install anyway"
    answer(qtbot, "install_box")
    qtbot.waitUntil(lambda: page.pack_table.rowCount() == 1)
    assert page.pack_table.item(0, 4).text() == "not trusted"
    assert "pack_untrusted_allowed" in _events(window.ctx.db)

    chooser.open.append(tmp_path / "missing.json")
    (tmp_path / "missing.json").write_text("{}", encoding="utf-8")
    click(page.add_key_button)
    assert "is not a Xiangyi public key file" in page.error.text()
    assert packs.trusted_keys(window.ctx.db) == []
