"""Offline verification of a certificate from whatever a person brings: the PDF, a photo
or scan of its QR code, the Open Badges JSON file, or the typed verification code.

Every check is logged in ``verification_checks``. The desktop calls ``verify_input``
(a path or a typed code) or one of ``verify_file`` / ``verify_code`` / ``verify_token``
and shows ``result.message`` and ``result.details``; ``xiangyi verify`` exits with
``EXIT_CODES[result.outcome]``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from assessments.framework import builtin_framework
from records.credentials import issuer as issuers
from records.credentials.encoding import format_code, normalise_code
from records.credentials.issuing import PENDING, REVOKED, by_code, token_of
from records.credentials.openbadges import ProofError, check_proof
from records.credentials.payload import (
    DOMAIN_ORDER,
    PREFIX,
    Decoded,
    Payload,
    PayloadError,
    check_signature,
    decode_token,
)
from records.db import Database
from records.tables import Credential, Revocation, VerificationCheck
from xiangyi.i18n import N_, _

MAX_FILE_BYTES = 25_000_000
MAX_JSON_BYTES = 1_000_000
MAX_IMAGE_PIXELS = 40_000_000
_log = logging.getLogger(__name__)


class Outcome(StrEnum):
    VALID = "valid"
    TAMPERED = "tampered"
    UNKNOWN_ISSUER = "unknown_issuer"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"
    UNREADABLE = "unreadable"


OUTCOME_MESSAGES = {
    Outcome.VALID: N_("Valid: the certificate is genuine, unchanged and in force."),
    Outcome.TAMPERED: N_("Not valid: the certificate was changed after it was issued."),
    Outcome.UNKNOWN_ISSUER: N_(
        "Cannot confirm: the certificate was signed by an issuer this PC does not trust. "
        "Ask the administrator to add that institution's public key."
    ),
    Outcome.EXPIRED: N_("Expired: the certificate is genuine but no longer in force."),
    Outcome.REVOKED: N_("Revoked: the issuer has withdrawn this certificate."),
    Outcome.NOT_FOUND: N_("Not found: no certificate with this code is recorded on this PC."),
    Outcome.UNREADABLE: N_("Not a certificate: no Xiangyi certificate could be read from it."),
}
# Exit codes of ``xiangyi verify`` (documented in docs/administrator.md).
EXIT_CODES = {
    Outcome.VALID: 0,
    Outcome.UNREADABLE: 1,
    Outcome.TAMPERED: 3,
    Outcome.UNKNOWN_ISSUER: 4,
    Outcome.EXPIRED: 5,
    Outcome.REVOKED: 6,
    Outcome.NOT_FOUND: 7,
}


@dataclass
class VerificationResult:
    """What a verification found; ``details`` are the certificate's facts when known."""

    outcome: Outcome
    kind: str
    subject: str
    payload: Payload | None = None
    details: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # translated explanations
    credential_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def message_id(self) -> str:
        """The untranslated message (for logs and tests)."""
        return OUTCOME_MESSAGES[self.outcome]

    @property
    def message(self) -> str:
        """What to tell the person, in the current language."""
        return _(self.message_id)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]


def _details(payload: Payload) -> dict[str, str]:
    framework = builtin_framework()
    found = {
        "holder": payload.holder_name,
        "practising_number": payload.practising_number,
        "institution": payload.institution,
        "code": format_code(payload.code),
        "issued": payload.issued_on.isoformat(),
        "valid_from": payload.valid_from.isoformat(),
        "valid_until": payload.valid_until.isoformat(),
        "issuer": payload.issuer_name,
    }
    for domain in DOMAIN_ORDER:
        found[f"level.{domain}"] = framework.level(payload.levels[domain]).name.get()
    return found


