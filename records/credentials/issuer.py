"""The institution's certificate-issuing key and the issuer keys this PC trusts.

The private key lives in ``<data_dir>/issuer/issuer.private.pem``, encrypted with the
administrator's passphrase (see docs/decisions/0006-issuer-key.md): a stolen clinic PC
cannot mint certificates. ``unlock`` returns an ``IssuerKey`` held in memory only for
as long as the caller keeps it (the desktop keeps it for one signing session).
``issuer.public.json`` beside it is what another PC imports to trust this issuer.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from case_bank import signing
from case_bank.signing import PublicKey, SigningError
from records import audit
from records.accounts import Role
from records.credentials.encoding import b58encode
from records.db import Database
from records.tables import TrustedIssuer, User
from xiangyi.i18n import _

ISSUER_DIR = "issuer"
KEY_NAME = "issuer"
ED25519_MULTICODEC = b"\xed\x01"


class IssuerError(Exception):
    """An issuer-key problem; ``str()`` is a translated, actionable message."""


@dataclass(frozen=True)
class IssuerKey:
    """An unlocked issuing key: signs credentials and revocations."""

    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey(self.name, raw)

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def did_key(raw: bytes) -> str:
    """The ``did:key`` of a raw Ed25519 public key (multicodec 0xed01, base58btc)."""
    return "did:key:z" + b58encode(ED25519_MULTICODEC + raw)


def issuer_dir(data_dir: Path) -> Path:
    return Path(data_dir) / ISSUER_DIR


def key_files(data_dir: Path) -> tuple[Path, Path]:
    return signing.key_paths(KEY_NAME, issuer_dir(data_dir))


def has_issuer_key(data_dir: Path) -> bool:
    return key_files(data_dir)[0].is_file()


def _require_admin(actor: User | None, message: str) -> User:
    if actor is None or actor.role != Role.ADMIN:
        raise IssuerError(message)
    return actor


def create_issuer_key(
    db: Database, data_dir: Path, actor: User, name: str, passphrase: str
) -> PublicKey:
    """Create this PC's issuing key for institution ``name`` (administrators; audited).

    The key trusts itself: certificates issued here verify here at once.
    """
    _require_admin(actor, _("Only an administrator can create the issuing key."))
    name = name.strip()
    if not name or len(name) > 128:
        raise IssuerError(_("Give the issuing institution's name (at most 128 characters)."))
    if has_issuer_key(data_dir):
        raise IssuerError(
            _("This PC already has an issuing key ({path}).").format(path=key_files(data_dir)[0])
        )
    signing.check_passphrase(passphrase)
    folder = issuer_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = key_files(data_dir)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    key = IssuerKey(name, private).public
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(signing.public_key_document(key))
    with db.session() as session:
        session.add(
            TrustedIssuer(
                fingerprint=key.fingerprint, name=name, public_key=key.raw_b64, added_by=actor.id
            )
        )
        audit.record(
            session, "issuer_key_created", actor_id=actor.id, subject=key.fingerprint, name=name
        )
    return key


def issuer_public_key(data_dir: Path) -> PublicKey | None:
    """This PC's issuing public key (name, fingerprint), or None before one is created."""
    public_path = key_files(data_dir)[1]
    if not public_path.is_file():
        return None
    try:
        return signing.read_public_key(public_path)
    except SigningError as exc:
        raise IssuerError(str(exc)) from exc


def unlock(data_dir: Path, passphrase: str) -> IssuerKey:
    """The issuing key, decrypted with ``passphrase`` (IssuerError if wrong or missing)."""
    public = issuer_public_key(data_dir)
    if public is None:
        raise IssuerError(
            _(
                "This PC has no issuing key. An administrator creates one with "
                "'xiangyi keys issuer create'."
            )
        )
    try:
        private = signing.load_private_key(key_files(data_dir)[0], passphrase)
    except SigningError as exc:
        raise IssuerError(str(exc)) from exc
    key = IssuerKey(public.name, private)
    if key.fingerprint != public.fingerprint:
        raise IssuerError(_("The issuing key files do not belong together."))
    return key


# --- trusted issuers ----------------------------------------------------------------


def trust_issuer(db: Database, actor: User, key: PublicKey) -> TrustedIssuer:
    """Accept certificates signed by ``key`` (another institution's; audited)."""
    _require_admin(actor, _("Only an administrator can trust an issuer."))
    with db.session() as session:
        if session.get(TrustedIssuer, key.fingerprint) is not None:
            raise IssuerError(
                _("The issuer key {fingerprint} is already trusted.").format(
                    fingerprint=key.fingerprint
                )
            )
        row = TrustedIssuer(
            fingerprint=key.fingerprint, name=key.name, public_key=key.raw_b64, added_by=actor.id
        )
        session.add(row)
        audit.record(
            session, "issuer_trusted", actor_id=actor.id, subject=key.fingerprint, name=key.name
        )
    return row


def untrust_issuer(db: Database, actor: User, fingerprint: str) -> TrustedIssuer:
    """Stop accepting an issuer's certificates (audited)."""
    _require_admin(actor, _("Only an administrator can change trusted issuers."))
    try:
        fingerprint = signing.normalise_fingerprint(fingerprint)
    except SigningError as exc:
        raise IssuerError(str(exc)) from exc
    with db.session() as session:
        row = session.get(TrustedIssuer, fingerprint)
        if row is None:
            raise IssuerError(
                _("No trusted issuer has the fingerprint {fingerprint}.").format(
                    fingerprint=fingerprint
                )
            )
        session.delete(row)
        audit.record(
            session, "issuer_untrusted", actor_id=actor.id, subject=fingerprint, name=row.name
        )
    return row


def trusted_issuers(db: Database) -> list[TrustedIssuer]:
    with db.session() as session:
        return list(session.scalars(select(TrustedIssuer).order_by(TrustedIssuer.name)))


def public_key_of(row: TrustedIssuer) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(row.public_key))


def issuers_by_prefix(db: Database, prefix: str) -> list[TrustedIssuer]:
    """Trusted issuers whose fingerprint starts with the 16-digit ``prefix``."""
    return [
        row for row in trusted_issuers(db) if row.fingerprint.replace(" ", "").startswith(prefix)
    ]


def issuer_by_raw(db: Database, raw: bytes) -> TrustedIssuer | None:
    with db.session() as session:
        return session.get(TrustedIssuer, signing.fingerprint(raw))
