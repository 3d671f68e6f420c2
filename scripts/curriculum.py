"""Print the coverage table of the built-in curriculum (cases by domain, AI kind, AI
error and difficulty; AI-error share per pack)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from case_bank.pack import builtin_packs_dir, load_pack
from courses.curriculum import coverage, format_table


def main() -> int:
    packs = [load_pack(p.parent) for p in sorted(builtin_packs_dir().glob("*/pack.yaml"))]
    cases = [case for pack in packs for case in pack.cases]
    per_pack = {pack.info.id: coverage(pack.cases) for pack in packs if pack.info}
    print(format_table(coverage(cases), per_pack))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
