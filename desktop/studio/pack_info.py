"""The pack's own details (``pack.yaml``): ID, version, titles, author, licence."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from case_bank.authoring.project import PACK_FILE
from case_bank.validation import field_name
from desktop.studio.forms import BilingualField, Field, TextField
from desktop.studio.session import StudioSession
from xiangyi.i18n import N_, _

ROWS = [
    (N_("Pack ID"), lambda: TextField(("id",), "pack_id")),
    (
        N_("Version (raise it for every release)"),
        lambda: TextField(("version",), "pack_version", numeric=True),
    ),
    (N_("Title"), lambda: BilingualField(("title",), "pack_title")),
    (
        N_("Description"),
        lambda: BilingualField(("description",), "pack_description", multiline=True),
    ),
    (N_("Author"), lambda: TextField(("author",), "pack_author")),
    (N_("Licence"), lambda: TextField(("licence",), "pack_licence")),
]


class PackInfoDialog(QDialog):
    """Edits ``pack.yaml`` through the session (undo and checks like any case field)."""

    def __init__(self, parent: QWidget | None, session: StudioSession) -> None:
        super().__init__(parent)
        self.setObjectName("pack_info")
        self.setWindowTitle(_("Pack details"))
        self.session = session
        self.fields: dict[str, Field] = {}
        form = QFormLayout()
        data = session.project.info.get(())
        for msgid, make in ROWS:
            field = make()
            value = data.get(field.path[0]) if isinstance(data, dict) else None
            field.show_value(value)
            field.edited.connect(self._edited)
            label = QLabel(_(msgid))
            label.setBuddy(field.focus_target())
            form.addRow(label, field)
            self.fields[field_name(field.path)] = field
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def _edited(self, path: tuple[str, ...], value: object) -> None:
        self.session.edit(PACK_FILE, path, value)

    def focus_field(self, name: str) -> None:
        for known, field in self.fields.items():
            if name == known or name.startswith(known + "."):
                field.focus()
                return
