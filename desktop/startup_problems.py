"""What the user is offered when the database cannot be opened, or when built-in files
of the installation are missing or damaged."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from xiangyi.i18n import _


def handle_storage_problem(parent: QWidget, exc: Exception, data_dir: Path) -> bool:
    """Explain ``exc`` and offer the safe ways out. True means "try opening again"."""
    from records.db import (
        CorruptDatabase,
        NewerDatabase,
        StorageError,
        latest_backup,
        restore_backup,
        set_aside_corrupt,
    )
    from xiangyi.installation import DamagedInstallation

    box = QMessageBox(parent)
    box.setObjectName("storage_problem")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("The database cannot be opened"))
    if isinstance(exc, DamagedInstallation):
        box.setWindowTitle(_("This installation of Xiangyi is damaged"))
        box.setText(str(exc))
        box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return False
    if isinstance(exc, CorruptDatabase):
        backup = latest_backup(data_dir)
        box.setText(str(exc))
        restore = None
        if backup is not None:
            box.setInformativeText(_("Latest backup: {name}").format(name=backup.name))
            restore = box.addButton(
                _("Restore the latest backup"), QMessageBox.ButtonRole.AcceptRole
            )
        fresh = box.addButton(
            _("Start a new database (keep the damaged file)"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        chosen = box.clickedButton()
        if restore is not None and chosen is restore:
            restore_backup(backup, data_dir)  # type: ignore[arg-type]
            return True
        if chosen is fresh:
            kept = set_aside_corrupt(exc.path)
            QMessageBox.information(
                parent,
                _("Damaged file kept"),
                _("The damaged file was kept as {path}.").format(path=kept),
            )
            return True
        return False
    if isinstance(exc, NewerDatabase | StorageError):
        box.setText(str(exc))
    else:
        box.setText(_("An unexpected problem stopped Xiangyi from starting."))
        box.setInformativeText(_("Details are in the log file in {path}.").format(path=data_dir))
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return False