def _status(
    db: Database, credential_id: str, issuer_fingerprint: str, valid_until: date, today: date
) -> tuple[Outcome, list[str]]:
    """Revoked, expired or valid, for a credential whose signature holds."""
    with db.session() as session:
        revocation = session.get(Revocation, credential_id)
        local = session.get(Credential, credential_id)
    if revocation is not None and revocation.issuer_fingerprint == issuer_fingerprint:
        return Outcome.REVOKED, [_("Reason: {reason}").format(reason=revocation.reason)]
    if local is not None and local.status == REVOKED:
        return Outcome.REVOKED, []
    if valid_until < today:
        return Outcome.EXPIRED, []
    notes = []
    if local is not None and local.replaced_by:
        notes.append(_("A newer certificate has replaced this one (re-certification)."))
    return Outcome.VALID, notes


def check_decoded(db: Database, decoded: Decoded, today: date) -> tuple[Outcome, list[str], str]:
    """Signature, trust, revocation and expiry of a decoded payload.

    Returns the outcome, explanations and the issuer's fingerprint ("" if unknown).
    """
    candidates = issuers.issuers_by_prefix(db, decoded.payload.issuer_key)
    if not candidates:
        return Outcome.UNKNOWN_ISSUER, [], ""
    for row in candidates:
        if check_signature(decoded.payload_bytes, decoded.signature, issuers.public_key_of(row)):
            outcome, notes = _status(
                db,
                decoded.payload.credential_id,
                row.fingerprint,
                decoded.payload.valid_until,
                today,
            )
            return outcome, notes, row.fingerprint
    return Outcome.TAMPERED, [_("The signature does not match the certificate's contents.")], ""


def _log_check(db: Database, result: VerificationResult, checked_by: str | None) -> None:
    with db.session() as session:
        session.add(
            VerificationCheck(
                kind=result.kind,
                subject=result.subject[:256],
                credential_id=result.credential_id,
                outcome=str(result.outcome),
                detail={"problems": result.problems[:10], "details": result.details},
                checked_by=checked_by,
            )
        )


def _finish(db: Database, result: VerificationResult, checked_by: str | None) -> VerificationResult:
    _log_check(db, result, checked_by)
    return result


def _from_token(
    db: Database, token: str, kind: str, subject: str, today: date
) -> VerificationResult:
    try:
        decoded = decode_token(token)
    except PayloadError:
        return VerificationResult(
            Outcome.TAMPERED if token.strip().startswith(PREFIX) else Outcome.UNREADABLE,
            kind,
            subject,
            problems=[_("The certificate code is damaged or incomplete.")],
        )
    outcome, notes, fingerprint = check_decoded(db, decoded, today)
    details = _details(decoded.payload)
    if fingerprint:
        details["issuer_fingerprint"] = fingerprint
    return VerificationResult(
        outcome,
        kind,
        subject,
        payload=decoded.payload,
        details=details,
        problems=notes,
        credential_id=decoded.payload.credential_id,
    )


def verify_token(
    db: Database,
    token: str,
    *,
    today: date | None = None,
    checked_by: str | None = None,
    kind: str = "token",
    subject: str = "",
) -> VerificationResult:
    """Verify the text of a certificate's QR code (as scanned)."""
    result = _from_token(db, token, kind, subject or token[:40], today or date.today())
    return _finish(db, result, checked_by)


def verify_code(
    db: Database, text: str, *, today: date | None = None, checked_by: str | None = None
) -> VerificationResult:
    """Look up a typed verification code in this PC's registry and verify that record."""
    code = normalise_code(text)
    subject = text.strip()[:40]
    if code is None:
        result = VerificationResult(
            Outcome.NOT_FOUND,
            "code",
            subject,
            problems=[_("A verification code has 10 letters and digits, like XY7K-3M9Q-2P.")],
        )
        return _finish(db, result, checked_by)
    credential = by_code(db, code)
    if credential is None or credential.status == PENDING:
        result = VerificationResult(Outcome.NOT_FOUND, "code", format_code(code))
        return _finish(db, result, checked_by)
    result = _from_token(db, token_of(credential), "code", format_code(code), today or date.today())
    return _finish(db, result, checked_by)


# --- files ----------------------------------------------------------------------------


