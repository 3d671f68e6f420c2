"""Administrator: back the database up to a file, restore a checked backup, and the
automatic rotating backups (settings and list). The rules live in records.backups."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
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
    from desktop.context import AppContext
    from records.backups import BackupCheck, BackupFile, Restored

BACKUP_FILTER = N_("Xiangyi backups (*.sqlite3);;All files (*)")


class BackupsScreen(Screen):
    """``restored`` carries the reopened database after a restore; the window then signs
    everyone out (the accounts may differ in the restored database)."""

    restored = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.backups: list[BackupFile] = []
        self.busy = False
        self.heading = heading_label()
        self.notice = QLabel(objectName="backup_notice", wordWrap=True)
        self.now_box = QGroupBox(objectName="backup_now_box")
        self.now_text = QLabel(wordWrap=True)
        self.backup_button = QPushButton(objectName="backup_now")
        self.restore_button = QPushButton(objectName="restore_file")
        now = QHBoxLayout(self.now_box)
        now.addWidget(self.now_text, 1)
        now.addWidget(self.backup_button)
        now.addWidget(self.restore_button)
        self.auto_box = QGroupBox(objectName="backup_auto_box")
        self.auto = QCheckBox(objectName="backup_auto")
        self.keep_label = QLabel()
        self.keep = QSpinBox(objectName="backup_keep", minimum=1, maximum=100)
        self.keep_label.setBuddy(self.keep)
        self.save_button = QPushButton(objectName="backup_save_settings")
        self.table = read_only_table("backup_list", 4, stretch=3)
        self.restore_selected = QPushButton(objectName="backup_restore_selected")
        self.folder_button = QPushButton(objectName="backup_open_folder")
        settings_row = QHBoxLayout()
        settings_row.addWidget(self.auto)
        settings_row.addSpacing(24)
        settings_row.addWidget(self.keep_label)
        settings_row.addWidget(self.keep)
        settings_row.addStretch(1)
        settings_row.addWidget(self.save_button)
        list_actions = QHBoxLayout()
        list_actions.addStretch(1)
        list_actions.addWidget(self.folder_button)
        list_actions.addWidget(self.restore_selected)
        auto = QVBoxLayout(self.auto_box)
        auto.addLayout(settings_row)
        auto.addWidget(self.table, 1)
        auto.addLayout(list_actions)
        self.message = QLabel(objectName="backup_message", wordWrap=True)
        self.error = error_label("backup_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addWidget(self.now_box)
        layout.addWidget(self.auto_box, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)

        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.choose_restore)
        self.restore_selected.clicked.connect(self._restore_selected)
        self.save_button.clicked.connect(self.save_settings)
        self.folder_button.clicked.connect(self._open_folder)
        self.table.itemSelectionChanged.connect(self._selected)
        self.retranslate()

    # -- language and state -------------------------------------------------------------
    def retranslate(self) -> None:
        from records.credentials.issuer import issuer_dir

        self.heading.setText(_("Backups"))
        self.now_box.setTitle(_("Back up and restore"))
        self.now_text.setText(
            _(
                "A backup is a complete copy of the database, safe to take while the app is "
                "in use. Keep copies on a USB stick or another PC."
            )
            + " "
            + _(
                "The certificate-issuing key is not in the database: keep a copy of the "
                "folder {folder} as well, or this PC's certificates cannot be signed or "
                "revoked after a disk failure."
            ).format(folder=issuer_dir(self.ctx.data_dir))
        )
        self.backup_button.setText(_("&Back up to a file…"))
        self.restore_button.setText(_("&Restore from a file…"))
        self.auto_box.setTitle(_("Automatic backups in the data folder"))
        self.auto.setText(_("Back up &automatically (at start-up and daily)"))
        self.keep_label.setText(_("&Keep the newest"))
        self.keep.setSuffix(" " + _("backups"))
        self.save_button.setText(_("&Save settings"))
        self.table.setHorizontalHeaderLabels([_("Date"), _("Kind"), _("Size"), _("File")])
        self.restore_selected.setText(_("Restore the &selected backup…"))
        self.folder_button.setText(_("Open the &folder"))
        self.refresh()

    def refresh(self) -> None:
        from records import backups

        server = not self.ctx.db.is_sqlite
        self.notice.setText(backups.postgres_message() if server else "")
        self.notice.setVisible(server)
        for widget in (self.now_box, self.auto_box):
            widget.setEnabled(not server and not self.busy)
        if server:
            self.backups = []
            self.table.setRowCount(0)
            return
        enabled, keep = backups.backup_settings(self.ctx.db)
        self.auto.setChecked(enabled)
        self.keep.setValue(keep)
        self.backups = backups.list_backups(self.ctx.data_dir)
        self.table.setRowCount(len(self.backups))
        for row, item in enumerate(self.backups):
            cells = (
                item.created.astimezone().strftime("%Y-%m-%d %H:%M"),
                _(backups.KIND_LABELS[item.kind]),
                backups.human_size(item.size),
                item.path.name,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._selected()

    def _selected(self) -> None:
        self.restore_selected.setEnabled(self.table.currentRow() >= 0 and bool(self.backups))

    def _say(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)

    def _fail(self, exc: Exception) -> None:
        self.busy = False
        self.message.setText("")
        show_error(self.error, failure_text(exc))
        self.refresh()

    # -- backing up ------------------------------------------------------------------------
    def back_up(self) -> None:
        from records import backups

        suggested = f"xiangyi-{date.today().isoformat()}.sqlite3"
        target = files.choose_save_path(
            self, _("Back up the database"), suggested, _(BACKUP_FILTER)
        )
        if target is None or self.busy:
            return
        self.busy = True
        self._say(_("Backing up to {name}…").format(name=target.name))
        db, user = self.ctx.db, self.ctx.user

        def done(path: Path) -> None:
            self.busy = False
            message = _("Backed up the database to {path} ({size}).").format(
                path=path, size=backups.human_size(path.stat().st_size)
            )
            self._say(message)
            self.refresh()
            files.offer_folder(self, "saved_box", message, path)

        run_in_background(lambda: backups.backup_to(db, target, actor=user), done, self._fail)

    def save_settings(self) -> None:
        from records import backups

        assert self.ctx.user is not None
        try:
            backups.set_backup_settings(
                self.ctx.db, self.ctx.user, enabled=self.auto.isChecked(), keep=self.keep.value()
            )
        except backups.BackupError as exc:
            self._fail(exc)
            return
        self._say(_("The backup settings were saved."))

    def _open_folder(self) -> None:
        from xiangyi.paths import backup_dir

        # show_folder opens the folder that holds the path it is given.
        files.show_folder(backup_dir(self.ctx.data_dir) / "any-backup.sqlite3")

    # -- restoring -------------------------------------------------------------------------
    def choose_restore(self) -> None:
        path = files.choose_open_path(self, _("Choose a backup to restore"), _(BACKUP_FILTER))
        if path is not None:
            self.check_then_restore(path)

    def _restore_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.backups):
            self.check_then_restore(self.backups[row].path)

    def check_then_restore(self, path: Path) -> None:
        """Check the file off the UI thread, then ask before replacing anything."""
        from records import backups

        if self.busy:
            return
        self.busy = True
        self._say(_("Checking {name}…").format(name=path.name))

        def checked(found: BackupCheck) -> None:
            self.busy = False
            self._say("")
            self._confirm_restore(found)

        run_in_background(lambda: backups.check_backup(path), checked, self._fail)

    def _confirm_restore(self, found: BackupCheck) -> None:
        from records import backups

        text = _(
            "Restore the database from {name}?\n\n"
            "It is intact (schema {revision}, {size}) and holds {users} accounts and "
            "{attempts} case attempts.\n\n"
            "The current database is first saved as a safety backup. Everything recorded "
            "since this backup was made will no longer be in the database, and everyone is "
            "signed out."
        ).format(
            name=found.path.name,
            revision=found.revision,
            size=backups.human_size(found.size),
            users=found.users,
            attempts=found.attempts,
        )
        ask(
            self,
            "restore_box",
            _("Restore a backup"),
            text,
            (_("Restore"), _("Cancel")),
            lambda: self.restore(found.path),
            default_yes=False,
        )

    def restore(self, path: Path) -> None:
        from records import backups

        assert self.ctx.user is not None
        self.busy = True
        db, user = self.ctx.db, self.ctx.user

        def work(_progress: Any, _cancelled: Any) -> Restored:
            return backups.restore(db, path, actor=user)

        def done(result: Restored) -> None:
            self.busy = False
            self._say(
                _("Restored. The database it replaced was kept as {path}.").format(
                    path=result.safety_backup
                )
            )
            self.restored.emit(result)

        run_with_progress(
            self,
            "restore_progress",
            _("Restore a backup"),
            _("Restoring {name}…").format(name=path.name),
            work,
            done,
            self._fail,
            cancellable=False,
        )
