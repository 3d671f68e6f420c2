"""What a report needs to know about the content: the cases (their domains and AI kind)
and the training modules, built-in and from the packs installed on this PC."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from case_bank.models import Case
from courses.models import Module
from courses.practice import practice_cases
from records.db import Database

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Catalogue:
    """Cases by id and the modules, as the records are read against them."""

    cases: Mapping[str, Case]
    modules: Sequence[Module]

    @cached_property
    def practice_ids(self) -> dict[str, list[str]]:
        """The practice case ids of every module (computed once per report)."""
        bank = list(self.cases.values())
        return {m.id: [c.id for c in practice_cases(m, bank)] for m in self.modules}


def builtin_catalogue() -> Catalogue:
    """The built-in packs and modules only."""
    from case_bank.pack import builtin_packs
    from courses.loader import builtin_modules_dir, load_modules

    cases = {case.id: case for pack in builtin_packs() for case in pack.cases}
    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module is not None]
    return Catalogue(cases, modules)


def load_catalogue(db: Database, data_dir: Path) -> Catalogue:
    """Built-in content plus every usable installed pack (an installed pack replaces a
    built-in one of the same id; a damaged one is logged and skipped)."""
    from case_bank.pack import builtin_packs, load_pack
    from courses.loader import builtin_modules_dir, load_modules
    from records.packs import installed_pack_folders

    packs = {p.info.id: p for p in builtin_packs() if p.info is not None}
    for folder in installed_pack_folders(db, data_dir):
        pack = load_pack(folder)
        if pack.valid and pack.info is not None:
            packs[pack.info.id] = pack
        else:
            _log.warning("Installed pack in %s is not usable for reports", folder)
    cases = {case.id: case for pack in packs.values() for case in pack.cases}
    loaded = load_modules(builtin_modules_dir())
    for pack in packs.values():
        if (pack.folder / "modules").is_dir():
            loaded.extend(load_modules(pack.folder / "modules"))
    usable = {m.module.id: m.module for m in loaded if m.module is not None and not m.problems}
    return Catalogue(cases, list(usable.values()))
