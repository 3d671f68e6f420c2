"""Build the one-folder app: ``python packaging/build.py [--check]`` (``make dist``).

Compiles the catalogues, runs PyInstaller on packaging/xiangyi.spec, and prints the
build time and the folder's size. ``--check`` then runs ``xiangyi --self-test`` on the
result (offscreen when there is no display). Works on Windows and Linux alike; the
result is ``dist/xiangyi/`` (``xiangyi.exe`` and ``xiangyi-cli.exe`` on Windows), or
``dist/xiangyi-county/`` with ``--edition county`` (the county hub's, with PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAME = "xiangyi"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executable(dist_folder: Path, cli: bool = True) -> Path:
    """The program to run from a shell: xiangyi-cli.exe on Windows, xiangyi elsewhere."""
    if sys.platform == "win32":
        return dist_folder / (f"{NAME}-cli.exe" if cli else f"{NAME}.exe")
    return dist_folder / NAME


def compile_catalogues() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "-d",
            str(ROOT / "xiangyi" / "locale"),
            "-D",
            "xiangyi",
        ],
        check=True,
        capture_output=True,
    )


EDITIONS = ("clinic", "county")


def folder_name(edition: str) -> str:
    """dist/xiangyi for the clinic edition, dist/xiangyi-county for the county hub's."""
    return NAME if edition == "clinic" else f"{NAME}-{edition}"


def build(dist: Path, work: Path, *, quiet: bool = True, edition: str = "clinic") -> Path:
    """Run PyInstaller; returns the app folder."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
    compile_catalogues()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--log-level",
        "WARN" if quiet else "INFO",
        str(HERE / f"{NAME}.spec"),
    ]
    env = dict(os.environ, XIANGYI_EDITION=edition)
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return dist / folder_name(edition)


def self_test_env() -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, help="PyInstaller's work folder (build/pyinstaller/<edition>)"
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default="clinic",
        help="clinic (default; no PostgreSQL driver) or county (for the county hub)",
    )
    parser.add_argument("--check", action="store_true", help="run --self-test on the build")
    parser.add_argument("--verbose", action="store_true", help="PyInstaller's full log")
    args = parser.parse_args()
    started = time.perf_counter()
    work = args.work or ROOT / "build" / "pyinstaller" / args.edition
    app = build(args.dist.resolve(), work.resolve(), quiet=not args.verbose, edition=args.edition)
    seconds = time.perf_counter() - started
    print(f"built {app} in {seconds:.0f} s, {folder_size(app) / 2**20:.1f} MiB on disk")
    if args.check:
        result = subprocess.run(
            [str(executable(app)), "--self-test"], env=self_test_env(), check=False
        )
        return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
