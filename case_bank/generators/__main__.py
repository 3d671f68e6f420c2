"""Rebuild (or, with ``--check``, verify) every generated asset of the built-in content.

    python -m case_bank.generators            # rewrite all assets
    python -m case_bank.generators --check    # exit 1 if any committed file differs
    python -m case_bank.generators fundus     # only one generator

A developer tool: its output is not translated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from case_bank.generators import available_modules, builtin_assets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", choices=[*available_modules(), []], metavar="NAME")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale: list[Path] = []
    assets = builtin_assets(args.names or None)
    for path, make in sorted(assets.items()):
        data = make()
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path}")
    if args.check:
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        print(f"{len(assets) - len(stale)} of {len(assets)} assets current")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
