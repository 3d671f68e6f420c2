"""Administrator: trust and content. The trainer keys this PC trusts (add from a file
after comparing the fingerprint, remove) and the installed case packs (install or
update from an archive with progress, remove). The rules live in records.packs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop import files
from desktop.screens.admin.common import failure_text, heading_label
from desktop.task_progress import run_with_progress
from desktop.tasks import run_in_background
from desktop.widgets import Screen, ask, error_label, read_only_table, show_error
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from case_bank.signing import PublicKey
    from desktop.context import AppContext
    from records.packs import Verification
    from records.tables import InstalledPack, TrustedKey

KEY_FILTER = N_("Public key files (*.json)")
PACK_FILTER = N_("Case pack archives (*.xypack);;All files (*)")


class ContentScreen(Screen):
    """``content_changed`` is emitted after a pack is installed or removed (the case
    list and modules must be reloaded)."""

    content_changed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.keys: list[TrustedKey] = []
        self.packs: list[InstalledPack] = []
        self.busy = False
        self.heading = heading_label()
        self.keys_box = QGroupBox(objectName="keys_box")
        self.keys_text = QLabel(wordWrap=True)
        self.key_table = read_only_table("trusted_keys", 3, stretch=1)
        self.add_key_button = QPushButton(objectName="key_add")
        self.remove_key_button = QPushButton(objectName="key_remove")
        key_actions = QHBoxLayout()
        key_actions.addWidget(self.keys_text, 1)
        key_actions.addWidget(self.add_key_button)
        key_actions.addWidget(self.remove_key_button)
        keys = QVBoxLayout(self.keys_box)
        keys.addWidget(self.key_table, 1)
        keys.addLayout(key_actions)
        self.packs_box = QGroupBox(objectName="packs_box")
        self.pack_table = read_only_table("installed_packs", 6, stretch=0)
        self.install_button = QPushButton(objectName="pack_install")
        self.remove_pack_button = QPushButton(objectName="pack_remove")
        self.packs_text = QLabel(wordWrap=True)
        pack_actions = QHBoxLayout()
        pack_actions.addWidget(self.packs_text, 1)
        pack_actions.addWidget(self.install_button)
        pack_actions.addWidget(self.remove_pack_button)
        packs = QVBoxLayout(self.packs_box)
        packs.addWidget(self.pack_table, 1)
        packs.addLayout(pack_actions)
        self.message = QLabel(objectName="content_message", wordWrap=True)
        self.error = error_label("content_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.keys_box, 1)
        layout.addWidget(self.packs_box, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)

        self.add_key_button.clicked.connect(self.add_key)
        self.remove_key_button.clicked.connect(self.remove_key)
        self.install_button.clicked.connect(self.install)
        self.remove_pack_button.clicked.connect(self.remove_pack)
        self.key_table.itemSelectionChanged.connect(self._selected)
        self.pack_table.itemSelectionChanged.connect(self._selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Trust and content"))
        self.keys_box.setTitle(_("Trusted trainer keys"))
        self.keys_text.setText(
            _("Case packs signed with these keys install without questions on this PC.")
        )
        self.key_table.setHorizontalHeaderLabels([_("Trainer"), _("Fingerprint"), _("Added")])
        self.add_key_button.setText(_("&Add a key from a file…"))
        self.remove_key_button.setText(_("Stop &trusting…"))
        self.packs_box.setTitle(_("Installed case packs"))
        self.packs_text.setText(_("The built-in packs come with the app and are not listed."))
        self.pack_table.setHorizontalHeaderLabels(
            [_("Title"), _("Pack ID"), _("Version"), _("Signed by"), _("Trust"), _("Installed")]
        )
        self.install_button.setText(_("&Install or update from a file…"))
        self.remove_pack_button.setText(_("&Remove…"))
        self.refresh()

    def refresh(self) -> None:
        from records import packs
        from xiangyi.i18n import current_language

        self.keys = packs.trusted_keys(self.ctx.db)
        trusted = {key.fingerprint for key in self.keys}
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key_table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            cells = (key.name, key.fingerprint, key.added_at.astimezone().strftime("%Y-%m-%d"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setFont(mono)
                self.key_table.setItem(row, column, item)
        self.packs = packs.installed_packs(self.ctx.db)
        chinese = current_language() == "zh_CN"
        self.pack_table.setRowCount(len(self.packs))
        for row, pack in enumerate(self.packs):
            if pack.signer_fingerprint is None:
                trust = _("unsigned")
            elif pack.signer_fingerprint in trusted:
                trust = _("trusted")
            else:
                trust = _("not trusted")
            cells = (
                pack.title_zh if chinese else pack.title_en,
                pack.id,
                str(pack.version),
                pack.signer or "—",
                trust,
                pack.installed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
            for column, text in enumerate(cells):
                self.pack_table.setItem(row, column, QTableWidgetItem(text))
        self._selected()

    def _selected(self) -> None:
        self.remove_key_button.setEnabled(0 <= self.key_table.currentRow() < len(self.keys))
        self.remove_pack_button.setEnabled(0 <= self.pack_table.currentRow() < len(self.packs))

    def _say(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)

    def _fail(self, exc: Exception) -> None:
        self.busy = False
        self.message.setText("")
        show_error(self.error, failure_text(exc))

    # -- keys --------------------------------------------------------------------------------
    def add_key(self) -> None:
        """Read a trainer's public key file and ask to compare its fingerprint first."""
        from case_bank import signing

        path = files.choose_open_path(self, _("Choose a trainer's public key"), _(KEY_FILTER))
        if path is None:
            return
        try:
            key = signing.read_public_key(path)
        except signing.SigningError as exc:
            self._fail(exc)
            return
        ask(
            self,
            "trust_key_box",
            _("Trust a trainer's key"),
            _(
                "Trust packs signed by {name}?\n\nFingerprint:\n{fingerprint}\n\n"
                "Compare it with the trainer (by telephone or in person) before trusting it."
            ).format(name=key.name, fingerprint=key.fingerprint),
            (_("Trust this key"), _("Cancel")),
            lambda: self._trust(key),
            default_yes=False,
        )

    def _trust(self, key: PublicKey) -> None:
        from records import packs

        assert self.ctx.user is not None
        try:
            packs.trust_key(self.ctx.db, self.ctx.user, key)
        except packs.PackInstallError as exc:
            self._fail(exc)
            return
        self._say(_("Packs signed by {name} are now trusted on this PC.").format(name=key.name))
        self.refresh()

    def remove_key(self) -> None:
        from records import packs

        row = self.key_table.currentRow()
        if not 0 <= row < len(self.keys):
            return
        key = self.keys[row]

        def untrust() -> None:
            assert self.ctx.user is not None
            try:
                packs.untrust_key(self.ctx.db, self.ctx.user, key.fingerprint)
            except packs.PackInstallError as exc:
                self._fail(exc)
                return
            self._say(_("The key of {name} is no longer trusted.").format(name=key.name))
            self.refresh()

        ask(
            self,
            "untrust_key_box",
            _("Stop trusting a key"),
            _(
                "Stop trusting the key of {name} ({fingerprint})? Packs already installed "
                "stay; new packs signed with it will need an administrator's permission."
            ).format(name=key.name, fingerprint=key.fingerprint),
            (_("Stop trusting"), _("Cancel")),
            untrust,
            default_yes=False,
        )

    # -- packs -------------------------------------------------------------------------------
    def install(self) -> None:
        """Check the archive off the UI thread, then say what it is and ask."""
        from records import packs

        path = files.choose_open_path(self, _("Choose a case pack archive"), _(PACK_FILTER))
        if path is None or self.busy:
            return
        self.busy = True
        self._say(_("Checking {name}…").format(name=path.name))
        db = self.ctx.db

        def checked(found: Verification) -> None:
            self.busy = False
            self._say("")
            if not found.intact or found.archive is None:
                show_error(
                    self.error,
                    "\n".join([_("This pack cannot be installed:"), *found.problems[:20]]),
                )
                return
            self._confirm_install(path, found)

        run_in_background(lambda: packs.verify_archive(db, path), checked, self._fail)

    def _confirm_install(self, path: Path, found: Verification) -> None:
        assert found.archive is not None
        manifest = found.archive.manifest
        installed = next((p for p in self.packs if p.id == manifest.pack_id), None)
        lines = [
            _("Pack {id}, version {version}.").format(id=manifest.pack_id, version=manifest.version)
        ]
        if installed is not None:
            lines.append(_("Version {version} is installed now.").format(version=installed.version))
        if found.signature is None:
            lines.append(_("The pack is not signed: its origin cannot be checked."))
        elif found.trusted:
            lines.append(
                _("Signed by {signer}, a trusted key.").format(signer=found.signature.signer)
            )
        else:
            lines.append(
                _("Signed by {signer} ({fingerprint}), a key not trusted here.").format(
                    signer=found.signature.signer, fingerprint=found.signature.fingerprint
                )
            )
        if not found.trusted:
            lines.append(_("Installing it anyway is recorded in the security log."))
        reinstall = installed is not None and manifest.version <= installed.version
        if reinstall:
            lines.append(_("It is not newer than the installed version; it will replace it."))
        ask(
            self,
            "install_box",
            _("Install a case pack"),
            "\n\n".join(lines),
            (_("Install") if found.trusted else _("Install anyway"), _("Cancel")),
            lambda: self._install(path, allow_untrusted=not found.trusted, reinstall=reinstall),
            default_yes=found.trusted and not reinstall,
        )

    def _install(self, path: Path, *, allow_untrusted: bool, reinstall: bool) -> None:
        from records import packs

        self.busy = True
        db, data_dir, user = self.ctx.db, self.ctx.data_dir, self.ctx.user

        def work(_progress: Any, _cancelled: Any) -> InstalledPack:
            return packs.install_pack(
                db, data_dir, path, actor=user, allow_untrusted=allow_untrusted, reinstall=reinstall
            )

        def done(row: InstalledPack) -> None:
            self.busy = False
            self._say(
                _("Installed pack {id} version {version}.").format(id=row.id, version=row.version)
            )
            self._content_changed()

        run_with_progress(
            self,
            "install_progress",
            _("Install a case pack"),
            _("Checking and installing {name}…").format(name=path.name),
            work,
            done,
            self._fail,
            cancellable=False,
        )

    def remove_pack(self) -> None:
        from records import packs

        row = self.pack_table.currentRow()
        if not 0 <= row < len(self.packs):
            return
        pack = self.packs[row]

        def remove() -> None:
            assert self.ctx.user is not None
            try:
                packs.remove_pack(self.ctx.db, self.ctx.data_dir, self.ctx.user, pack.id)
            except packs.PackInstallError as exc:
                self._fail(exc)
                return
            self._say(
                _("Removed pack {id} version {version}.").format(id=pack.id, version=pack.version)
            )
            self._content_changed()

        ask(
            self,
            "remove_pack_box",
            _("Remove a case pack"),
            _(
                "Remove pack {id} version {version}? Its cases will no longer be offered; "
                "attempts already made stay in the records."
            ).format(id=pack.id, version=pack.version),
            (_("Remove"), _("Cancel")),
            remove,
            default_yes=False,
        )

    def _content_changed(self) -> None:
        # The cases and modules are loaded once per session; load them again.
        self.ctx._packs = None
        self.ctx._modules = None
        self.refresh()
        self.content_changed.emit()
