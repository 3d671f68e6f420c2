"""Administrator: record bundles (记录包). A clinic PC exports everything since its last
export to one signed (optionally encrypted) file; the county imports bundles and sees
what each one added, and when each clinic PC was last imported. The rules live in
records.bundles; this page only asks for files and passphrases and shows results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import files
from desktop.screens.admin.common import failure_text, heading_label
from desktop.task_progress import run_with_progress
from desktop.widgets import Screen, error_label, read_only_table, show_error
from xiangyi.i18n import N_, _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.bundles import ExportResult, ImportReport
    from records.db import Database

BUNDLE_FILTER = N_("Record bundles (*.xyb);;All files (*)")
KEY_FILTER = N_("Key files (*.json *.pem *.key);;All files (*)")
REFUSED_COLOUR = "#b00020"

SavePath = Callable[[QWidget, str, str, str], Path | None]
OpenPath = Callable[[QWidget, str, str], Path | None]
OpenPaths = Callable[[QWidget, str, str], list[Path]]
Secret = Callable[[QWidget, str, str], str | None]


def choose_open_paths(parent: QWidget, title: str, filters: str) -> list[Path]:
    """The file dialog for several files at once (empty when the person cancels)."""
    names, _filter = QFileDialog.getOpenFileNames(parent, title, "", filters)
    return [Path(name) for name in names]


def ask_passphrase(parent: QWidget, title: str, label: str) -> str | None:
    """A modal passphrase prompt (typed characters hidden); None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


@dataclass
class FileOutcome:
    """One imported file: its report, or the translated reason it was refused."""

    path: Path
    report: ImportReport | None = None
    refusal: str = ""


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else _("never")


def _counts(counts: dict[str, int]) -> str:
    from records.bundles.rows import describe_counts

    return describe_counts(counts)


def _is_encrypted(path: Path) -> bool:
    from records.bundles.sealing import MAGIC, is_sealed

    try:
        with path.open("rb") as handle:
            return is_sealed(handle.read(len(MAGIC)))
    except OSError:
        return False  # the import itself reports the unreadable file


def import_files(
    db: Database,
    paths: list[Path],
    key_file: Path | None,
    secret: str,
    progress: Any,
    cancelled: Any,
) -> list[FileOutcome]:
    """Import ``paths`` one by one (off the UI thread; each file is its own transaction):
    a refused file is reported and the next one is tried."""
    from records.bundles import BundleRefused, import_bundle, load_county_private_key

    private = load_county_private_key(key_file, secret) if key_file is not None else None
    outcomes: list[FileOutcome] = []
    for done, path in enumerate(paths):
        if cancelled():
            break
        progress(done, len(paths))
        try:
            report = import_bundle(db, path, county_private_key=private)
        except BundleRefused as exc:
            outcomes.append(FileOutcome(path, refusal=str(exc)))
            continue
        outcomes.append(FileOutcome(path, report))
    progress(len(outcomes), len(paths))
    return outcomes


def _existing_county_key(data_dir: Path) -> Path | None:
    from records.bundles import county_key_files

    private, _public = county_key_files(data_dir)
    return private if private.is_file() else None


