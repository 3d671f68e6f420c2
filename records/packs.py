"""Installed case packs and the trainer keys this PC trusts.

Installing is all-or-nothing: the archive is checked and extracted into a staging
folder inside ``<data_dir>/packs``, verified and validated there, renamed into
place, and only then recorded; any failure removes the staging folder and leaves
the database as it was. Attempts keep the case version they were played with, so
replacing a pack never touches stored attempts.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from case_bank import archive as archives
from case_bank import signing
from case_bank.archive import Archive, ArchiveError
from case_bank.signing import Signature, SigningError
from records import audit
from records.accounts import Role
from records.db import Database
from records.tables import InstalledPack, TrustedKey, User, utcnow
from xiangyi import __version__
from xiangyi.i18n import _

PACKS_DIR = "packs"
LEFTOVER_AGE_S = 3600
_log = logging.getLogger(__name__)


class PackInstallError(Exception):
    """An install, removal or trust change was refused; ``str()`` is for the user."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Verification:
    """What ``verify_archive`` found; ``ok`` means intact, signed and trusted."""

    archive: Archive | None = None
    signature: Signature | None = None
    trusted: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """Every file matches the manifest and any signature is valid."""
        return self.archive is not None and not self.problems

    @property
    def ok(self) -> bool:
        return self.intact and self.signature is not None and self.trusted


def packs_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / PACKS_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_leftovers(root: Path) -> None:
    """Remove staging folders an interrupted install (a power cut) left behind."""
    cutoff = time.time() - LEFTOVER_AGE_S  # younger ones may belong to a running install
    for path in root.glob(".*-*"):
        if path.name.startswith((".staging-", ".removed-")) and path.stat().st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)


def _require_admin(actor: User | None, message: str) -> User:
    if actor is None or actor.role != Role.ADMIN:
        raise PackInstallError(message)
    return actor


# --- trusted keys -------------------------------------------------------------------


def trust_key(db: Database, actor: User, key: signing.PublicKey) -> TrustedKey:
    """Trust ``key`` for pack signatures on this PC (administrators only; audited)."""
    _require_admin(actor, _("Only an administrator can trust a signing key."))
    with db.session() as session:
        if session.get(TrustedKey, key.fingerprint) is not None:
            raise PackInstallError(
                _("The key {fingerprint} is already trusted.").format(fingerprint=key.fingerprint)
            )
        row = TrustedKey(
            fingerprint=key.fingerprint, name=key.name, public_key=key.raw_b64, added_by=actor.id
        )
        session.add(row)
        audit.record(
            session, "key_trusted", actor_id=actor.id, subject=key.fingerprint, name=key.name
        )
    return row


def untrust_key(db: Database, actor: User, fingerprint: str) -> TrustedKey:
    """Stop trusting a key (administrators only; audited). Installed packs stay."""
    _require_admin(actor, _("Only an administrator can change trusted keys."))
    fingerprint = signing.normalise_fingerprint(fingerprint)
    with db.session() as session:
        row = session.get(TrustedKey, fingerprint)
        if row is None:
            raise PackInstallError(
                _("No trusted key has the fingerprint {fingerprint}.").format(
                    fingerprint=fingerprint
                )
            )
        session.delete(row)
        audit.record(
            session, "key_untrusted", actor_id=actor.id, subject=fingerprint, name=row.name
        )
    return row


def record_key_created(db: Database, key: signing.PublicKey) -> None:
    """Note in the audit log that a signing key was made on this PC (never the key)."""
    with db.session() as session:
        audit.record(session, "key_created", subject=key.fingerprint, name=key.name)


def trusted_keys(db: Database) -> list[TrustedKey]:
    with db.session() as session:
        return list(session.scalars(select(TrustedKey).order_by(TrustedKey.name)))


def is_trusted(db: Database, fingerprint: str | None) -> bool:
    if fingerprint is None:
        return False
    with db.session() as session:
        return session.get(TrustedKey, fingerprint) is not None


