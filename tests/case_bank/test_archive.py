"""Pack archives: deterministic builds, and hostile archives refused before extraction."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from pack_fixtures import (
    build,
    manifest_for,
    member,
    pack_folder,
    rewrite_member,
    write_raw_zip,
    zeros_member,
)

from case_bank import archive
from case_bank.archive import ArchiveError, Limits


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return pack_folder(tmp_path / "src")


def test_same_folder_gives_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "a.xypack")
    for path in folder.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # timestamps must not matter
    build(folder, tmp_path / "b.xypack")
    assert (tmp_path / "a.xypack").read_bytes() == (tmp_path / "b.xypack").read_bytes()


def test_manifest_lists_every_file_with_its_hash(folder: Path, tmp_path: Path) -> None:
    (folder / ".DS_Store").write_bytes(b"junk")
    build(folder, tmp_path / "p.xypack")
    with zipfile.ZipFile(tmp_path / "p.xypack") as zf:
        doc = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    files.remove(".DS_Store")
    assert doc["format"] == 1
    assert doc["pack"] == {"id": "ecg-basics", "version": 1}
    assert [f["path"] for f in doc["files"]] == files
    for entry in doc["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert names == {*files, "manifest.json"}


def test_round_trip_extracts_identical_files(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "p.xypack")
    found = archive.read_archive(tmp_path / "p.xypack")
    assert found.signature is None
    archive.extract(found, tmp_path / "out")
    for path in folder.rglob("*"):
        if path.is_file():
            assert (tmp_path / "out" / path.relative_to(folder)).read_bytes() == path.read_bytes()


def test_symlink_in_the_pack_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    (folder / "assets" / "secret.csv").symlink_to("/etc/passwd")
    with pytest.raises(ArchiveError, match="link"):
        build(folder, tmp_path / "p.xypack")
    assert not (tmp_path / "p.xypack").exists()


def _hostile(tmp_path: Path, name: str, **changes: int) -> Path:
    data = b"x,y\n1,2\n"
    path = tmp_path / "hostile.xypack"
    manifest = manifest_for([(name, data)]) if "\\" not in name else b"{}"
    write_raw_zip(path, [member(name, data, **changes), member("manifest.json", manifest)])
    return path


@pytest.mark.parametrize(
    "name",
    ["../evil.csv", "assets/../../evil.csv", "/etc/evil.csv", "assets\\evil.csv", "C:/evil.csv"],
)
def test_unsafe_member_names_are_refused(tmp_path: Path, name: str) -> None:
    path = _hostile(tmp_path, name)
    with pytest.raises(ArchiveError, match="unsafe file name"):
        archive.read_archive(path)
    assert not (tmp_path / "evil.csv").exists()


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    path = _hostile(tmp_path, "assets/link.csv", mode=stat.S_IFLNK | 0o777)
    with pytest.raises(ArchiveError, match="link"):
        archive.read_archive(path)


def test_duplicate_names_are_refused_even_differing_only_in_case(tmp_path: Path) -> None:
    path = tmp_path / "dup.xypack"
    data = b"1"
    write_raw_zip(
        path,
        [
            member("cases/a.yaml", data),
            member("cases/A.yaml", data),
            member("manifest.json", manifest_for([("cases/a.yaml", data)])),
        ],
    )
    with pytest.raises(ArchiveError, match="twice"):
        archive.read_archive(path)


def test_too_many_members_are_refused(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "p.xypack")
    with pytest.raises(ArchiveError, match="too many files"):
        archive.read_archive(tmp_path / "p.xypack", Limits(max_members=3))


def test_member_over_the_size_limit_is_refused(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "p.xypack")
    with pytest.raises(ArchiveError, match="larger than the limit"):
        archive.read_archive(tmp_path / "p.xypack", Limits(max_file=1000))


def test_total_over_the_limit_is_refused(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "p.xypack")
    with pytest.raises(ArchiveError, match="unpacks to more"):
        archive.read_archive(tmp_path / "p.xypack", Limits(max_total=30_000))


def test_gigabyte_of_zeros_is_refused_before_extraction(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xypack"
    bomb = zeros_member("assets/zeros.bin", 1024)
    assert bomb.size == 1 << 30 and len(bomb.compressed) < 8 << 20
    manifest = manifest_for([("assets/zeros.bin", b"")])
    write_raw_zip(path, [bomb, member("manifest.json", manifest)])
    with pytest.raises(ArchiveError, match="larger than the limit"):
        archive.read_archive(path)


def test_high_ratio_is_caught_while_streaming(tmp_path: Path) -> None:
    # Within the size limits, so only the bytes counted while streaming reveal the bomb.
    path = tmp_path / "ratio.xypack"
    bomb = zeros_member("assets/zeros.bin", 40)
    manifest = manifest_for([("assets/zeros.bin", bytes(40 << 20))])  # honest about the size
    write_raw_zip(path, [bomb, member("manifest.json", manifest)])
    found = archive.read_archive(path)
    with pytest.raises(ArchiveError, match="zip bomb"):
        archive.extract(found, tmp_path / "out")


def test_header_that_lies_about_the_size_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "liar.xypack"
    bomb = zeros_member("assets/zeros.bin", 1024)
    bomb.size = 1000  # the headers claim 1000 bytes; the data inflates to 1 GB
    manifest = manifest_for([("assets/zeros.bin", bytes(1000))])
    write_raw_zip(path, [bomb, member("manifest.json", manifest)])
    found = archive.read_archive(path)
    with pytest.raises(ArchiveError):
        archive.extract(found, tmp_path / "out")


def test_truncated_archive_is_refused(folder: Path, tmp_path: Path) -> None:
    build(folder, tmp_path / "p.xypack")
    data = (tmp_path / "p.xypack").read_bytes()
    (tmp_path / "cut.xypack").write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="damaged"):
        archive.read_archive(tmp_path / "cut.xypack")


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.xypack").write_bytes(b"hello, this is not a zip file at all" * 10)
    with pytest.raises(ArchiveError, match="damaged"):
        archive.read_archive(tmp_path / "x.xypack")


def test_missing_manifest_is_refused(tmp_path: Path) -> None:
    write_raw_zip(tmp_path / "m.xypack", [member("pack.yaml", b"id: x\n")])
    with pytest.raises(ArchiveError, match="no manifest"):
        archive.read_archive(tmp_path / "m.xypack")


def test_extra_and_missing_files_are_refused(tmp_path: Path) -> None:
    manifest = manifest_for([("pack.yaml", b"a"), ("cases/x.yaml", b"b")])
    write_raw_zip(
        tmp_path / "e.xypack",
        [
            member("pack.yaml", b"a"),
            member("cases/y.yaml", b"b"),
            member("manifest.json", manifest),
        ],
    )
    with pytest.raises(ArchiveError, match=r"does not list: cases/y\.yaml"):
        archive.read_archive(tmp_path / "e.xypack")
    write_raw_zip(
        tmp_path / "m.xypack", [member("pack.yaml", b"a"), member("manifest.json", manifest)]
    )
    with pytest.raises(ArchiveError, match=r"missing from the archive: cases/x\.yaml"):
        archive.read_archive(tmp_path / "m.xypack")


def test_changed_file_is_named(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.xypack"
    build(folder, path)
    rewrite_member(path, "cases/ecg-af-001.yaml", b"id: changed\n")
    found = archive.read_archive(path)
    assert archive.check_files(found) == ["cases/ecg-af-001.yaml"]
    with pytest.raises(ArchiveError, match=r"cases/ecg-af-001\.yaml"):
        archive.extract(found, tmp_path / "out")


def test_invalid_manifest_is_refused(tmp_path: Path) -> None:
    write_raw_zip(tmp_path / "j.xypack", [member("manifest.json", b"{not json")])
    with pytest.raises(ArchiveError, match="manifest is invalid"):
        archive.read_archive(tmp_path / "j.xypack")
    newer = json.dumps({"format": 99, "pack": {"id": "x", "version": 1}, "files": []}).encode()
    write_raw_zip(tmp_path / "n.xypack", [member("manifest.json", newer)])
    with pytest.raises(ArchiveError, match="newer version"):
        archive.read_archive(tmp_path / "n.xypack")


def test_add_signature_keeps_files_and_replaces_old_signature(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.xypack"
    build(folder, path)
    archive.add_signature(path, b'{"first": 1}')
    archive.add_signature(path, b'{"second": 2}')
    found = archive.read_archive(path)
    assert found.signature == b'{"second": 2}'
    assert archive.check_files(found) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
