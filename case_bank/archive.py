"""Pack archives (``.xypack``): deterministic building and safe, bounded reading.

A pack archive is a zip holding every file of a pack folder, a ``manifest.json``
(format, pack id and version, SHA-256 and size of every file) and, once signed,
a ``signature.json`` over the exact manifest bytes (see ``case_bank.signing``).

Reading treats the archive as hostile: member names, kinds, counts and sizes are
checked before anything is written, and sizes are enforced again while streaming
(bytes actually decompressed are counted; header sizes are never trusted).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from case_bank.manifest import (
    ARCHIVE_FORMAT,
    MANIFEST,
    RESERVED,
    SIGNATURE,
    ArchiveError,
    Manifest,
    ManifestEntry,
    check_member_name,
    manifest_bytes,
    parse_manifest,
)
from xiangyi.i18n import _

__all__ = [
    "ARCHIVE_FORMAT",
    "MANIFEST",
    "SIGNATURE",
    "Archive",
    "ArchiveError",
    "Limits",
    "Manifest",
    "ManifestEntry",
    "add_signature",
    "build_archive",
    "check_files",
    "check_member_name",
    "extract",
    "read_archive",
]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 16
MAX_MANIFEST_BYTES = 16_000_000
MAX_SIGNATURE_BYTES = 64_000
STORED_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Limits:
    """Bounds on what an archive may unpack to (zip bombs, exhausted disks)."""

    max_members: int = 20_000
    max_file: int = 50 * 1024 * 1024
    max_total: int = 200 * 1024 * 1024
    max_ratio: int = 100
    # Tiny, highly regular files (a CSV of zeros) may compress far better than
    # 100:1 without harm; the ratio applies once a member exceeds this size.
    ratio_slack: int = 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Archive:
    """The checked listing of an archive: its manifest and optional signature."""

    path: Path
    manifest: Manifest
    signature: bytes | None


def _zip_info(name: str) -> zipfile.ZipInfo:
    """A member header that is the same on every PC (fixed time, mode and system).

    Already-compressed images are stored as they are: deflating them again costs
    time and saves nothing.
    """
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    stored = name.lower().endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def pack_files(folder: Path) -> list[str]:
    """Relative POSIX paths of the files a pack archive holds, in a stable order.

    Hidden files and folders (``.git``, ``.DS_Store``) are left out; a symbolic
    link is refused because it could pull in a file from outside the pack.
    """
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in list(dirs):
            if (base / name).is_symlink():
                raise ArchiveError(
                    _("The pack folder contains a link, which is not allowed: {name}").format(
                        name=(base / name).relative_to(folder).as_posix()
                    )
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in files:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if name.startswith(".") or rel in RESERVED:
                continue
            if path.is_symlink() or not path.is_file():
                raise ArchiveError(
                    _("The pack folder contains a link, which is not allowed: {name}").format(
                        name=rel
                    )
                )
            found.append(rel)
    return sorted(found)


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """Write ``target`` through a temporary file beside it, replaced only on success."""
    target = Path(target)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); a pack is handed out, so the usual
        # readable-by-all mode applies (subject to the user's umask).
        os.chmod(temp, 0o644)
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def build_archive(folder: Path, out: Path, pack_id: str, version: int) -> Manifest:
    """Zip every file of ``folder`` plus a manifest into ``out``; same folder, same bytes."""
    folder = Path(folder)
    entries: list[ManifestEntry] = []
    with atomic_output(Path(out)) as handle, zipfile.ZipFile(handle, "w") as zf:
        for rel in pack_files(folder):
            digest = hashlib.sha256()
            size = 0
            with (folder / rel).open("rb") as src, zf.open(_zip_info(rel), "w") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
            entries.append(ManifestEntry(rel, digest.hexdigest(), size))
        raw = manifest_bytes(pack_id, version, entries)
        zf.writestr(_zip_info(MANIFEST), raw)
    return Manifest(ARCHIVE_FORMAT, pack_id, version, tuple(entries), raw)


def _check_listing(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise ArchiveError(
            _("The archive has too many files ({count}; at most {limit}).").format(
                count=len(infos), limit=limits.max_members
            )
        )
    seen: set[str] = set()
    declared = 0
    for info in infos:
        check_member_name(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(
                _("The archive contains a link, which is not allowed: {name}").format(
                    name=info.filename
                )
            )
        if info.is_dir() or info.flag_bits & 0x1:
            raise ArchiveError(
                _("The archive contains an entry that is not a plain file: {name}").format(
                    name=info.filename
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(
                _("The archive uses an unsupported compression for {name}.").format(
                    name=info.filename
                )
            )
        key = info.filename.casefold()  # Windows and macOS folders ignore case
        if key in seen:
            raise ArchiveError(
                _("The archive contains the file {name} twice.").format(name=info.filename)
            )
        seen.add(key)
        if info.file_size > limits.max_file:
            raise _too_large(info.filename, limits)
        declared += info.file_size
        if declared > limits.max_total:
            raise _total_too_large(limits)


def _too_large(name: str, limits: Limits) -> ArchiveError:
    return ArchiveError(
        _("The file {name} in the archive is larger than the limit of {mb} MB.").format(
            name=name, mb=limits.max_file // (1024 * 1024)
        )
    )


def _total_too_large(limits: Limits) -> ArchiveError:
    return ArchiveError(
        _("The archive unpacks to more than the limit of {mb} MB.").format(
            mb=limits.max_total // (1024 * 1024)
        )
    )


def _damaged(path: Path) -> ArchiveError:
    return ArchiveError(
        _("{name} is not a pack archive or is damaged (incomplete copy?).").format(name=path.name)
    )


class _Budget:
    """Counts bytes actually decompressed, across members and per member."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0

    def stream(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int
    ) -> Generator[bytes, None, None]:
        count = 0
        ratio_cap = max(info.compress_size, 1) * self.limits.max_ratio + self.limits.ratio_slack
        with zf.open(info) as member:
            while chunk := member.read(CHUNK):
                count += len(chunk)
                self.total += len(chunk)
                if count > cap:
                    raise _too_large(info.filename, self.limits)
                if self.total > self.limits.max_total:
                    raise _total_too_large(self.limits)
                if count > ratio_cap:
                    raise ArchiveError(
                        _(
                            "The file {name} in the archive expands far more than real content "
                            "does (a 'zip bomb') and was refused."
                        ).format(name=info.filename)
                    )
                yield chunk

    def read_all(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
        return b"".join(self.stream(zf, info, cap))


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as zf:
            yield zf
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        raise _damaged(path) from exc
    except NotImplementedError as exc:  # zipfile's word for an unsupported compression method
        raise _damaged(path) from exc
    except FileNotFoundError as exc:
        raise ArchiveError(_("The file {name} does not exist.").format(name=path)) from exc
    except (IsADirectoryError, PermissionError) as exc:
        raise ArchiveError(_("The file {name} cannot be read.").format(name=path)) from exc


def read_archive(path: Path, limits: Limits = DEFAULT_LIMITS) -> Archive:
    """Check the listing and read the manifest (and signature) without extracting."""
    path = Path(path)
    with _open_zip(path) as zf:
        infos = zf.infolist()
        _check_listing(infos, limits)
        by_name = {info.filename: info for info in infos}
        if MANIFEST not in by_name:
            raise ArchiveError(
                _("{name} has no manifest; build it with 'xiangyi pack build'.").format(
                    name=path.name
                )
            )
        budget = _Budget(limits)
        manifest = parse_manifest(budget.read_all(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES))
        signature = None
        if SIGNATURE in by_name:
            signature = budget.read_all(zf, by_name[SIGNATURE], MAX_SIGNATURE_BYTES)
        listed = {e.path for e in manifest.files}
        present = set(by_name) - RESERVED
        if extra := sorted(present - listed):
            raise ArchiveError(
                _("The archive contains files its manifest does not list: {names}").format(
                    names=", ".join(extra[:20])
                )
            )
        if missing := sorted(listed - present):
            raise ArchiveError(
                _("Files listed in the manifest are missing from the archive: {names}").format(
                    names=", ".join(missing[:20])
                )
            )
    return Archive(path, manifest, signature)


def check_files(
    archive: Archive, dest: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[str]:
    """Stream every listed file, compare with the manifest, optionally write to ``dest``.

    Returns the names of files whose content differs from the manifest (tampered);
    raises ArchiveError for damaged archives and exceeded limits. ``dest`` must be
    a new, empty folder the caller removes if anything goes wrong.
    """
    changed: list[str] = []
    budget = _Budget(limits)
    with _open_zip(archive.path) as zf:
        for entry in archive.manifest.files:
            info = zf.getinfo(entry.path)
            digest = hashlib.sha256()
            size = 0
            out: IO[bytes] | None = None
            if dest is not None:
                target = dest / entry.path
                target.parent.mkdir(parents=True, exist_ok=True)
                out = target.open("xb")
            chunks = budget.stream(zf, info, limits.max_file)
            try:
                for chunk in chunks:
                    size += len(chunk)
                    if size > entry.size:
                        break  # longer than the manifest says: changed, stop reading
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
            finally:
                chunks.close()
                if out is not None:
                    out.close()
            if size != entry.size or digest.hexdigest() != entry.sha256:
                changed.append(entry.path)
    return changed


def extract(archive: Archive, dest: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Extract into the new folder ``dest``; any changed file raises ArchiveError."""
    dest.mkdir(parents=True)
    changed = check_files(archive, dest, limits)
    if changed:
        raise tampered_error(changed)


def tampered_error(changed: list[str]) -> ArchiveError:
    return ArchiveError(
        _("The archive was changed after it was built; these files differ: {names}").format(
            names=", ".join(changed)
        )
    )


def add_signature(path: Path, signature: bytes) -> None:
    """Put ``signature.json`` into the archive (replacing any older one), atomically.

    The first signature is appended to a copy of the archive; re-signing rewrites it.
    Either way the original is replaced only once the new file is complete.
    """
    path = Path(path)
    with _open_zip(path) as src:
        signed_before = SIGNATURE in src.namelist()
    if not signed_before:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        try:
            shutil.copyfile(path, temp)
            shutil.copymode(path, temp)
            with zipfile.ZipFile(temp, "a") as dst:
                dst.writestr(_zip_info(SIGNATURE), signature)
            with open(temp, "rb+") as synced:
                os.fsync(synced.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return
    with (
        _open_zip(path) as src,
        atomic_output(path) as out,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            if info.filename == SIGNATURE:
                continue
            with src.open(info) as reader, dst.open(_zip_info(info.filename), "w") as writer:
                while chunk := reader.read(CHUNK):
                    writer.write(chunk)
        dst.writestr(_zip_info(SIGNATURE), signature)
