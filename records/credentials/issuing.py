"""Issuing credentials: on a passed certifying exam, re-certification, cohorts.

A credential is created ``pending`` the moment a doctor passes (nothing is lost if no
administrator is at hand) and becomes ``valid`` when the issuing key signs it:
immediately when the caller passes an unlocked ``IssuerKey``, otherwise later in one
batch with ``sign_pending``. A newer credential for the same person and exam blueprint
replaces the older one (re-certification): the old one is marked ``replaced``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.blueprints import Blueprint, builtin_blueprints
from assessments.framework import LEVEL_IDS
from case_bank.models import Case
from records import audit, settings
from records.credentials.issuer import IssuerKey
from records.credentials.openbadges import open_badge
from records.credentials.payload import DOMAIN_ORDER, Payload, encode_token, key_prefix
from records.credentials.payload import sign as sign_payload
from records.db import Database
from records.tables import Credential, ExamAttempt, Institution, Revocation, User, utcnow
from xiangyi.i18n import _

PENDING, VALID, REPLACED, REVOKED, EXPIRED = "pending", "valid", "replaced", "revoked", "expired"
VALIDITY_KEY = "credential_validity_years"
DEFAULT_VALIDITY_YEARS = 3
Progress = Callable[[int, int], None]


class IssueError(Exception):
    """A credential cannot be issued; ``str()`` is a translated message."""


def validity_years(db: Database) -> int:
    """Years a certificate is valid (setting ``credential_validity_years``, default 3)."""
    try:
        years = int(settings.get(db, VALIDITY_KEY) or DEFAULT_VALIDITY_YEARS)
    except ValueError:
        years = DEFAULT_VALIDITY_YEARS
    return min(10, max(1, years))


def set_validity_years(db: Database, years: int) -> None:
    if not 1 <= years <= 10:
        raise IssueError(_("The validity must be between 1 and 10 years."))
    settings.put(db, VALIDITY_KEY, str(years))


def valid_until(start: date, years: int) -> date:
    """The last day of validity, inclusive: 2025-06-01 + 3 years → 2028-05-31."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def status_of(credential: Credential, today: date | None = None) -> str:
    """pending, valid, replaced, revoked or expired (as of ``today``)."""
    if credential.status == VALID and credential.valid_until < (today or date.today()):
        return EXPIRED
    return credential.status


def levels_from_cases(db: Database, user_id: str, cases: Mapping[str, Case]) -> dict[str, str]:
    """The doctor's current level per domain, from all their evidence."""
    from records.competency import picture

    return {d: m.level for d, m in picture(db, user_id, cases).mastery.items()}


def _certifying(blueprint_id: str, blueprints: Mapping[str, Blueprint] | None) -> Blueprint:
    known = blueprints if blueprints is not None else builtin_blueprints()
    blueprint = known.get(blueprint_id)
    if blueprint is None or not blueprint.certifying:
        raise IssueError(
            _("The exam {blueprint} does not lead to a certificate.").format(blueprint=blueprint_id)
        )
    return blueprint


def _live(session: Session, user_id: str, blueprint_id: str, today: date) -> list[Credential]:
    rows = session.scalars(
        select(Credential).where(
            Credential.user_id == user_id,
            Credential.blueprint_id == blueprint_id,
            Credential.status.in_((PENDING, VALID)),
        )
    )
    return [row for row in rows if row.valid_until >= today]


def _complete(levels: Mapping[str, str]) -> dict[str, str]:
    """A level for every domain (none known: the lowest); unknown level ids are refused."""
    complete = {d: levels.get(d, LEVEL_IDS[0]) for d in DOMAIN_ORDER}
    if any(level not in LEVEL_IDS for level in complete.values()):
        raise ValueError(f"unknown level in {dict(levels)}")
    return complete


