"""Creating the county's encryption key pair from the Record bundles page, so that a
county official never needs the command line for it (``xiangyi bundle county-key new``
does the same)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from xiangyi.i18n import _

AskText = Callable[[QWidget, str, str], str | None]


class KeyPage(Protocol):
    """What the page offers: its data folder, the passphrase question and its messages."""

    def ask_secret(self, parent: QWidget, title: str, label: str) -> str | None: ...
    def use_county_key(self, private: Path) -> None: ...
    def say(self, message: str) -> None: ...
    def warn(self, message: str) -> None: ...


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal)
    return text if ok else None


def create_county_key(
    parent: QWidget, page: KeyPage, data_dir: Path, ask: AskText = ask_text
) -> None:
    """Ask the county's name and a passphrase (twice), create the key pair in the data
    folder, and tell where the public key is to be copied for the clinics."""
    from records.bundles import SealError, county_key_files
    from records.bundles import create_county_key as create

    title = _("Create the county key")
    name = ask(parent, title, _("Name of the county (as the clinics know it):"))
    if not name:
        return
    first = page.ask_secret(parent, title, _("Choose a passphrase for the county key:"))
    if first is None:
        return
    second = page.ask_secret(parent, title, _("Type the passphrase again:"))
    if second is None:
        return
    if first != second:
        page.warn(_("The two passphrases differ; nothing was created."))
        return
    try:
        key = create(data_dir, name, first)
    except SealError as exc:
        page.warn(str(exc))
        return
    private, public = county_key_files(data_dir)
    page.use_county_key(private)
    page.say(
        _(
            "County key created (fingerprint {fingerprint}). Copy the public key {public} to "
            "a USB stick for the clinics; the private key stays on this PC."
        ).format(fingerprint=key.fingerprint, public=public)
    )
