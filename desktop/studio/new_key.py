"""Dialogs that start something: a signing key, a pack, a case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from case_bank.vocabulary import AIKind
from desktop.studio.case_tabs import KIND_LABELS
from desktop.widgets import error_label, show_error
from xiangyi.i18n import _


class _Form(QDialog):
    """A small form with OK/Cancel and an inline error; ``check`` runs on OK."""

    def __init__(self, parent: QWidget | None, name: str, title: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = error_label(f"{name}_error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName(f"{name}_ok")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 200)

    def line(self, name: str, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit(objectName=name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _ok(self) -> None:
        from case_bank.authoring.project import ProjectError
        from case_bank.signing import SigningError

        try:
            self.check()
        except (ValueError, OSError, ProjectError, SigningError) as exc:
            show_error(self.error, str(exc))  # the core's own translated message
            return
        self.accept()

    def check(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError  # an abstract hook: Qt classes cannot use abc.ABC


class NewKeyDialog(_Form):
    """Create a signing key pair, as ``xiangyi keys new`` does."""

    def __init__(self, parent: QWidget | None, folder: Path, db: Any) -> None:
        super().__init__(parent, "new_key", _("Create a signing key"))
        self.folder, self.db = folder, db
        self.private_path: Path | None = None
        self.name = self.line("new_key_name", _("Key name (e.g. county-training-centre)"))
        self.passphrase = self.line("new_key_passphrase", _("Passphrase"), secret=True)
        self.repeat = self.line("new_key_repeat", _("Repeat the passphrase"), secret=True)

    def check(self) -> None:
        from case_bank import signing
        from records import packs

        if self.passphrase.text() != self.repeat.text():
            raise ValueError(_("The two passphrases differ; no key was created."))
        private, _public, key = signing.generate_key(
            self.name.text().strip(), self.folder, self.passphrase.text()
        )
        packs.record_key_created(self.db, key)
        self.private_path = private


class NewPackDialog(_Form):
    """Start a pack: its ID, titles and author, in a new folder."""

    def __init__(self, parent: QWidget | None, folder: Path, author: str) -> None:
        super().__init__(parent, "new_pack", _("New case pack"))
        self.folder = folder
        self.project: Any = None
        self.pack_id = self.line("new_pack_id", _("Pack ID (e.g. county-ecg-2026)"))
        self.title_zh = self.line("new_pack_title_zh", _("Title (Chinese)"))
        self.title_en = self.line("new_pack_title_en", _("Title (English)"))
        self.author = self.line("new_pack_author", _("Author"))
        self.author.setText(author)

    def check(self) -> None:
        import re

        from case_bank.authoring.project import CASE_ID_PATTERN, PackProject

        pack_id = self.pack_id.text().strip()
        if not re.match(CASE_ID_PATTERN, pack_id):
            raise ValueError(
                _("A pack ID has 3 to 64 small letters, digits, dots, dashes or underscores.")
            )
        self.project = PackProject.create(
            self.folder,
            pack_id,
            self.title_zh.text().strip(),
            self.title_en.text().strip(),
            self.author.text().strip(),
        )
        self.project.save()


class NewCaseDialog(_Form):
    """Add a case from the template: its ID and the kind of AI output."""

    def __init__(self, parent: QWidget | None, session: Any) -> None:
        super().__init__(parent, "new_case", _("New case"))
        self.session = session
        self.rel: str | None = None
        self.case_id = self.line("new_case_id", _("Case ID (e.g. ecg-af-101)"))
        self.kind = QComboBox(objectName="new_case_kind")
        for kind in AIKind:
            self.kind.addItem(_(KIND_LABELS[kind]), str(kind))
        self.form.addRow(_("AI kind"), self.kind)

    def check(self) -> None:
        self.rel = self.session.new_case(self.case_id.text().strip(), self.kind.currentData())