def _new_credential(
    db: Database,
    user: User,
    blueprint_id: str,
    levels: Mapping[str, str],
    start: date,
    attempt_id: str | None,
    actor_id: str | None,
) -> Credential:
    from records.credentials.encoding import new_code, new_credential_id
    from records.settings import device_id

    device = device_id(db)
    with db.session() as session:
        institution = session.get(Institution, user.institution_id) if user.institution_id else None
        code = new_code()
        while session.scalar(select(Credential.id).where(Credential.code == code)):
            code = new_code()
        row = Credential(
            id=new_credential_id(),
            code=code,
            user_id=user.id,
            institution_id=user.institution_id,
            exam_attempt_id=attempt_id,
            blueprint_id=blueprint_id,
            holder_name=user.display_name,
            practising_number=user.practising_number,
            institution_name=institution.name_zh if institution else "",
            levels=_complete(levels),
            valid_from=start,
            valid_until=valid_until(start, validity_years(db)),
            status=PENDING,
            device_id=device,
        )
        for old in _live(session, user.id, blueprint_id, start):
            old.status = REPLACED
            old.replaced_by = row.id
            audit.record(
                session, "credential_replaced", actor_id=actor_id, subject=old.id, by=row.id
            )
        session.add(row)
        audit.record(
            session,
            "credential_pending",
            actor_id=actor_id,
            subject=row.id,
            user=user.id,
            exam_attempt=attempt_id,
        )
    return row


def issue_for_exam(
    db: Database,
    attempt_id: str,
    *,
    cases: Mapping[str, Case] | None = None,
    levels: Mapping[str, str] | None = None,
    signer: IssuerKey | None = None,
    blueprints: Mapping[str, Blueprint] | None = None,
    actor_id: str | None = None,
) -> Credential:
    """The credential resting on a passed certifying exam attempt (idempotent).

    Call after the exam result is stored. Levels come from ``levels`` or are computed
    from the doctor's evidence over ``cases``. With ``signer`` the credential is signed
    at once, otherwise it stays pending until ``sign_pending``.
    """
    with db.session() as session:
        found = session.scalars(
            select(Credential).where(Credential.exam_attempt_id == attempt_id)
        ).first()
        attempt = session.get(ExamAttempt, attempt_id)
        user = session.get(User, attempt.user_id) if attempt is not None else None
    if found is not None:
        return sign(db, found.id, signer, actor_id=actor_id) if signer else found
    if attempt is None or user is None or not attempt.passed or attempt.submitted_at is None:
        raise IssueError(_("Only a passed, submitted exam leads to a certificate."))
    _certifying(attempt.blueprint_id, blueprints)
    if levels is None:
        if cases is None:
            raise ValueError("issue_for_exam needs levels or cases")
        levels = levels_from_cases(db, user.id, cases)
    start = attempt.submitted_at.date()
    row = _new_credential(db, user, attempt.blueprint_id, levels, start, attempt_id, actor_id)
    return sign(db, row.id, signer, actor_id=actor_id) if signer else row


def renew(
    db: Database,
    actor: User,
    credential_id: str,
    *,
    cases: Mapping[str, Case] | None = None,
    levels: Mapping[str, str] | None = None,
    signer: IssuerKey | None = None,
    today: date | None = None,
) -> Credential:
    """Re-certify before expiry: a new credential from today replaces ``credential_id``."""
    from records.accounts import Role

    if actor.role != Role.ADMIN:
        raise IssueError(_("Only an administrator can re-certify."))
    today = today or date.today()
    old = get(db, credential_id)
    if old is None or status_of(old, today) not in (VALID, PENDING):
        raise IssueError(_("Only a valid certificate can be re-certified."))
    with db.session() as session:
        user = session.get(User, old.user_id)
    assert user is not None
    if levels is None:
        if cases is None:
            raise ValueError("renew needs levels or cases")
        levels = levels_from_cases(db, user.id, cases)
    row = _new_credential(db, user, old.blueprint_id, levels, today, None, actor.id)
    return sign(db, row.id, signer, actor_id=actor.id) if signer else row


def _programme(blueprint_id: str) -> dict[str, str]:
    """The exam's title in both languages (the blueprint id if it is not known here)."""
    blueprint = builtin_blueprints().get(blueprint_id)
    if blueprint is None:
        return {"title_zh": blueprint_id, "title_en": blueprint_id}
    return {"title_zh": blueprint.title.zh_CN, "title_en": blueprint.title.en}


def payload_of(credential: Credential, key: IssuerKey) -> Payload:
    return Payload(
        credential_id=credential.id,
        code=credential.code,
        holder_name=credential.holder_name,
        practising_number=credential.practising_number or "",
        institution=credential.institution_name,
        blueprint_id=credential.blueprint_id,
        levels=dict(credential.levels),
        issued_on=date.today(),
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
        issuer_key=key_prefix(key.fingerprint),
        issuer_name=key.name,
    )


