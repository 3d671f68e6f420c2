"""Files made from a stored credential: the certificate PDF and the Open Badges JSON.

Settings used: ``certificate_logo`` (path of a PNG or JPEG printed top left) and
``issuer_name_en`` (the issuer's English name; the Chinese name is the key's name).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import BinaryIO

from records import settings
from records.credentials.certificate_pdf import CertificateView, certificate_pdf
from records.credentials.issuing import IssueError, _programme, token_of
from records.credentials.payload import decode_token
from records.db import Database
from records.tables import Credential, Institution
from xiangyi.i18n import _

LOGO_KEY = "certificate_logo"
ISSUER_EN_KEY = "issuer_name_en"


def _signed(credential: Credential) -> None:
    if credential.payload is None or credential.signature is None:
        raise IssueError(
            _(
                "The certificate is waiting for the administrator's signature and cannot be "
                "saved yet."
            )
        )


def certificate_view(db: Database, credential: Credential) -> CertificateView:
    """What the certificate of ``credential`` shows (it must be signed)."""
    _signed(credential)
    token = token_of(credential)
    payload = decode_token(token).payload
    with db.session() as session:
        institution = (
            session.get(Institution, credential.institution_id)
            if credential.institution_id
            else None
        )
    logo_setting = settings.get(db, LOGO_KEY)
    logo = Path(logo_setting) if logo_setting and Path(logo_setting).is_file() else None
    programme = _programme(credential.blueprint_id)
    return CertificateView(
        payload=payload,
        token=token,
        programme_zh=programme["title_zh"],
        programme_en=programme["title_en"],
        issuer_zh=payload.issuer_name,
        issuer_en=settings.get(db, ISSUER_EN_KEY) or "",
        institution_en=institution.name_en if institution else "",
        issuer_fingerprint=credential.issuer_fingerprint or "",
        logo=logo,
    )


def save_certificate_pdf(db: Database, credential: Credential, target: Path | BinaryIO) -> None:
    """Write the certificate PDF of a signed credential."""
    certificate_pdf(certificate_view(db, credential), target)


def open_badge_bytes(credential: Credential) -> bytes:
    """The signed Open Badges 3.0 JSON of a signed credential, as stored at signing."""
    _signed(credential)
    assert credential.open_badge is not None
    return credential.open_badge.encode("utf-8")


def save_open_badge(credential: Credential, path: Path) -> None:
    Path(path).write_bytes(open_badge_bytes(credential))


def signature_bytes(credential: Credential) -> bytes:
    _signed(credential)
    assert credential.signature is not None
    return base64.b64decode(credential.signature)
