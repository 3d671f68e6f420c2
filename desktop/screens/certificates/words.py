"""The words and colours the certificate screens share: statuses, verification outcomes,
certificate details, and the explanation of a certificate's state for its holder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidgetItem

from xiangyi.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from records.credentials.registry import CertificateRow

STATUS_LABELS = {
    "pending": N_("Waiting for signature"),
    "valid": N_("Valid"),
    "expired": N_("Expired"),
    "replaced": N_("Replaced by a newer one"),
    "revoked": N_("Revoked"),
}
STATUS_COLOURS = {
    "pending": "#8a5a00",
    "valid": "#1b5e20",
    "expired": "#6b6b6b",
    "replaced": "#6b6b6b",
    "revoked": "#b00020",
}

# Verification outcome: (headline, symbol, text colour, background).
OUTCOME_HEADLINES = {
    "valid": (N_("Valid certificate"), "✔", "#1b5e20", "#e6f4ea"),
    "tampered": (N_("Tampered: do not accept"), "✖", "#b00020", "#fde2e1"),
    "unknown_issuer": (N_("Unknown issuer"), "?", "#8a5a00", "#fff4d6"),
    "expired": (N_("Expired"), "!", "#8a5a00", "#fff4d6"),
    "revoked": (N_("Revoked: do not accept"), "✖", "#b00020", "#fde2e1"),
    "not_found": (N_("Not found"), "?", "#444444", "#eeeeee"),
    "unreadable": (N_("Not a certificate"), "?", "#444444", "#eeeeee"),
}

DETAIL_LABELS = (
    ("holder", N_("Name")),
    ("practising_number", N_("Practising certificate no.")),
    ("institution", N_("Institution")),
    ("code", N_("Verification code")),
    ("issued", N_("Signed on")),
    ("valid_from", N_("Valid from")),
    ("valid_until", N_("Valid until")),
    ("issuer", N_("Issuer")),
    ("issuer_fingerprint", N_("Issuer key fingerprint")),
)

CHECK_KINDS = {
    "pdf": N_("PDF"),
    "image": N_("QR image"),
    "json": N_("JSON file"),
    "code": N_("Typed code"),
    "token": N_("Scanned QR text"),
    "file": N_("File"),
}

PDF_FILTER = N_("PDF files (*.pdf)")
JSON_FILTER = N_("Open Badges JSON (*.json)")
ZIP_FILTER = N_("ZIP archives (*.zip)")
KEY_FILTER = N_("Public key files (*.json)")
VERIFY_FILTER = N_("Certificates (*.pdf *.json *.png *.jpg *.jpeg *.bmp *.tif *.tiff)")


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def high_contrast() -> bool:
    from PySide6.QtWidgets import QApplication

    from desktop.theme import HIGH_CONTRAST

    app = QApplication.instance()
    return isinstance(app, QApplication) and app.styleSheet() == HIGH_CONTRAST


def status_item(status: str) -> QTableWidgetItem:
    """A table cell with the status in words and in its colour."""
    item = QTableWidgetItem(status_label(status))
    if not high_contrast():  # the high-contrast theme has its own colours
        item.setForeground(QColor(STATUS_COLOURS.get(status, "#000000")))
    font = item.font()
    font.setBold(status in ("pending", "revoked"))
    item.setFont(font)
    return item


def holder_note(row: CertificateRow) -> str:
    """What the holder should know about one certificate, in a sentence or two."""
    until = row.credential.valid_until.isoformat()
    if row.status == "pending":
        return _(
            "Your pass is recorded. This certificate is waiting for an administrator's "
            "signature; once it is signed you can save the PDF and the JSON here."
        )
    if row.status == "revoked":
        return _("The issuer has revoked this certificate. Ask your administrator why.")
    if row.status == "replaced":
        return _("A newer certificate has replaced this one; use the newer one.")
    if row.status == "expired":
        return _("This certificate expired on {date}. Pass the certification exam again.").format(
            date=until
        )
    if row.remind:
        return ngettext(
            "Valid until {date}. It expires in {n} day: plan your re-certification.",
            "Valid until {date}. It expires in {n} days: plan your re-certification.",
            row.days_left,
        ).format(date=until, n=row.days_left)
    return _("Valid until {date}. Anyone can check it with its verification code {code}.").format(
        date=until, code=row.code
    )


def message_for(exc: Exception) -> str:
    """What to tell the person about a failed action: the core's translated refusal, a
    file problem, or (logged with its traceback by the caller) a pointer to the log."""
    import logging

    from records.credentials.registry import USER_ERRORS

    if isinstance(exc, USER_ERRORS):
        return str(exc)
    logging.getLogger(__name__).warning("Certificate action failed", exc_info=exc)
    if isinstance(exc, OSError):
        return _("A file could not be read or written: {error}").format(
            error=exc.strerror or exc.__class__.__name__
        )
    return _("Something went wrong. The details are in the log file.")
