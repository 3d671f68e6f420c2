"""Publish a pack: validate, build the archive and sign it with the trainer's key.

The same steps as ``xiangyi pack build`` followed by ``xiangyi pack sign``; the key is
opened first, so a wrong passphrase leaves no unsigned archive behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from case_bank import archive, signing
from case_bank.pack import PackError, load_pack
from xiangyi.i18n import _

ARCHIVE_SUFFIX = ".xypack"


class PublishError(Exception):
    """Publishing stopped; the message says why and what to do."""


@dataclass(frozen=True)
class Published:
    path: Path
    pack_id: str
    version: int
    files: int
    signer: str
    fingerprint: str


def archive_name(pack_id: str, version: int) -> str:
    return f"{pack_id}-v{version}{ARCHIVE_SUFFIX}"


def publish_pack(folder: Path, out_dir: Path, key_path: Path, passphrase: str) -> Published:
    """Build ``<id>-v<version>.xypack`` in ``out_dir`` from ``folder`` and sign it.

    Raises PackError when the pack has errors, PublishError, SigningError or
    ArchiveError otherwise.
    """
    folder, out_dir = Path(folder), Path(out_dir)
    pack = load_pack(folder)
    if not pack.valid or pack.info is None:
        raise PackError(pack.errors or pack.problems)
    out = out_dir / archive_name(pack.info.id, pack.info.version)
    if out.resolve().is_relative_to(folder.resolve()):
        raise PublishError(_("Write the archive outside the pack folder."))
    private = signing.load_private_key(Path(key_path), passphrase)
    name = signing.signer_name(Path(key_path))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        manifest = archive.build_archive(folder, out, pack.info.id, pack.info.version)
    except OSError as exc:
        raise PublishError(
            _("The archive cannot be written to {folder}: {reason}").format(
                folder=out_dir, reason=exc.strerror or exc
            )
        ) from exc
    signature = signing.sign_manifest(manifest.raw, private, name)
    archive.add_signature(out, signature)
    checked = signing.check_signature(archive.read_archive(out).manifest.raw, signature)
    return Published(
        out,
        manifest.pack_id,
        manifest.version,
        len(manifest.files),
        checked.signer,
        checked.fingerprint,
    )
