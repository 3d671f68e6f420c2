"""Case player figures: case-to-case time, a 12-lead ECG and a 2048 × 2048 X-ray, with memory.

Runs the real PlayerScreen offscreen against a fresh data folder with one learner,
playing the built-in packs and the one-case-per-kind fixture pack. "Drawn" means the
widget tree has been painted into an image (``grab``), after pending events ran.

    python benchmarks/player.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This folder holds scripts named like packages (assessments.py): keep it off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "desktop")]
FIXTURE_PACK = ROOT / "tests" / "case_bank" / "fixtures" / "kinds_pack"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def drawn(app: object, widget: object) -> None:
    """Run pending events (deferred deletes, layouts) and paint ``widget`` completely."""
    app.processEvents()  # type: ignore[attr-defined]
    widget.grab()  # type: ignore[attr-defined]


def case_to_case(app: object, data_dir: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds from "next case" to the next case drawn, per kind, in the real player."""
    from case_bank.pack import builtin_packs, load_pack
    from desktop.context import AppContext
    from desktop.screens.player.view import PlayerScreen
    from records import accounts
    from records.db import open_database

    db = open_database(data_dir)
    user = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    ctx = AppContext(data_dir=data_dir, db=db, user=user)
    player = PlayerScreen(ctx)
    player.resize(1366, 768)
    player.show()
    packs = [*builtin_packs(), load_pack(FIXTURE_PACK)]
    queue = [(pack, case) for pack in packs for case in pack.cases]
    timings: dict[str, list[float]] = {"first stage": [], "with AI output": []}
    per_kind: dict[str, list[float]] = {}
    player.play_queue(queue[:1])
    drawn(app, player)
    for _round in range(rounds):
        for pack, case in queue:
            player.queue = [(pack, case)]
            start = time.perf_counter()
            player.next_case()
            drawn(app, player)
            timings["first stage"].append(time.perf_counter() - start)
            # The same step again, drawing the AI output too (as on resuming at that stage).
            player.queue = [(pack, case)]
            start = time.perf_counter()
            player.next_case()
            player.ai_area.setVisible(True)
            drawn(app, player)
            elapsed = time.perf_counter() - start
            timings["with AI output"].append(elapsed)
            per_kind.setdefault(case.ai_kind.value, []).append(elapsed)
    player.close()
    db.close()
    return {**timings, **{f"  {kind}": values for kind, values in sorted(per_kind.items())}}


def timed(app: object, make: Callable[[], object], rounds: int) -> list[float]:
    """Seconds to build the widget from ``make``, show it at 1366×768 and draw it."""
    values = []
    for _round in range(rounds):
        start = time.perf_counter()
        widget = make()
        widget.resize(1366, 768)  # type: ignore[attr-defined]
        widget.show()  # type: ignore[attr-defined]
        drawn(app, widget)
        values.append(time.perf_counter() - start)
        widget.close()  # type: ignore[attr-defined]
        widget.deleteLater()  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
    return values


def twelve_lead_ecg() -> Callable[[], object]:
    import numpy as np

    from case_bank.generators.ecg import EcgParams, generate
    from case_bank.pack import builtin_packs_dir, load_pack
    from desktop.renderers.ecg import EcgView

    leads = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    strip = generate(EcgParams(duration_s=10.0, sampling_rate=500, seed=7))
    # The generator models lead II only: replicate it into the 12 traces of the layout.
    signal = np.repeat(strip.samples[:1], 12, axis=0).astype(np.float32)
    base = load_pack(builtin_packs_dir() / "ecg-basics").cases[0].ai_output
    output = base.model_copy(update={"leads": leads, "sampling_rate": 500})

    def make() -> object:
        view = EcgView()
        view.show_output(output, signal)
        return view

    return make


def big_xray() -> Callable[[], object]:
    from fixtures.xray import nodule_output, synthetic_chest

    from case_bank.pack import load_pack
    from desktop.renderers.image import ImageView

    pixels = synthetic_chest(2048)
    output = nodule_output(load_pack(FIXTURE_PACK).case("kinds-image-chest-001").ai_output, 2048)

    def make() -> object:
        return ImageView(output, pixels)

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from xiangyi import i18n

    app = QApplication(sys.argv)
    i18n.set_language("zh_CN")
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}, rounds: {args.rounds}, median (ms)")
    with tempfile.TemporaryDirectory() as tmp:
        rows = case_to_case(app, Path(tmp), args.rounds)
    print(f"{'next case -> drawn':34} {'median':>8} {'max':>8} {'n':>4}")
    for name, values in rows.items():
        print(f"{name:34} {ms(statistics.median(values))} {ms(max(values))} {len(values):4}")
    print(f"peak RSS after the player: {peak_mib():.1f} MiB")

    ecg = timed(app, twelve_lead_ecg(), args.rounds)
    print(f"{'12-lead ECG, 10 s at 500 Hz':34} {ms(statistics.median(ecg))} {ms(max(ecg))}")
    make_xray = big_xray()
    xray = timed(app, make_xray, args.rounds)
    print(f"{'2048x2048 X-ray + overlays':34} {ms(statistics.median(xray))} {ms(max(xray))}")
    view = make_xray()
    view.resize(1366, 768)  # type: ignore[attr-defined]
    view.show()  # type: ignore[attr-defined]
    drawn(app, view)
    redraws = []
    for value in range(args.rounds):
        start = time.perf_counter()
        view.width_slider.setValue(120 + 10 * value)  # type: ignore[attr-defined]
        drawn(app, view)
        redraws.append(time.perf_counter() - start)
    print(
        f"{'  window/level change, redrawn':34} {ms(statistics.median(redraws))} {ms(max(redraws))}"
    )
    print(f"peak RSS at the end: {peak_mib():.1f} MiB")


if __name__ == "__main__":
    main()
