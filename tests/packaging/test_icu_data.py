"""The Linux build's smaller ICU data (packaging/icu_data.py): what it keeps, that it
refuses what it does not understand, and that Qt gives the same answers with it for
Chinese and English as with the full data."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import icu_data  # noqa: E402


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("root.res", True),
        ("zh.res", True),
        ("zh_Hans_CN.res", True),
        ("en_GB.res", True),
        ("coll/zh.res", True),
        ("coll/ucadata.icu", True),
        ("zone/zh_Hant.res", True),
        ("pool.res", True),
        ("res_index.res", True),
        ("supplementalData.res", True),
        ("brkitr/word.brk", True),
        ("gb18030.cnv", True),
        ("de.res", False),
        ("coll/ja.res", False),
        ("yue_Hans.res", False),
        ("translit/root.res", False),
        ("brkitr/cjdict.dict", False),
        ("ibm-1390_P110-2003.cnv", False),
        ("unames.icu", False),
    ],
)
def test_keeps_chinese_english_and_shared_tables(name: str, kept: bool) -> None:
    assert icu_data.keep(name) is kept


def _archive(items: dict[str, bytes]) -> bytes:
    """A little-endian ICU common-data archive the way ICU's tools lay it out."""
    info = struct.pack("<HHBBBB4s4s4s", 20, 0, 0, 0, 2, 0, b"CmnD", b"\1\0\0\0", b"\0" * 4)
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + info
    header += b"\0" * (32 - len(header))
    names = b"".join(f"icudt73l/{n}".encode() + b"\0" for n in items)
    table = 4 + 8 * len(items)
    start = table + len(names) + (-(32 + table + len(names)) % 16)
    entries, body, name_at = struct.pack("<I", len(items)), b"", table
    for name, data in items.items():
        entries += struct.pack("<II", name_at, start + len(body))
        name_at += len(f"icudt73l/{name}") + 1
        body += data + b"\0" * (-len(data) % 16)
    return header + entries + names + b"\0" * (start - table - len(names)) + body


REQUIRED = {name: name.encode() * 3 for name in icu_data.REQUIRED}


def test_trimmed_archive_reads_back_with_the_kept_items() -> None:
    items = dict(sorted({**REQUIRED, "de.res": b"Deutsch", "pool.res": b"pool"}.items()))
    data, dropped = icu_data.trimmed(_archive(items))
    assert dropped == ["icudt73l/de.res"]
    _header, back = icu_data._items(data)
    assert [name for name, _ in back] == [f"icudt73l/{n}" for n in items if n != "de.res"]
    for name, blob in back:
        assert blob.rstrip(b"\0") == items[name.partition("/")[2]]
    assert all(
        struct.unpack_from("<I", data, 32 + 8 + 8 * i)[0] % 16 == 0 for i in range(len(back))
    )


def test_refuses_what_is_not_icu_data() -> None:
    with pytest.raises(icu_data.IcuDataError, match="not a little-endian ICU"):
        icu_data.trimmed(b"\x20\0\x00\x00" + b"\0" * 60)
    with pytest.raises(icu_data.IcuDataError, match="too short"):
        icu_data.trimmed(b"\0")
    with pytest.raises(icu_data.IcuDataError, match=r"required items missing: zh\.res"):
        icu_data.trimmed(_archive({k: v for k, v in REQUIRED.items() if k != "zh.res"}))


def test_a_damaged_table_is_refused_not_a_crash() -> None:
    good = _archive(REQUIRED)
    too_many = good[:32] + struct.pack("<I", 10**6) + good[36:]
    with pytest.raises(icu_data.IcuDataError, match="damaged table of contents"):
        icu_data.trimmed(too_many)
    with pytest.raises(icu_data.IcuDataError, match="damaged table of contents"):
        icu_data.trimmed(good[:40])  # cut inside the table


def test_refuses_a_library_without_icu_data(tmp_path: Path) -> None:
    not_elf = tmp_path / "libicudata.so.73"
    not_elf.write_bytes(b"MZ" + b"\0" * 100)
    with pytest.raises(icu_data.IcuDataError, match="not a 64-bit little-endian ELF"):
        icu_data.build_library(not_elf, tmp_path / "out.so")
    cut = tmp_path / "libicudata.so.74"
    cut.write_bytes(b"\x7fELF\x02\x01" + b"\0" * 40)  # an ELF header cut short
    with pytest.raises(icu_data.IcuDataError, match="damaged ELF file"):
        icu_data.build_library(cut, tmp_path / "out.so")


QT_PROBE = r"""
import functools
from PySide6.QtCore import QCollator, QLocale, QTimeZone
names = ["张伟", "李娜", "王芳", "阿明", "赵磊", "欧阳", "Zhou", "anna", "Émile", "Bob"]
for tag in ("zh_CN", "en_US", "en_GB"):
    locale = QLocale(tag)
    print(tag, sorted(names, key=functools.cmp_to_key(QCollator(locale).compare)))
    print(locale.toUpper("istanbul straße"), locale.toLower("ÉMILE"))
    for zone in (b"Asia/Shanghai", b"Asia/Urumqi", b"UTC"):
        print(QTimeZone(zone).displayName(QTimeZone.TimeType.StandardTime,
                                          QTimeZone.NameType.LongName, locale))
print([m for m in open("/proc/self/maps").read().split() if "libicudata" in m][:1])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt ships ICU on Linux only")
def test_qt_answers_the_same_in_chinese_and_english(tmp_path: Path) -> None:
    import PySide6

    original = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert shutil.which("cc") or shutil.which("gcc"), "the build needs a C compiler"
    trimmed = tmp_path / original.name
    before, after, dropped = icu_data.build_library(original, trimmed)
    assert after < before / 4 and len(dropped) > 1000

    def probe(preload: Path | None) -> list[str]:
        env = dict(os.environ, **({"LD_PRELOAD": str(preload)} if preload else {}))
        out = subprocess.run(
            [sys.executable, "-c", QT_PROBE], env=env, capture_output=True, text=True, check=True
        ).stdout.splitlines()
        return out

    full, small = probe(None), probe(trimmed)
    assert str(trimmed) in small[-1] and str(trimmed) not in full[-1]
    assert small[:-1] == full[:-1]
    assert "中国标准时间" in small