# --- verification -------------------------------------------------------------------


def verify_archive(
    db: Database, path: Path, limits: archives.Limits = archives.DEFAULT_LIMITS
) -> Verification:
    """Check every file against the manifest, the signature, and trust on this PC."""
    result = Verification()
    try:
        result.archive = archives.read_archive(path, limits)
        changed = archives.check_files(result.archive, None, limits)
    except ArchiveError as exc:
        result.problems.append(str(exc))
        return result
    if changed:
        result.problems.append(str(archives.tampered_error(changed)))
    if result.archive.signature is None:
        return result
    try:
        result.signature = signing.check_signature(
            result.archive.manifest.raw, result.archive.signature
        )
    except SigningError as exc:
        result.problems.append(str(exc))
        return result
    result.trusted = is_trusted(db, result.signature.fingerprint)
    return result


# --- installing ---------------------------------------------------------------------


def _version_tuple(text: str) -> tuple[int, ...]:
    numbers = [int(n) for n in re.findall(r"\d+", text)[:3]]
    return tuple(numbers + [0] * (3 - len(numbers)))


def _check_trust(found: Verification, actor: User | None, allow_untrusted: bool) -> None:
    if found.trusted:
        return
    if found.signature is None:
        reason = _("The pack is not signed.")
    else:
        reason = _(
            "The pack is signed by {signer} ({fingerprint}), a key not trusted here."
        ).format(signer=found.signature.signer, fingerprint=found.signature.fingerprint)
    if not allow_untrusted:
        raise PackInstallError(
            reason
            + " "
            + _(
                "Ask an administrator to trust the trainer's key, or to install it anyway "
                "with --allow-untrusted --as ADMIN."
            )
        )
    _require_admin(actor, _("Only an administrator can install an unsigned or untrusted pack."))


def _validate(folder: Path, manifest: archives.Manifest) -> tuple[str, str]:
    from case_bank.pack import load_pack  # the case models are slow to import

    pack = load_pack(folder)
    if not pack.valid or pack.info is None:
        problems = [str(p) for p in pack.errors]
        raise PackInstallError(_("The pack has problems and was not installed."), problems)
    info = pack.info
    if (info.id, info.version) != (manifest.pack_id, manifest.version):
        raise PackInstallError(
            _("The manifest names pack {expected}, but pack.yaml says {found}.").format(
                expected=f"{manifest.pack_id} v{manifest.version}",
                found=f"{info.id} v{info.version}",
            )
        )
    if _version_tuple(info.min_app_version) > _version_tuple(__version__):
        raise PackInstallError(
            _("This pack needs Xiangyi {needed} or newer; this is {current}.").format(
                needed=info.min_app_version, current=__version__
            )
        )
    return info.title.zh_CN, info.title.en


