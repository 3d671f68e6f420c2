"""What a screen needs, passed in through constructors (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.pack import Pack
    from records.db import Database
    from records.tables import User


@dataclass
class AppContext:
    data_dir: Path
    db: Database
    user: User | None = None
    saved_language: str | None = None
    _packs: list[Pack] | None = None

    @property
    def packs(self) -> list[Pack]:
        """The case packs, loaded on first use: the login screen does not need them."""
        if self._packs is None:
            from case_bank.pack import builtin_packs

            self._packs = builtin_packs()
        return self._packs

    def find_case(self, pack_id: str, case_id: str) -> tuple[Pack, Case] | None:
        for pack in self.packs:
            if pack.info and pack.info.id == pack_id:
                for case in pack.cases:
                    if case.id == case_id:
                        return pack, case
        return None