def sign(
    db: Database, credential_id: str, signer: IssuerKey, *, actor_id: str | None
) -> Credential:
    """Sign one pending credential (a signed one is returned unchanged)."""
    with db.session() as session:
        row = session.get(Credential, credential_id)
        if row is None:
            raise IssueError(_("No such certificate."))
        if row.status != PENDING:
            return row
        payload = payload_of(row, signer)
        row.payload = payload.canonical().decode("utf-8")
        row.signature = base64.b64encode(sign_payload(payload, signer.private)).decode("ascii")
        row.open_badge = json.dumps(
            open_badge(payload, signer, **_programme(row.blueprint_id)), ensure_ascii=False
        )
        row.issuer_fingerprint = signer.fingerprint
        row.issuer_name = signer.name
        row.issued_at = utcnow()
        row.status = VALID
        audit.record(
            session,
            "credential_issued",
            actor_id=actor_id,
            subject=row.id,
            user=row.user_id,
            fingerprint=signer.fingerprint,
        )
    return row


def sign_pending(
    db: Database,
    signer: IssuerKey,
    *,
    actor_id: str | None = None,
    progress: Progress | None = None,
) -> list[Credential]:
    """Sign every pending credential on this PC, oldest first."""
    ids = [c.id for c in list_credentials(db, status=PENDING)]
    signed = []
    for done, credential_id in enumerate(ids, start=1):
        signed.append(sign(db, credential_id, signer, actor_id=actor_id))
        if progress:
            progress(done, len(ids))
    return signed


@dataclass
class BulkResult:
    issued: list[Credential] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # user ids that already hold one


def bulk_issue(
    db: Database,
    actor: User,
    institution_id: str,
    *,
    cases: Mapping[str, Case],
    signer: IssuerKey | None = None,
    blueprints: Mapping[str, Blueprint] | None = None,
    progress: Progress | None = None,
) -> BulkResult:
    """Issue to every member of ``institution_id`` who passed a certifying exam and holds
    no live credential for it (administrators; each issue is audited)."""
    from records.accounts import Role

    if actor.role != Role.ADMIN:
        raise IssueError(_("Only an administrator can issue certificates for a cohort."))
    known = blueprints if blueprints is not None else builtin_blueprints()
    certifying = [b.id for b in known.values() if b.certifying]
    today = date.today()
    with db.session() as session:
        attempts = list(
            session.scalars(
                select(ExamAttempt)
                .join(User, User.id == ExamAttempt.user_id)
                .where(
                    User.institution_id == institution_id,
                    ExamAttempt.passed.is_(True),
                    ExamAttempt.blueprint_id.in_(certifying),
                )
                .order_by(ExamAttempt.submitted_at.desc())
            )
        )
        latest: dict[tuple[str, str], ExamAttempt] = {}
        for attempt in attempts:
            latest.setdefault((attempt.user_id, attempt.blueprint_id), attempt)
        wanted = []
        for (user_id, blueprint_id), attempt in latest.items():
            if _live(session, user_id, blueprint_id, today):
                continue
            wanted.append(attempt.id)
    result = BulkResult()
    for done, attempt_id in enumerate(wanted, start=1):
        result.issued.append(
            issue_for_exam(
                db, attempt_id, cases=cases, signer=signer, blueprints=known, actor_id=actor.id
            )
        )
        if progress:
            progress(done, len(wanted))
    return result


def get(db: Database, credential_id: str) -> Credential | None:
    with db.session() as session:
        return session.get(Credential, credential_id)


def by_code(db: Database, code: str) -> Credential | None:
    with db.session() as session:
        return session.scalars(select(Credential).where(Credential.code == code)).first()


def list_credentials(
    db: Database,
    *,
    user_id: str | None = None,
    institution_id: str | None = None,
    status: str | None = None,
) -> list[Credential]:
    """Credentials, oldest first, filtered by holder, institution or stored status."""
    query = select(Credential).order_by(Credential.created_at)
    if user_id is not None:
        query = query.where(Credential.user_id == user_id)
    if institution_id is not None:
        query = query.where(Credential.institution_id == institution_id)
    if status is not None:
        query = query.where(Credential.status == status)
    with db.session() as session:
        return list(session.scalars(query))


def token_of(credential: Credential) -> str:
    """The QR text of a signed credential."""
    if credential.payload is None or credential.signature is None:
        raise IssueError(_("The certificate is not signed yet."))
    return encode_token(credential.payload.encode("utf-8"), base64.b64decode(credential.signature))


def is_revoked(db: Database, credential_id: str) -> Revocation | None:
    with db.session() as session:
        return session.get(Revocation, credential_id)