def _unreadable(kind: str, subject: str, problem: str) -> VerificationResult:
    return VerificationResult(Outcome.UNREADABLE, kind, subject, problems=[problem])


def _decode_qr_images(images: list[Any]) -> list[str]:
    """Certificate texts found in QR codes of ``images`` (zxing-cpp, imported lazily)."""
    import zxingcpp

    found = []
    for image in images:
        for barcode in zxingcpp.read_barcodes(image):
            if barcode.text.startswith(PREFIX):
                found.append(barcode.text)
    return found


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_problems(text: str, payload: Payload) -> list[str]:
    """Where the visible text of a certificate PDF disagrees with its signed payload."""
    page = _compact(text)
    problems = []
    expected = {
        _("name"): payload.holder_name,
        _("practising certificate number"): payload.practising_number,
        _("institution"): payload.institution,
        _("verification code"): format_code(payload.code),
        _("date of issue"): payload.issued_on.isoformat(),
        _("valid until"): payload.valid_until.isoformat(),
    }
    for label, value in expected.items():
        if value and _compact(value) not in page:
            problems.append(
                _("The printed {field} differs from the signed one.").format(field=label)
            )
    framework = builtin_framework()
    position = 0
    for domain in DOMAIN_ORDER:
        start = page.find(_compact(framework.domain(domain).title.zh_CN), position)
        level = _compact(framework.level(payload.levels[domain]).name.zh_CN)
        found = page.find(level, start) if start >= 0 else -1
        nearest = min(
            (page.find(_compact(lv.name.zh_CN), start) for lv in framework.levels),
            key=lambda i: i if i >= 0 else len(page),
        )
        if start < 0 or found < 0 or found != nearest:
            problems.append(_("A printed level differs from the signed one."))
            break
        position = found
    return problems


def _verify_pdf(db: Database, data: bytes, subject: str, today: date) -> VerificationResult:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        page = reader.pages[0]
        text = page.extract_text() or ""
        meta = reader.metadata
        meta_token = str(meta.subject) if meta is not None and meta.subject else ""
        images = []
        for item in page.images:
            try:
                images.append(item.image)
            except Exception:  # a damaged image is skipped, not fatal
                continue
    except Exception:  # pypdf raises many kinds for a hostile file
        _log.warning("Cannot read PDF %s", subject, exc_info=True)
        return _unreadable("pdf", subject, _("The PDF file is damaged or not a PDF."))
    qr_tokens = set(_decode_qr_images([i for i in images if i is not None]))
    if not qr_tokens and not meta_token.startswith(PREFIX):
        return _unreadable("pdf", subject, _("No certificate QR code was found in the PDF."))
    if len(qr_tokens) > 1 or (qr_tokens and meta_token and meta_token not in qr_tokens):
        return VerificationResult(
            Outcome.TAMPERED,
            "pdf",
            subject,
            problems=[_("The PDF carries two different certificate codes.")],
        )
    token = next(iter(qr_tokens)) if qr_tokens else meta_token
    result = _from_token(db, token, "pdf", subject, today)
    if result.payload is not None and result.outcome != Outcome.UNKNOWN_ISSUER:
        printed = printed_problems(text, result.payload)
        if printed:
            result.outcome = Outcome.TAMPERED
            result.problems = printed + result.problems
    return result


def _verify_image(db: Database, data: bytes, subject: str, today: date) -> VerificationResult:
    import io

    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.convert("L")
    except UnidentifiedImageError:
        return _unreadable(
            "file",
            subject,
            _("The file is not a certificate PDF, a QR image or a JSON credential."),
        )
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return _unreadable("image", subject, _("The image file is damaged or too large."))
    tokens = _decode_qr_images([image])
    if not tokens:
        return _unreadable("image", subject, _("No certificate QR code was found in the image."))
    return _from_token(db, tokens[0], "image", subject, today)


