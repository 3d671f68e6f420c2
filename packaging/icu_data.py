"""A smaller ICU data library for the Linux build: Chinese and English only.

Qt's Linux libraries link ICU, and ``libicudata.so`` carries the data of every locale,
converter, transliterator and word-break dictionary ICU knows: 31 MiB, the largest file
in the build. Qt uses ICU for locale-aware comparison and case mapping (QCollator,
``QString::localeAwareCompare``), time-zone names and text codecs; the app runs in
Chinese or English. So the build keeps the data of the root, ``en`` and ``zh`` locales
(with their regional variants), the shared tables every locale needs (supplemental
data, plural rules, time zones, collation root, break rules), and GB18030; it leaves out
other locales, transliteration, the word-break dictionaries (Qt finds word boundaries
itself) and the legacy code pages. A locale that is not kept falls back to root, as ICU
does for any locale it has no data for.

The data is ICU's "common data" archive (``ucmndata.h``): a header, a table of contents
(``count``, then ``count`` pairs of name and data offsets from the table's start, names
sorted), the names, then the items, each 16-byte aligned. ``trimmed()`` reads the archive
out of the library's ``icudt<N>_dat`` symbol, keeps what ``keep()`` accepts, and rebuilds
the table; ``build_library()`` wraps it in a shared library of the same soname and symbol
with the C compiler. Windows builds of Qt do not ship ICU, so none of this runs there.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

LANGUAGES_KEPT = frozenset({"root", "en", "zh"})
CONVERTERS_KEPT = frozenset({"gb18030.cnv"})
# Items every build must still hold (checked after trimming).
REQUIRED = ("root.res", "en.res", "zh.res", "zh_Hans_CN.res", "coll/zh.res", "coll/ucadata.icu")
ALIGN = 16
_LOCALE = re.compile(r"^(?P<language>[a-z]{2,3})(?:_[A-Za-z0-9]+)*$")
_SYMBOL = re.compile(r"^icudt\d+_dat$")


class IcuDataError(ValueError):
    """The library is not the ICU data this module knows how to trim."""


def keep(name: str) -> bool:
    """Whether the build keeps the item called ``name`` (without the package prefix,
    e.g. ``coll/zh.res``)."""
    folder, _, base = name.rpartition("/")
    if folder == "translit" or base.endswith(".dict"):
        return False
    if base.endswith(".cnv"):
        return base in CONVERTERS_KEPT
    if base == "unames.icu":  # Unicode character names: u_charName, which Qt never calls
        return False
    stem, _, extension = base.rpartition(".")
    match = _LOCALE.match(stem)
    if extension != "res" or stem == "res_index" or match is None:
        return True
    return match.group("language") in LANGUAGES_KEPT


def _items(archive: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The archive's header bytes and its items, as (full name, data) in table order."""
    if len(archive) < 32:
        raise IcuDataError("too short for ICU data")
    header_size, magic1, magic2 = struct.unpack_from("<HBB", archive, 0)
    if (magic1, magic2) != (0xDA, 0x27) or archive[12:16] != b"CmnD" or archive[8] != 0:
        raise IcuDataError("not a little-endian ICU common-data archive")
    try:
        return archive[:header_size], _table(archive[header_size:])
    except (struct.error, ValueError, IndexError) as error:  # UnicodeDecodeError is one
        raise IcuDataError(f"damaged table of contents: {error}") from error


def _table(toc: bytes) -> list[tuple[str, bytes]]:
    (count,) = struct.unpack_from("<I", toc, 0)
    if 4 + 8 * count > len(toc):
        raise ValueError(f"{count} entries do not fit")
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    offsets = [data for _name, data in entries]
    if offsets != sorted(offsets):
        raise IcuDataError("items are not stored in table order")
    if offsets and offsets[-1] > len(toc):
        raise ValueError("an item lies past the end")
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = offsets[i + 1] if i + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return items


def _pad(size: int) -> int:
    return -size % ALIGN


def trimmed(archive: bytes) -> tuple[bytes, list[str]]:
    """The archive with only the kept items, and the names of those left out."""
    header, items = _items(archive)
    kept = [(name, data) for name, data in items if keep(name.partition("/")[2])]
    dropped = [name for name, _data in items if not keep(name.partition("/")[2])]
    present = {name.partition("/")[2] for name, _data in kept}
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        raise IcuDataError(f"required items missing: {', '.join(missing)}")
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in kept)
    table_size = 4 + 8 * len(kept)
    data_start = table_size + len(names)
    data_start += _pad(len(header) + data_start)
    table = bytearray(struct.pack("<I", len(kept)))
    body = bytearray()
    name_at = table_size
    for name, data in kept:
        table += struct.pack("<II", name_at, data_start + len(body))
        name_at += len(name) + 1
        body += data + b"\0" * _pad(len(data))
    padding = b"\0" * (data_start - table_size - len(names))
    return header + bytes(table) + names + padding + bytes(body), dropped


def _elf_symbol(library: Path) -> tuple[str, int, int]:
    """Name, file offset and size of the data symbol (icudt<N>_dat) in an ELF library."""
    blob = library.read_bytes()
    if blob[:4] != b"\x7fELF" or blob[4] != 2 or blob[5] != 1:
        raise IcuDataError(f"{library.name}: not a 64-bit little-endian ELF library")
    (section_at,) = struct.unpack_from("<Q", blob, 0x28)
    entry_size, count, names_index = struct.unpack_from("<HHH", blob, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", blob, section_at + i * entry_size) for i in range(count)
    ]
    strings_at = sections[names_index][4]

    def section_name(section: tuple[int, ...]) -> str:
        start = strings_at + section[0]
        return blob[start : blob.index(b"\0", start)].decode()

    by_name = {section_name(s): s for s in sections}
    symbols, strings = by_name.get(".dynsym"), by_name.get(".dynstr")
    if symbols is None or strings is None:
        raise IcuDataError(f"{library.name}: no dynamic symbol table")
    for i in range(symbols[5] // 24):
        name_at, _info, _other, index, value, size = struct.unpack_from(
            "<IBBHQQ", blob, symbols[4] + i * 24
        )
        start = strings[4] + name_at
        name = blob[start : blob.index(b"\0", start)].decode()
        if _SYMBOL.match(name) and 0 < index < count:
            section = sections[index]
            return name, value - section[3] + section[4], size
    raise IcuDataError(f"{library.name}: no icudt<N>_dat symbol")


def build_library(
    original: Path, target: Path, compiler: str | None = None
) -> tuple[int, int, list[str]]:
    """Write a trimmed copy of the ICU data library ``original`` to ``target``.

    Returns the sizes before and after and the names left out. The new library has the
    original's soname and exports the same symbol, so ``libicuuc`` finds it unchanged.
    """
    compiler = compiler or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise IcuDataError("no C compiler to build the ICU data library")
    try:
        symbol, offset, size = _elf_symbol(original)
    except (struct.error, ValueError, IndexError) as error:
        raise IcuDataError(f"{original.name}: damaged ELF file: {error}") from error
    archive = original.read_bytes()[offset : offset + size]
    data, dropped = trimmed(archive)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "icudata.bin").write_bytes(data)
        (work / "icudata.S").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            f"\t.balign {ALIGN}\n"
            f"{symbol}:\n"
            f'\t.incbin "{work / "icudata.bin"}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                compiler,
                "-shared",
                "-nostdlib",
                f"-Wl,-soname,{original.name}",
                "-o",
                str(target),
                str(work / "icudata.S"),
            ],
            check=True,
        )
    return original.stat().st_size, target.stat().st_size, dropped