class BundlesScreen(Screen):
    """The dialogs are injectable (tests pass their own): ``choose_save(parent, title,
    suggested, filters)``, ``choose_open(parent, title, filters)``,
    ``choose_many(parent, title, filters)`` and ``ask_secret(parent, title, label)``."""

    def __init__(
        self,
        ctx: AppContext,
        choose_save: SavePath | None = None,
        choose_open: OpenPath | None = None,
        choose_many: OpenPaths | None = None,
        ask_secret: Secret | None = None,
        ask_text: Secret | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.choose_save = choose_save or files.choose_save_path
        self.choose_open = choose_open or files.choose_open_path
        self.choose_many = choose_many or choose_open_paths
        self.ask_secret = ask_secret or ask_passphrase
        self.ask_text = ask_text
        self.busy = False
        self.county_public: Path | None = None
        self.county_private: Path | None = _existing_county_key(ctx.data_dir)
        self.outcomes: list[FileOutcome] = []
        self.heading = heading_label()
        self.intro = QLabel(objectName="bundle_intro", wordWrap=True)
        self._build_export_box()
        self._build_import_box()
        self.status_box = QGroupBox(objectName="bundle_status_box")
        self.last_export = QLabel(objectName="bundle_last_export")
        self.status_table = read_only_table("bundle_devices", 4, stretch=0)
        status = QVBoxLayout(self.status_box)
        status.addWidget(self.last_export)
        status.addWidget(self.status_table, 1)
        self.message = QLabel(objectName="bundle_message", wordWrap=True)
        self.error = error_label("bundle_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.export_box)
        layout.addWidget(self.import_box, 2)
        layout.addWidget(self.status_box, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.retranslate()

    def _build_export_box(self) -> None:
        self.export_box = QGroupBox(objectName="bundle_export_box")
        self.export_button = QPushButton(objectName="bundle_export")
        self.encrypt = QCheckBox(objectName="bundle_encrypt")
        self.county_public_label = QLabel(objectName="bundle_county_public")
        self.county_public_button = QPushButton(objectName="bundle_choose_county_public")
        row = QHBoxLayout(self.export_box)
        row.addWidget(self.encrypt)
        row.addWidget(self.county_public_label, 1)
        row.addWidget(self.county_public_button)
        row.addWidget(self.export_button)
        self.export_button.clicked.connect(self.export)
        self.county_public_button.clicked.connect(self._choose_county_public)
        self.encrypt.toggled.connect(self._encrypt_toggled)

    def _build_import_box(self) -> None:
        self.import_box = QGroupBox(objectName="bundle_import_box")
        self.import_button = QPushButton(objectName="bundle_import")
        self.county_private_label = QLabel(objectName="bundle_county_private")
        self.county_private_button = QPushButton(objectName="bundle_choose_county_private")
        self.county_key_button = QPushButton(objectName="bundle_create_county_key")
        self.results = read_only_table("bundle_results", 4, stretch=3)
        row = QHBoxLayout()
        row.addWidget(self.county_private_label, 1)
        row.addWidget(self.county_private_button)
        row.addWidget(self.county_key_button)
        row.addWidget(self.import_button)
        box = QVBoxLayout(self.import_box)
        box.addLayout(row)
        box.addWidget(self.results, 1)
        self.import_button.clicked.connect(self.import_bundles)
        self.county_private_button.clicked.connect(self._choose_county_private)
        self.county_key_button.clicked.connect(self._create_county_key)

    # -- language and state -------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(_("Record bundles"))
        self.intro.setText(
            _(
                "Clinic PCs without a network send their records to the county on a USB "
                "stick: export a record bundle here, import it on the county PC."
            )
        )
        self.export_box.setTitle(_("Export from this PC"))
        self.export_button.setText(_("&Export records since the last export…"))
        self.encrypt.setText(_("E&ncrypt to the county's key"))
        self.county_public_button.setText(_("Choose the county's &public key…"))
        self.import_box.setTitle(_("Import bundles from clinic PCs"))
        self.import_button.setText(_("&Import bundles…"))
        self.county_private_button.setText(_("Choose the county's p&rivate key…"))
        self.county_key_button.setText(_("Create the &county key…"))
        self.results.setHorizontalHeaderLabels(
            [_("File"), _("Signed by"), _("Clinic PC"), _("Result")]
        )
        self.status_box.setTitle(_("Last export and imports"))
        self.status_table.setHorizontalHeaderLabels(
            [_("Signed by"), _("Clinic PC"), _("Last imported"), _("Bundles")]
        )
        self._show_keys()
        self._show_results()
        self.refresh()

    def refresh(self) -> None:
        """Re-read this PC's last export and the last import per clinic PC."""
        from records.bundles import imports_by_device, last_export

        self.last_export.setText(
            _("This PC last exported: {when}").format(when=_when(last_export(self.ctx.db)))
        )
        devices = imports_by_device(self.ctx.db)
        self.status_table.setRowCount(len(devices))
        for row, item in enumerate(devices):
            cells = (item.signer, item.device_id[:8], _when(item.last_import), str(item.bundles))
            for column, text in enumerate(cells):
                self.status_table.setItem(row, column, QTableWidgetItem(text))
        for button in (self.export_button, self.import_button):
            button.setEnabled(not self.busy)

    def _show_keys(self) -> None:
        public = self.county_public.name if self.county_public else _("no key chosen")
        self.county_public_label.setText(public)
        self.county_public_label.setEnabled(self.encrypt.isChecked())
        self.county_public_button.setEnabled(self.encrypt.isChecked())
        private = self.county_private.name if self.county_private else _("none chosen")
        self.county_private_label.setText(
            _("County private key (only for encrypted bundles): {key}").format(key=private)
        )

    def _say(self, message: str) -> None:
        show_error(self.error, "")
        self.message.setText(message)

    def _fail(self, exc: Exception) -> None:
        from records.bundles import BundleRefused, SealError
        from records.credentials.issuer import IssuerError

        self.busy = False
        self.message.setText("")
        own = isinstance(exc, (BundleRefused, SealError, IssuerError))
        show_error(self.error, str(exc) if own else failure_text(exc))
        self.refresh()

    # -- keys ------------------------------------------------------------------------------
    def _encrypt_toggled(self, on: bool) -> None:
        if on and self.county_public is None:
            self._choose_county_public()
        self._show_keys()

    def _choose_county_public(self) -> None:
        path = self.choose_open(self, _("Choose the county's public key"), _(KEY_FILTER))
        if path is not None:
            self.county_public = path
        elif self.county_public is None:
            self.encrypt.setChecked(False)
        self._show_keys()

    def _create_county_key(self) -> None:
        from desktop.screens.admin import county_key

        ask = self.ask_text or county_key.ask_text
        county_key.create_county_key(self, self, self.ctx.data_dir, ask)

    def use_county_key(self, private: Path) -> None:
        """Imports use this private key from now on (it was just created here)."""
        self.county_private = private
        self._show_keys()

    def say(self, message: str) -> None:
        self._say(message)

    def warn(self, message: str) -> None:
        show_error(self.error, message)

    def _choose_county_private(self) -> None:
        path = self.choose_open(self, _("Choose the county's private key"), _(KEY_FILTER))
        if path is not None:
            self.county_private = path
        self._show_keys()

    # -- export ----------------------------------------------------------------------------
    def export(self) -> None:
        """Ask for the target file and the issuing key's passphrase, then export."""
        from records.bundles import export_bundle, read_county_public_key
        from records.credentials.issuer import unlock

        if self.busy:
            return
        suggested = f"xiangyi-{date.today().isoformat()}.xyb"
        target = self.choose_save(self, _("Export a record bundle"), suggested, _(BUNDLE_FILTER))
        if target is None:
            return
        secret = self.ask_secret(
            self, _("Export a record bundle"), _("Passphrase of this institution's issuing key:")
        )
        if secret is None:
            return
        county = self.county_public if self.encrypt.isChecked() else None
        db, data_dir = self.ctx.db, self.ctx.data_dir

        def work(progress: Any, cancelled: Any) -> ExportResult:
            recipient = read_county_public_key(county) if county is not None else None
            key = unlock(data_dir, secret)
            return export_bundle(
                db,
                target,
                signer=key,
                county_public_key=recipient,
                progress=progress,
                cancel=cancelled,
            )

        self.busy = True
        self._say("")
        self.refresh()
        run_with_progress(
            self,
            "bundle_export_progress",
            _("Export a record bundle"),
            _("Writing {name}…").format(name=target.name),
            work,
            self._exported,
            self._fail,
        )

    def _exported(self, result: ExportResult) -> None:
        self.busy = False
        if result.cancelled or result.path is None:
            self._say(_("The export was cancelled; no file was written."))
        else:
            lines = [
                _("Bundle written: {path}").format(path=result.path),
                _("It holds: {counts}").format(counts=_counts(result.counts)),
                _("Encrypted to the county's key.")
                if result.encrypted
                else _("Not encrypted: it holds personal data, keep the USB stick safe."),
            ]
            self._say("\n".join(lines))
        self.refresh()

    # -- import ----------------------------------------------------------------------------
    def import_bundles(self) -> None:
        """Ask for bundle files (and the county key only if one is encrypted), then import
        them one by one off the UI thread."""
        if self.busy:
            return
        paths = self.choose_many(self, _("Import record bundles"), _(BUNDLE_FILTER))
        if not paths:
            return
        key_file, secret = None, ""
        if any(_is_encrypted(path) for path in paths):
            if self.county_private is None:
                self._choose_county_private()
            if self.county_private is None:
                self._fail_message(_("Encrypted bundles need the county's private key."))
                return
            answer = self.ask_secret(
                self, _("Import record bundles"), _("Passphrase of the county's private key:")
            )
            if answer is None:
                return
            key_file, secret = self.county_private, answer
        self.busy = True
        self._say("")
        self.refresh()
        db = self.ctx.db
        run_with_progress(
            self,
            "bundle_import_progress",
            _("Import record bundles"),
            _("Importing the chosen files…"),
            lambda progress, cancelled: import_files(
                db, paths, key_file, secret, progress, cancelled
            ),
            self._imported,
            self._fail,
        )

    def _fail_message(self, message: str) -> None:
        self.message.setText("")
        show_error(self.error, message)

    def _imported(self, outcomes: list[FileOutcome]) -> None:
        self.busy = False
        self.outcomes = outcomes
        self._show_results()
        refused = sum(1 for item in outcomes if item.report is None)
        self._say(
            _("Bundles imported: {ok}; refused: {refused}.").format(
                ok=len(outcomes) - refused, refused=refused
            )
        )
        self.refresh()

    def _show_results(self) -> None:
        self.results.setRowCount(len(self.outcomes))
        for row, item in enumerate(self.outcomes):
            report = item.report
            if report is None:
                cells = (item.path.name, "", "", item.refusal)
            else:
                skipped = sum(report.skipped.values())
                result = _("Added: {added}; already here: {skipped}").format(
                    added=_counts(report.added), skipped=skipped
                )
                cells = (item.path.name, report.signer, report.device_id[:8], result)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if report is None and column == 3:
                    cell.setForeground(QColor(REFUSED_COLOUR))
                self.results.setItem(row, column, cell)
