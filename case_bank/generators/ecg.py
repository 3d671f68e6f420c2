"""Seeded synthetic ECG: a sum-of-Gaussians beat model (after McSharry et al. 2003).

Each beat is five waves (P, Q, R, S, T) placed around its R peak; rhythm, ST elevation,
fibrillatory baseline, wander and noise are layered on top. Everything is numpy and
deterministic for a given seed, so the built-in assets rebuild byte for byte::

    python -m case_bank.generators.ecg            # rewrite the built-in assets
    python -m case_bank.generators.ecg --beats    # also print R-peak times for case YAML

Only lead II is modelled today. Wave amplitudes are given for lead II and scaled per lead
through ``LEAD_GAINS``, so adding leads later means adding rows there (e.g. negative ST
gains for reciprocal depression), not changing the beat model.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

ASSETS_DIR = Path(__file__).resolve().parent.parent / "packs" / "ecg-basics" / "assets"

# Per-lead projection of each component of the lead-II model. Only lead II for now.
LEAD_GAINS: dict[str, dict[str, float]] = {
    "II": {"p": 1.0, "qrs": 1.0, "st": 1.0, "t": 1.0, "f": 1.0, "wander": 1.0},
}


@dataclass(frozen=True)
class Morphology:
    """Wave amplitudes in lead II (mV) and the intervals (s) one beat is built from."""

    p_mv: float = 0.15
    q_mv: float = -0.10
    r_mv: float = 1.20
    s_mv: float = -0.25
    t_mv: float = 0.30
    pr_s: float = 0.16
    qrs_s: float = 0.09
    qtc_s: float = 0.40
    p_width_s: float = 0.10
    t_width_s: float = 0.18


ADULT = Morphology()
# A young child: shorter PR, QRS, P and T; similar lead-II amplitudes.
PAEDIATRIC = Morphology(
    q_mv=-0.08, r_mv=1.10, s_mv=-0.20, pr_s=0.12, qrs_s=0.07, p_width_s=0.08, t_width_s=0.14
)


@dataclass(frozen=True)
class EcgParams:
    """What to generate. Irregularity is the coefficient of variation of RR intervals."""

    heart_rate_bpm: float = 72.0
    rr_irregularity: float = 0.0
    respiratory_variation: float = 0.03
    p_waves: bool = True
    fibrillation_mv: float = 0.0
    st_elevation_mv: float = 0.0
    t_scale: float = 1.0
    morphology: Morphology = ADULT
    baseline_wander_mv: float = 0.04
    noise_mv: float = 0.01
    duration_s: float = 10.0
    sampling_rate: int = 250
    leads: tuple[str, ...] = ("II",)
    seed: int = 0


@dataclass(frozen=True)
class EcgStrip:
    """Generated samples [lead, sample] in mV and the R-peak times inside the strip."""

    leads: tuple[str, ...]
    sampling_rate: int
    samples: FloatArray
    r_peaks_s: FloatArray = field(repr=False)


def _rr_intervals(params: EcgParams, rng: np.random.Generator) -> tuple[float, FloatArray]:
    """Start time and RR intervals covering the strip with a beat of margin either side."""
    mean_rr = 60.0 / params.heart_rate_bpm
    count = math.ceil((params.duration_s + 2.0) / mean_rr * 1.6) + 4
    sigma = math.sqrt(math.log(1.0 + params.rr_irregularity**2))
    # Log-normal factors keep the mean RR while allowing the long pauses of AF.
    factors = np.exp(sigma * rng.standard_normal(count) - sigma**2 / 2.0)
    start = -1.0 - mean_rr * rng.uniform(0.0, 1.0)
    phase = rng.uniform(0.0, 2.0 * math.pi)
    rr = np.empty(count)
    t = start
    for i in range(count):
        # Sinus arrhythmia: RR follows breathing (about 15 breaths a minute).
        breathing = 1.0 + params.respiratory_variation * math.sin(2 * math.pi * 0.25 * t + phase)
        rr[i] = max(0.25, mean_rr * breathing * factors[i])
        t += rr[i]
    return start, rr


def _gauss(t: FloatArray, centres: FloatArray, sigmas: FloatArray, amps: FloatArray) -> FloatArray:
    """Sum over beats of amp * exp(-(t - centre)^2 / 2 sigma^2)."""
    d = (t[None, :] - centres[:, None]) / sigmas[:, None]
    return np.asarray((amps[:, None] * np.exp(-0.5 * d * d)).sum(axis=0))


def _slow_walk(t: FloatArray, rng: np.random.Generator, freqs: tuple[float, ...]) -> FloatArray:
    """A smooth random signal in [-1, 1]: a few slow sinusoids with random phases."""
    phases = rng.uniform(0.0, 2 * math.pi, len(freqs))
    total = sum(np.sin(2 * math.pi * f * t + p) for f, p in zip(freqs, phases, strict=True))
    return np.asarray(total, dtype=np.float64) / len(freqs)


def generate(params: EcgParams) -> EcgStrip:
    """Build a strip from ``params``; the same params always give the same samples."""
    unknown = [lead for lead in params.leads if lead not in LEAD_GAINS]
    if unknown:
        raise ValueError(f"no model for leads {unknown}; known: {sorted(LEAD_GAINS)}")
    rng = np.random.default_rng(params.seed)
    m = params.morphology
    fs = params.sampling_rate
    t = np.arange(round(params.duration_s * fs), dtype=np.float64) / fs

    start, rr = _rr_intervals(params, rng)
    r_times = start + np.cumsum(rr)
    n = len(r_times)
    jitter = 1.0 + 0.02 * rng.standard_normal(n)
    ones = np.ones(n)

    qrs_onset = r_times - 0.45 * m.qrs_s
    j_point = r_times + 0.55 * m.qrs_s
    qt = np.clip(m.qtc_s * np.sqrt(rr), 0.22, 0.50)  # Bazett, on the preceding RR
    t_fall = m.t_width_s * 0.18 * ones
    t_rise = m.t_width_s * 0.30 * ones
    t_peak = qrs_onset + qt - 2.5 * t_fall

    p_wave = _gauss(t, qrs_onset - m.pr_s + m.p_width_s / 2, m.p_width_s / 5 * ones, m.p_mv * ones)
    qrs = (
        _gauss(t, r_times - 0.3 * m.qrs_s, 0.07 * m.qrs_s * ones, m.q_mv * jitter)
        + _gauss(t, r_times, 0.11 * m.qrs_s * ones, m.r_mv * jitter)
        + _gauss(t, r_times + 0.3 * m.qrs_s, 0.08 * m.qrs_s * ones, m.s_mv * jitter)
    )
    # Asymmetric T: slow upstroke, faster downstroke (two half-Gaussians).
    t_amp = m.t_mv * params.t_scale * ones
    before = t[None, :] < t_peak[:, None]
    sig = np.where(before, t_rise[:, None], t_fall[:, None])
    d = (t[None, :] - t_peak[:, None]) / sig
    t_wave = np.asarray((t_amp[:, None] * np.exp(-0.5 * d * d)).sum(axis=0))
    # ST elevation: a plateau from the J point that merges into the T downstroke.
    rise = 1.0 / (1.0 + np.exp(np.clip((j_point[:, None] - 0.008 - t[None, :]) / 0.005, -50, 50)))
    fall = np.where(before, 1.0, np.exp(-0.5 * d * d))
    st = params.st_elevation_mv * np.asarray((rise * fall).sum(axis=0))

    # Fibrillatory waves: 5-7 Hz (300-420/min) with drifting rate and amplitude.
    freq = 6.0 + 0.8 * _slow_walk(t, rng, (0.11, 0.23, 0.37))
    envelope = 0.7 + 0.3 * _slow_walk(t, rng, (0.17, 0.29, 0.53))
    phase = 2 * math.pi * np.cumsum(freq) / fs
    f_waves = params.fibrillation_mv * envelope * (np.sin(phase) + 0.3 * np.sin(2 * phase + 1.0))
    wander = params.baseline_wander_mv * _slow_walk(t, rng, (0.15, 0.31))

    components = {
        "p": p_wave if params.p_waves else np.zeros_like(t),
        "qrs": qrs,
        "st": st,
        "t": t_wave,
        "f": f_waves,
        "wander": wander,
    }
    samples = np.empty((len(params.leads), len(t)))
    for i, lead in enumerate(params.leads):
        gains = LEAD_GAINS[lead]
        samples[i] = sum(gains[name] * wave for name, wave in components.items())
        samples[i] += params.noise_mv * rng.standard_normal(len(t))
    # Report only beats whose whole QRS lies inside the strip (what a detector can see).
    inside = (qrs_onset >= 0.0) & (j_point < params.duration_s)
    return EcgStrip(params.leads, fs, samples, r_times[inside])


def write_csv(path: Path, leads: list[str] | tuple[str, ...], samples: FloatArray) -> None:
    """Write samples [lead, sample] as CSV in mV with fixed formatting (stable bytes)."""
    if samples.ndim != 2 or samples.shape[0] != len(leads):
        raise ValueError("samples must be an array [lead, sample] with one row per lead")
    rounded = np.round(samples.T, 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    lines = [",".join(leads)]
    lines.extend(",".join(f"{v:.4f}" for v in row) for row in rounded)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


# The assets of the built-in pack ``ecg-basics`` (file name → parameters).
BUILTIN: dict[str, EcgParams] = {
    # Atrial fibrillation, mean ventricular rate about 95/min.
    "ecg-af-001.csv": EcgParams(
        heart_rate_bpm=95.0,
        rr_irregularity=0.22,
        respiratory_variation=0.0,
        p_waves=False,
        fibrillation_mv=0.05,
        seed=1,
    ),
    # Sinus rhythm with inferior ST elevation and hyperacute T in lead II.
    "ecg-stemi-002.csv": EcgParams(heart_rate_bpm=88.0, st_elevation_mv=0.25, t_scale=1.7, seed=2),
    # A 4-year-old with fever: sinus tachycardia, paediatric intervals.
    "ecg-peds-003.csv": EcgParams(
        heart_rate_bpm=130.0, respiratory_variation=0.02, morphology=PAEDIATRIC, seed=3
    ),
}


def builtin_strip(name: str) -> EcgStrip:
    return generate(BUILTIN[name])


def main(argv: list[str] | None = None) -> int:
    """Regenerate the built-in assets (a developer tool; output is not translated)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ASSETS_DIR, help="folder for the CSV files")
    parser.add_argument("--beats", action="store_true", help="print R-peak times as YAML")
    args = parser.parse_args(argv)
    for name, params in BUILTIN.items():
        strip = generate(params)
        write_csv(args.out / name, strip.leads, strip.samples)
        print(f"{args.out / name}: {len(strip.r_peaks_s)} beats")
        if args.beats:
            for r in strip.r_peaks_s:
                print(f"      - {{time_s: {r:.3f}}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
