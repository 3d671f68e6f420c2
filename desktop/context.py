"""What a screen needs, passed in through constructors (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.pack import Pack
    from courses.loader import LoadedModule
    from desktop.activity import ActivityMonitor
    from records.db import Database
    from records.tables import User


@dataclass
class AppContext:
    data_dir: Path
    db: Database
    user: User | None = None
    saved_language: str | None = None
    activity: ActivityMonitor | None = None
    _packs: list[Pack] | None = None
    _modules: list[LoadedModule] | None = None

    @property
    def packs(self) -> list[Pack]:
        """The case packs, loaded on first use: the login screen does not need them."""
        if self._packs is None:
            self._packs = load_all_packs(self.db, self.data_dir)
        return self._packs

    @property
    def modules(self) -> list[LoadedModule]:
        """Valid training modules whose cases are in the loaded packs."""
        if self._modules is None:
            from courses.loader import KnownIds, builtin_modules_dir, load_modules

            known = KnownIds(cases=frozenset(c.id for p in self.packs for c in p.cases))
            loaded = load_modules(builtin_modules_dir(), known)
            # A trainer's pack may carry modules in <pack>/modules/<id>/, signed with it.
            for pack in self.packs:
                if (pack.folder / "modules").is_dir():
                    loaded.extend(load_modules(pack.folder / "modules", known))
            usable: dict[str, LoadedModule] = {}
            for item in loaded:
                if item.module is not None and not item.problems:
                    usable[item.module.id] = item  # a pack's module replaces a built-in one
            self._modules = list(usable.values())
        return self._modules

    def bank(self) -> list[Case]:
        return [case for pack in self.packs for case in pack.cases]

    def cases_by_pack(self) -> dict[str, list[Case]]:
        return {pack.info.id: pack.cases for pack in self.packs if pack.info is not None}

    def pack_of(self, case_id: str) -> Pack | None:
        for pack in self.packs:
            if any(case.id == case_id for case in pack.cases):
                return pack
        return None

    def active_seconds(self) -> float | None:
        """Active time since the last call, or None when no monitor runs (wall clock used)."""
        return self.activity.take() if self.activity is not None else None

    def find_case(self, pack_id: str, case_id: str) -> tuple[Pack, Case] | None:
        for pack in self.packs:
            if pack.info and pack.info.id == pack_id:
                for case in pack.cases:
                    if case.id == case_id:
                        return pack, case
        return None


def load_all_packs(db: Database, data_dir: Path) -> list[Pack]:
    """Built-in packs, then installed ones; a damaged installed pack is logged and skipped.

    An installed pack with the same ID as a built-in one replaces it (a newer edition).
    """
    import logging

    from case_bank.pack import builtin_packs, load_pack
    from records.packs import installed_pack_folders

    packs = {p.info.id: p for p in builtin_packs() if p.info is not None}
    for folder in installed_pack_folders(db, data_dir):
        pack = load_pack(folder)
        if pack.valid and pack.info is not None:
            packs[pack.info.id] = pack
        else:
            logging.getLogger(__name__).warning(
                "Installed pack in %s is not usable: %s", folder, pack.problems[:3]
            )
    return list(packs.values())
