"""Time and peak memory of validating, building, signing and installing large packs.

Generates packs of 100 and 500 cases (the built-in ECG case as template, each with
its own signal and a 512×512 PNG), then runs each step through the real ``xiangyi``
command in a child process and reports wall time and that child's peak RSS.

    .venv/bin/python benchmarks/packs.py [--sizes 100 500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from case_bank.pack import builtin_packs_dir  # noqa: E402

XIANGYI = Path(sys.executable).parent / "xiangyi"
TEMPLATE = "ecg-af-001"
PASSPHRASE = "benchmark passphrase"
ADMIN_PASSWORD = "admin-pass-1"


def png_bytes(pixels: np.ndarray) -> bytes:
    """A greyscale 8-bit PNG written with zlib alone (no imaging library needed)."""
    height, width = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def synthetic_film(seed: int, size: int = 512) -> np.ndarray:
    """A chest-film-like picture: soft background, two lung fields, a little noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    image = 90 + 60 * np.exp(-((x - 0.5) ** 2) / 0.08)
    for cx in (0.32, 0.68):
        lung = ((x - cx) / 0.16) ** 2 + ((y - 0.5) / 0.3) ** 2 < 1
        image[lung] -= 55
    image += rng.normal(0, 3, (size, size))
    return np.clip(image, 0, 255).astype(np.uint8)


def generate_pack(folder: Path, cases: int) -> None:
    source = builtin_packs_dir() / "ecg-basics"
    (folder / "cases").mkdir(parents=True)
    (folder / "assets").mkdir()
    info = (source / "pack.yaml").read_text(encoding="utf-8")
    info = re.sub(r"(?m)^id: .*$", f"id: bench-{cases}", info)
    (folder / "pack.yaml").write_text(info, encoding="utf-8")
    case_text = (source / "cases" / f"{TEMPLATE}.yaml").read_text(encoding="utf-8")
    signal = (source / "assets" / f"{TEMPLATE}.csv").read_bytes()
    for number in range(cases):
        case_id = f"bench-{number:04d}"
        text = case_text.replace(f"id: {TEMPLATE}", f"id: {case_id}", 1)
        text = text.replace(f"assets/{TEMPLATE}.csv", f"assets/{case_id}.csv")
        (folder / "cases" / f"{case_id}.yaml").write_text(text, encoding="utf-8")
        (folder / "assets" / f"{case_id}.csv").write_bytes(signal)
        (folder / "assets" / f"{case_id}.png").write_bytes(png_bytes(synthetic_film(number)))


def timed(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float]:
    """Run ``xiangyi args`` and return (seconds, peak RSS in MB) of that child alone."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(XIANGYI), *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    child.stdin.write(stdin)
    child.stdin.close()
    out, err = child.stdout.read(), child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"xiangyi {' '.join(args)} failed:\n{out[-2000:]}\n{err[-2000:]}")
    peak_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return seconds, peak_kb / 1024


def bench(size: int, work: Path) -> dict[str, tuple[float, float]]:
    data = work / f"data-{size}"
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data), XIANGYI_LANG="en")
    folder = work / f"pack-{size}"
    generate_pack(folder, size)
    megabytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
    print(f"\n{size} cases, {megabytes:.1f} MB in {len(list(folder.rglob('*.*')))} files")
    setup = [
        (["users", "add", "admin", "--name", "Admin", "--role", "admin", "--password-stdin"],
         ADMIN_PASSWORD + "\n"),
        (["keys", "new", "bench", "--out", str(work / f"keys-{size}"), "--passphrase-stdin"],
         PASSPHRASE + "\n"),
        (["keys", "trust", str(work / f"keys-{size}" / "bench.public.json"), "--as", "admin",
          "--password-stdin"], ADMIN_PASSWORD + "\n"),
    ]  # fmt: skip
    for args, stdin in setup:
        timed(args, env, stdin)
    archive = work / f"bench-{size}.xypack"
    key = work / f"keys-{size}" / "bench.private.pem"
    steps = {
        "start-up (pack list)": (["pack", "list"], ""),
        "validate": (["pack", "validate", str(folder)], ""),
        "build": (["pack", "build", str(folder), "-o", str(archive)], ""),
        "sign": (["pack", "sign", str(archive), "--key", str(key), "--passphrase-stdin"],
                 PASSPHRASE + "\n"),
        "verify": (["pack", "verify", str(archive)], ""),
        "install": (["pack", "install", str(archive)], ""),
    }  # fmt: skip
    results = {}
    for name, (args, stdin) in steps.items():
        results[name] = timed(args, env, stdin)
        seconds, peak = results[name]
        print(f"  {name:<22} {seconds:7.2f} s   peak {peak:6.1f} MB")
    print(f"  archive size {archive.stat().st_size / 1e6:.1f} MB")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--keep", help="folder to work in (kept afterwards)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="xiangyi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        runs = {size: bench(size, work) for size in args.sizes}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if len(runs) < 2:
        return
    small, large = min(runs), max(runs)
    base_small = runs[small]["start-up (pack list)"][0]
    base_large = runs[large]["start-up (pack list)"][0]
    print(f"\nPer-case time, {large} vs {small} cases (start-up subtracted; 1.0 = linear)")
    for step in list(runs[small])[1:]:
        per_small = (runs[small][step][0] - base_small) / small
        per_large = (runs[large][step][0] - base_large) / large
        ratio = per_large / per_small if per_small > 0 else float("nan")
        print(
            f"  {step:<10} {per_small * 1000:7.2f} ms/case → {per_large * 1000:7.2f} ms/case"
            f"   ratio {ratio:4.2f}"
        )


if __name__ == "__main__":
    main()