def _json_details(doc: dict[str, Any]) -> dict[str, str]:
    subject = doc.get("credentialSubject") if isinstance(doc.get("credentialSubject"), dict) else {}
    assert isinstance(subject, dict)
    identifiers = subject.get("identifier") or [{}]
    holder = identifiers[0].get("identityHash", "") if isinstance(identifiers[0], dict) else ""
    issuer = doc.get("issuer") if isinstance(doc.get("issuer"), dict) else {}
    assert isinstance(issuer, dict)
    description = str(doc.get("description", ""))
    return {
        "holder": str(holder),
        "practising_number": str(subject.get("licenseNumber", "")),
        "code": description.rsplit("·", 1)[-1].strip(),
        "valid_from": str(doc.get("validFrom", ""))[:10],
        "valid_until": str(doc.get("validUntil", ""))[:10],
        "issuer": str(issuer.get("name", "")),
    }


def _verify_json(db: Database, data: bytes, subject: str, today: date) -> VerificationResult:
    if len(data) > MAX_JSON_BYTES:
        return _unreadable("json", subject, _("The JSON file is too large for a credential."))
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _unreadable("json", subject, _("The file is not valid JSON."))
    if not isinstance(doc, dict) or not isinstance(doc.get("proof"), dict):
        return _unreadable("json", subject, _("The JSON is not a signed Xiangyi credential."))
    try:
        raw = check_proof(doc)
        details = _json_details(doc)
        credential_id = str(doc.get("id", "")).removeprefix("urn:uuid:").replace("-", "")
        valid_until = date.fromisoformat(details["valid_until"])
    except (ProofError, ValueError, TypeError, AttributeError, IndexError):
        return VerificationResult(
            Outcome.TAMPERED,
            "json",
            subject,
            problems=[_("The signature does not match the credential's contents.")],
        )
    result = VerificationResult(
        Outcome.VALID, "json", subject, details=details, credential_id=credential_id[:32]
    )
    row = issuers.issuer_by_raw(db, raw)
    if row is None:
        result.outcome = Outcome.UNKNOWN_ISSUER
        return result
    result.details["issuer_fingerprint"] = row.fingerprint
    result.outcome, result.problems = _status(
        db, credential_id, row.fingerprint, valid_until, today
    )
    return result


def verify_file(
    db: Database, path: Path, *, today: date | None = None, checked_by: str | None = None
) -> VerificationResult:
    """Verify a PDF certificate, an image of its QR code or an Open Badges JSON file."""
    path = Path(path)
    subject = path.name
    today = today or date.today()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            result = _unreadable("file", subject, _("The file is too large to be a certificate."))
            return _finish(db, result, checked_by)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        result = _unreadable("file", subject, _("The file cannot be read."))
        return _finish(db, result, checked_by)
    head = data[:16].lstrip()
    if head.startswith(b"%PDF"):
        result = _verify_pdf(db, data, subject, today)
    elif head.startswith((b"{", b"\xef\xbb\xbf{")):
        result = _verify_json(db, data.removeprefix(b"\xef\xbb\xbf"), subject, today)
    elif head.startswith(PREFIX.encode()):
        result = _from_token(db, data.decode("ascii", "replace"), "token", subject, today)
    else:
        result = _verify_image(db, data, subject, today)
    return _finish(db, result, checked_by)


def verify_input(
    db: Database, text: str, *, today: date | None = None, checked_by: str | None = None
) -> VerificationResult:
    """What ``xiangyi verify`` and the desktop's verify box do with what was given:
    an existing file, a scanned QR text (``XY1:…``) or a typed code."""
    text = text.strip()
    if text.startswith(PREFIX):
        return verify_token(db, text, today=today, checked_by=checked_by, kind="token")
    path = Path(text)
    if len(text) < 1024 and path.is_file():
        return verify_file(db, path, today=today, checked_by=checked_by)
    return verify_code(db, text, today=today, checked_by=checked_by)


def recent_checks(db: Database, limit: int = 200) -> list[VerificationCheck]:
    """The verification log, newest first."""
    from sqlalchemy import select

    with db.session() as session:
        query = select(VerificationCheck).order_by(VerificationCheck.at.desc()).limit(limit)
        return list(session.scalars(query))
