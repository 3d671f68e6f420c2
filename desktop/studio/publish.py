"""Publish dialog: build the pack, sign it with the trainer's key and write it to a folder
or USB drive. The passphrase is asked here and kept only while the dialog is open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.tasks import run_in_background
from desktop.widgets import error_label, show_error
from xiangyi.i18n import _


def keys_folder(data_dir: Path) -> Path:
    """Where the studio keeps the trainer's signing keys (``xiangyi keys new --out`` here)."""
    return Path(data_dir) / "keys"


def _pick(row: QLineEdit, button: QPushButton) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(row, 1)
    layout.addWidget(button)
    return box


class PublishDialog(QDialog):
    """``published`` (the result) is set when the signed archive was written."""

    def __init__(self, parent: QWidget | None, folder: Path, data_dir: Path, db: Any) -> None:
        super().__init__(parent)
        self.setObjectName("publish_dialog")
        self.setWindowTitle(_("Publish the pack"))
        self.folder, self.data_dir, self.db = folder, data_dir, db
        self.published: Any = None
        self.key = QLineEdit(objectName="publish_key")
        keys = sorted(keys_folder(data_dir).glob("*.private.pem"))
        if keys:
            self.key.setText(str(keys[0]))
        self.passphrase = QLineEdit(objectName="publish_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.output = QLineEdit(objectName="publish_output")
        self.key_button = QPushButton(_("Choose…"), objectName="publish_key_browse")
        self.output_button = QPushButton(_("Choose…"), objectName="publish_output_browse")
        self.new_key_button = QPushButton(_("Create a signing key…"), objectName="publish_new_key")
        form = QFormLayout()
        form.addRow(_("Your private key"), _pick(self.key, self.key_button))
        form.addRow("", self.new_key_button)
        form.addRow(_("Key passphrase"), self.passphrase)
        form.addRow(_("Write to folder or USB drive"), _pick(self.output, self.output_button))
        self.hint = QLabel(
            _(
                "The pack is checked, built and signed. Administrators install it after "
                "trusting your public key (the .public.json file beside your private key)."
            )
        )
        self.hint.setWordWrap(True)
        self.error = error_label("publish_error")
        self.result_label = QLabel(objectName="publish_result")
        self.result_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.publish_button = self.buttons.addButton(
            _("Build and sign"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.publish_button.setObjectName("publish_go")
        close = self.buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("publish_close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.publish_button.clicked.connect(self.publish)
        close.clicked.connect(self.reject)
        self.key_button.clicked.connect(self._choose_key)
        self.output_button.clicked.connect(self._choose_output)
        self.new_key_button.clicked.connect(self._new_key)
        self.resize(640, 320)

    def _choose_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Your private key"), str(keys_folder(self.data_dir)), "*.private.pem"
        )
        if path:
            self.key.setText(path)

    def _choose_output(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Write to folder or USB drive"))
        if path:
            self.output.setText(path)

    def _new_key(self) -> None:
        from desktop.studio.new_key import NewKeyDialog

        dialog = NewKeyDialog(self, keys_folder(self.data_dir), self.db)
        dialog.accepted.connect(lambda: self.key.setText(str(dialog.private_path or "")))
        dialog.open()

    def publish(self) -> None:
        """Check the inputs, then build and sign off the UI thread."""
        from case_bank.authoring.publish import publish_pack

        key, output = self.key.text().strip(), self.output.text().strip()
        if not key or not Path(key).is_file():
            show_error(self.error, _("Choose your private key file (NAME.private.pem)."))
            return
        if not output:
            show_error(self.error, _("Choose the folder or USB drive to write the pack to."))
            return
        show_error(self.error, "")
        self.publish_button.setEnabled(False)
        self.result_label.setText(_("Building and signing…"))
        passphrase = self.passphrase.text()
        run_in_background(
            lambda: publish_pack(self.folder, Path(output), Path(key), passphrase),
            self._done,
            self._failed,
        )

    def _done(self, published: Any) -> None:
        self.published = published
        self.publish_button.setEnabled(True)
        self.passphrase.clear()
        self.result_label.setText(
            _(
                "Written {file}: pack {id} version {version}, {n} files, signed by {signer} "
                "(key {fingerprint})."
            ).format(
                file=published.path,
                id=published.pack_id,
                version=published.version,
                n=published.files,
                signer=published.signer,
                fingerprint=published.fingerprint,
            )
        )

    def _failed(self, exc: Exception) -> None:
        from case_bank.pack import PackError

        self.publish_button.setEnabled(True)
        self.result_label.setText("")
        if isinstance(exc, PackError):
            message = _("The pack has problems; fix them before building.")
            show_error(self.error, message + "\n" + "\n".join(map(str, exc.problems[:5])))
        else:
            show_error(self.error, str(exc))
