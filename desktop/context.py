"""What a screen needs, passed in through constructors (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from case_bank.pack import Pack
    from records.db import Database
    from records.tables import User


@dataclass
class AppContext:
    data_dir: Path
    db: Database
    packs: list[Pack] = field(default_factory=list)
    user: User | None = None
    saved_language: str | None = None

    def find_case(self, pack_id: str, case_id: str) -> tuple[Pack, object] | None:
        for pack in self.packs:
            if pack.info and pack.info.id == pack_id:
                for case in pack.cases:
                    if case.id == case_id:
                        return pack, case
        return None
