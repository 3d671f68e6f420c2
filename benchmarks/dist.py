"""The one-folder build against running from source: size on disk, cold and warm
start-up to the login window, and peak memory.

Start-up is measured as in benchmarks/startup.py (the parent's clock just before
spawning to the window shown, and "ready" when signing in becomes possible; peak RSS
then). "Cold" first evicts the files of the variant being started from the page cache
(posix_fadvise DONTNEED on each: the build's folder, or the venv, the Python install
and the repository's packages), as after a reboot; the system's own libraries stay
cached for both. Runs alternate between the two variants.

    python benchmarks/dist.py [--runs 5] [--app dist/xiangyi]    # builds it if missing
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "packaging"))

from build import executable, folder_size  # noqa: E402
from startup import XIANGYI, _measure, _prepare  # noqa: E402

from xiangyi.installation import PACKAGES  # noqa: E402

Figures = dict[str, tuple[float, float]]


def _files(folders: Iterable[Path]) -> Iterable[Path]:
    for folder in folders:
        if folder.is_file():
            yield folder
        elif folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def evict(folders: Iterable[Path]) -> bool:
    """Drop the files' pages from the page cache; False where the OS cannot."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in _files(folders):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return True


def source_folders() -> list[Path]:
    venv = Path(sys.prefix)
    return [venv, Path(sys.base_prefix), *(ROOT / p for p in PACKAGES)]


def _median(values: list[Figures], key: str, i: int) -> float:
    return statistics.median(v.get(key, v["shown"])[i] for v in values)


def _peak(values: list[Figures]) -> float:
    return max(max(f[1] for f in v.values()) for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "xiangyi")
    args = parser.parse_args()
    app: Path = args.app.resolve()
    if not app.is_dir():
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True)
    variants = {
        "from source": ([XIANGYI], source_folders()),
        "one-folder build": ([str(executable(app, cli=False))], [app]),
    }
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    cold: dict[str, list[Figures]] = {name: [] for name in variants}
    warm: dict[str, list[Figures]] = {name: [] for name in variants}
    can_evict = True
    with tempfile.TemporaryDirectory() as tmp:
        _prepare(Path(tmp))
        env["XIANGYI_DATA_DIR"] = tmp
        for _ in range(args.runs):
            for name, (command, folders) in variants.items():
                can_evict = evict(folders) and can_evict
                cold[name].append(_measure(command, env))
                warm[name].append(_measure(command, env))
    sizes = {
        "from source": folder_size(Path(sys.prefix)) + sum(folder_size(ROOT / p) for p in PACKAGES),
        "one-folder build": folder_size(app),
    }
    built = sizes["one-folder build"]
    print(f"one-folder build {app.name}: {built / 1e6:.1f} MB ({built / 2**20:.1f} MiB) on disk")
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, medians of time")
    if not can_evict:
        print("(this OS cannot evict files from the page cache: 'cold' is not cold)")
    header = f"{'':18} {'size MiB':>9} {'cold shown':>11} {'warm shown':>11} {'warm ready':>11}"
    print(header + f" {'peak RSS MiB':>13}")
    for name in variants:
        print(
            f"{name:18} {sizes[name] / 2**20:9.1f} {_median(cold[name], 'shown', 0):11.3f} "
            f"{_median(warm[name], 'shown', 0):11.3f} {_median(warm[name], 'ready', 0):11.3f} "
            f"{_peak(warm[name]):13.1f}"
        )
    src, bundle = "from source", "one-folder build"
    for label, values, key in (
        ("cold shown", cold, "shown"),
        ("warm shown", warm, "shown"),
        ("warm ready", warm, "ready"),
    ):
        ratio = _median(values[bundle], key, 0) / _median(values[src], key, 0)
        print(f"ratio build/source, {label}: {ratio:.2f}x")
    print("(size from source: the virtual environment, test tools included, and the packages)")


if __name__ == "__main__":
    main()
