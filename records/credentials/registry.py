"""What the certificate screens show and may do: a holder's certificates with status and
expiry reminder, the administrator's registry search, and administrator-only actions
that the issuing modules leave open (signing all, bulk export, trusting a key file,
importing a revocation list, the verification log). Qt-free.

Every function that changes something or shows other people's certificates takes the
acting user and refuses anyone but an administrator (``IssueError``), so a screen that
is somehow reached by a learner still cannot act.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assessments.blueprints import builtin_blueprints
from case_bank import signing
from case_bank.signing import PublicKey, SigningError
from records import audit, settings
from records.accounts import Role
from records.credentials import issuer, issuing, revocation
from records.credentials.documents import ISSUER_EN_KEY
from records.credentials.encoding import format_code
from records.credentials.export import Cancel, ExportResult, export_zip
from records.credentials.issuer import IssuerError, IssuerKey
from records.credentials.issuing import (
    EXPIRED,
    PENDING,
    REPLACED,
    REVOKED,
    VALID,
    IssueError,
    Progress,
)
from records.credentials.revocation import MergeResult, RevocationError
from records.db import Database
from records.tables import Credential, TrustedIssuer, User, VerificationCheck
from xiangyi.i18n import _

# Remind a holder this long before a certificate expires (the home screen uses the same).
EXPIRY_REMINDER_DAYS = 90
STATUSES = (PENDING, VALID, EXPIRED, REPLACED, REVOKED)
# The refusals a screen shows as they are (``str()`` is a translated message).
USER_ERRORS: tuple[type[Exception], ...] = (
    IssueError,
    IssuerError,
    RevocationError,
    SigningError,
)


@dataclass(frozen=True)
class CertificateRow:
    """One certificate as a list shows it."""

    credential: Credential
    status: str  # pending, valid, expired, replaced or revoked (as of ``today``)
    programme: str  # the exam's title in the current language
    days_left: int  # until the last day of validity (negative once expired)
    remind: bool  # valid and expiring within EXPIRY_REMINDER_DAYS

    @property
    def code(self) -> str:
        return format_code(self.credential.code)

    @property
    def signed(self) -> bool:
        return self.credential.payload is not None and self.credential.signature is not None

    @property
    def saveable(self) -> bool:
        """The PDF and JSON can be saved: signed and not withdrawn."""
        return self.signed and self.status != REVOKED

    @property
    def renewable(self) -> bool:
        return self.status in (VALID, PENDING)

    @property
    def revocable(self) -> bool:
        return self.status not in (REVOKED, REPLACED)


def can_manage(user: User | None) -> bool:
    """Whether ``user`` may see the registry and act on other people's certificates."""
    return user is not None and user.role == Role.ADMIN


def require_admin(user: User | None) -> User:
    if user is None or not can_manage(user):
        raise IssueError(_("Only an administrator can manage certificates."))
    return user


def programme_title(blueprint_id: str) -> str:
    blueprint = builtin_blueprints().get(blueprint_id)
    if blueprint is None:
        return blueprint_id
    return blueprint.title.get()


def row_of(credential: Credential, today: date | None = None) -> CertificateRow:
    today = today or date.today()
    status = issuing.status_of(credential, today)
    days = (credential.valid_until - today).days
    return CertificateRow(
        credential=credential,
        status=status,
        programme=programme_title(credential.blueprint_id),
        days_left=days,
        remind=status == VALID and days <= EXPIRY_REMINDER_DAYS,
    )


def my_certificates(db: Database, user: User, today: date | None = None) -> list[CertificateRow]:
    """The user's own certificates, every status, newest first."""
    rows = issuing.list_credentials(db, user_id=user.id)
    return [row_of(c, today) for c in reversed(rows)]


def _matches(credential: Credential, needle: str) -> bool:
    if not needle:
        return True
    code_needle = re.sub(r"[\s\-]", "", needle).upper()
    return (
        needle in credential.holder_name.casefold()
        or needle in (credential.practising_number or "").casefold()
        or needle in credential.institution_name.casefold()
        or (bool(code_needle) and code_needle in credential.code)
    )


def search(
    db: Database,
    actor: User | None,
    *,
    text: str = "",
    institution_id: str | None = None,
    status: str | None = None,
    today: date | None = None,
) -> list[CertificateRow]:
    """The registry (administrators): newest first, filtered by a name, practising
    number, institution name or code fragment, by institution and by status."""
    require_admin(actor)
    needle = text.strip().casefold()
    found = []
    for credential in reversed(issuing.list_credentials(db, institution_id=institution_id)):
        if not _matches(credential, needle):
            continue
        row = row_of(credential, today)
        if status is None or row.status == status:
            found.append(row)
    return found


def pending_count(db: Database) -> int:
    return len(issuing.list_credentials(db, status=PENDING))


def sign_all(
    db: Database, actor: User | None, key: IssuerKey, *, progress: Progress | None = None
) -> list[Credential]:
    """Sign every pending certificate (administrators; each signature is audited)."""
    admin = require_admin(actor)
    return issuing.sign_pending(db, key, actor_id=admin.id, progress=progress)


def export_cohort(
    db: Database,
    actor: User | None,
    institution_id: str | None,
    target: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExportResult:
    """The certificates of an institution (None: all) as one ZIP (administrators;
    audited, since the file carries personal data off this PC)."""
    admin = require_admin(actor)
    credentials = issuing.list_credentials(db, institution_id=institution_id)
    result = export_zip(db, credentials, target, progress=progress, cancel=cancel)
    if not result.cancelled:
        with db.session() as session:
            audit.record(
                session,
                "certificates_exported",
                actor_id=admin.id,
                subject=Path(target).name[:128],
                institution=institution_id,
                written=result.written,
            )
    return result


# --- the issuing key and trusted issuers ------------------------------------------------


def create_key(
    db: Database, data_dir: Path, actor: User | None, name: str, name_en: str, passphrase: str
) -> PublicKey:
    """Create this PC's issuing key; the English name is printed on certificates."""
    admin = require_admin(actor)
    key = issuer.create_issuer_key(db, data_dir, admin, name, passphrase)
    if name_en.strip():
        settings.put(db, ISSUER_EN_KEY, name_en.strip()[:256])
    return key


def export_public_key(data_dir: Path, target: Path) -> Path:
    """Copy this PC's issuing public key to ``target`` (for other PCs to trust)."""
    public_path = issuer.key_files(data_dir)[1]
    if not public_path.is_file():
        raise IssuerError(_("This PC has no issuing key."))
    shutil.copyfile(public_path, target)
    return Path(target)


def trust_file(db: Database, actor: User | None, path: Path) -> TrustedIssuer:
    """Trust the issuing key in a public key file (administrators; audited)."""
    admin = require_admin(actor)
    try:
        key = signing.read_public_key(Path(path))
    except SigningError as exc:
        raise IssuerError(str(exc)) from exc
    return issuer.trust_issuer(db, admin, key)


def is_own_key(data_dir: Path, fingerprint: str) -> bool:
    own = issuer.issuer_public_key(data_dir)
    return own is not None and own.fingerprint == fingerprint


def import_revocations(db: Database, actor: User | None, path: Path) -> MergeResult:
    """Merge a revocation list file (administrators)."""
    require_admin(actor)
    return revocation.import_list(db, path)


def verification_log(db: Database, actor: User | None, limit: int = 50) -> list[VerificationCheck]:
    """The latest verifications on this PC (administrators)."""
    from records.credentials.verify import recent_checks

    require_admin(actor)
    return recent_checks(db, limit)