def install_pack(
    db: Database,
    data_dir: Path,
    path: Path,
    *,
    actor: User | None = None,
    allow_untrusted: bool = False,
    reinstall: bool = False,
    limits: archives.Limits = archives.DEFAULT_LIMITS,
) -> InstalledPack:
    """Verify, validate and install the pack archive at ``path``; all or nothing."""
    root = packs_dir(data_dir)
    found = Verification()
    try:
        found.archive = archives.read_archive(path, limits)
        if found.archive.signature is not None:
            found.signature = signing.check_signature(
                found.archive.manifest.raw, found.archive.signature
            )
    except (ArchiveError, SigningError) as exc:
        raise PackInstallError(str(exc)) from exc
    manifest = found.archive.manifest
    found.trusted = is_trusted(db, found.signature.fingerprint if found.signature else None)
    _check_trust(found, actor, allow_untrusted)
    with db.session() as session:
        current = session.get(InstalledPack, manifest.pack_id)
        old_version = current.version if current else None
        old_folder = current.folder if current else None
    if old_version is not None and manifest.version <= old_version and not reinstall:
        raise PackInstallError(
            _(
                "Version {installed} of pack {id} is installed; {version} is not newer "
                "(use --reinstall to install it anyway)."
            ).format(installed=old_version, id=manifest.pack_id, version=manifest.version)
        )
    _clean_leftovers(root)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        unpacked = staging / "pack"
        try:
            archives.extract(found.archive, unpacked, limits)
        except ArchiveError as exc:
            raise PackInstallError(str(exc)) from exc
        title_zh, title_en = _validate(unpacked, manifest)
        folder = f"{manifest.pack_id}-v{manifest.version}"
        target = root / folder
        if target.exists():  # a reinstall of the same version: keep it until replaced
            target.rename(staging / "previous")
        unpacked.rename(target)
        try:
            row = _record(db, found, folder, title_zh, title_en, actor, old_version)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            if (staging / "previous").exists():
                (staging / "previous").rename(target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if old_folder and old_folder != folder:
        shutil.rmtree(root / Path(old_folder).name, ignore_errors=True)
    return row


def _record(
    db: Database,
    found: Verification,
    folder: str,
    title_zh: str,
    title_en: str,
    actor: User | None,
    old_version: int | None,
) -> InstalledPack:
    assert found.archive is not None
    manifest = found.archive.manifest
    fingerprint = found.signature.fingerprint if found.signature else None
    actor_id = actor.id if actor else None
    with db.session() as session:
        row = session.get(InstalledPack, manifest.pack_id) or InstalledPack(id=manifest.pack_id)
        row.version = manifest.version
        row.title_zh = title_zh[:256]
        row.title_en = title_en[:256]
        row.signer = found.signature.signer if found.signature else None
        row.signer_fingerprint = fingerprint
        row.trusted = found.trusted
        row.installed_at = utcnow()
        row.installed_by = actor_id
        row.folder = folder
        row.manifest_sha256 = manifest.sha256
        session.add(row)
        if not found.trusted:
            audit.record(
                session,
                "pack_untrusted_allowed",
                actor_id=actor_id,
                subject=manifest.pack_id,
                version=manifest.version,
                signed=found.signature is not None,
                fingerprint=fingerprint,
            )
        audit.record(
            session,
            "pack_installed",
            actor_id=actor_id,
            subject=manifest.pack_id,
            version=manifest.version,
            replaced=old_version,
            fingerprint=fingerprint,
            trusted=found.trusted,
            manifest_sha256=manifest.sha256,
        )
    return row


# --- listing and removing -----------------------------------------------------------


def installed_packs(db: Database) -> list[InstalledPack]:
    with db.session() as session:
        return list(session.scalars(select(InstalledPack).order_by(InstalledPack.id)))


def installed_pack_folders(db: Database, data_dir: Path) -> list[Path]:
    """Folders of the installed packs that are present, for loading besides built-ins."""
    root = Path(data_dir) / PACKS_DIR
    folders = []
    for row in installed_packs(db):
        folder = root / Path(row.folder).name
        if (folder / "pack.yaml").is_file():
            folders.append(folder)
        else:
            _log.warning("Installed pack %s is missing its folder %s", row.id, folder)
    return folders


def remove_pack(db: Database, data_dir: Path, actor: User, pack_id: str) -> InstalledPack:
    """Uninstall a pack (administrators only; audited). Stored attempts are kept."""
    _require_admin(actor, _("Only an administrator can remove a pack."))
    root = packs_dir(data_dir)
    with db.session() as session:
        row = session.get(InstalledPack, pack_id)
        if row is None:
            raise PackInstallError(_("No installed pack has the id {id}.").format(id=pack_id))
    folder = root / Path(row.folder).name
    aside = root / f".removed-{folder.name}"
    if folder.exists():
        folder.rename(aside)  # out of sight first, deleted only once the removal is recorded
    try:
        with db.session() as session:
            current = session.get(InstalledPack, pack_id)
            if current is not None:
                session.delete(current)
            audit.record(
                session, "pack_removed", actor_id=actor.id, subject=pack_id, version=row.version
            )
    except BaseException:
        if aside.exists():
            aside.rename(folder)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return row
