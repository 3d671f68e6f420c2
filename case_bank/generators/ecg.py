"""Seeded synthetic ECG: a 12-lead dipole model built from sums of Gaussians.

The heart is modelled as one electrical dipole that moves through each beat, after the
sum-of-Gaussians model of McSharry et al. (IEEE Trans Biomed Eng 2003;50:289-294) in its
three-dimensional form (Sameni et al., EURASIP J Adv Signal Process 2007:43407). Every
wave of a beat (two atrial halves of the P wave, the QRS components, the T wave and the
ST "injury current") is a Gaussian in time carrying a fixed 3-D vector. A lead is the
projection of the dipole on the lead's axis, so the 12 leads keep their physiological
relations: Einthoven (III = II - I), Goldberger (aVR = -(I + II) / 2), R-wave progression
across V1-V6, and reciprocal ST depression opposite an injury vector.

Axes: x points to the patient's left, y to the feet, z to the front. Rhythms are built as
a schedule of atrial and ventricular events (sinus with premature atrial beats, atrial
fibrillation, flutter with fixed AV conduction, second- and third-degree AV block,
paced beats). Noise enters at the electrodes (RA, LA, LL, V1-V6) as it does in life, so
a tremor of the right arm shows in I, II and aVR and spares III. Everything is numpy and
deterministic for a given seed, so the committed assets rebuild byte for byte::

    python -m case_bank.generators.ecg            # rewrite the built-in assets
    python -m case_bank.generators.ecg --beats    # also print the AI beat marks as YAML

The module also draws the ECG figures of the "ECG AI" training module (PNG, Pillow).
"""

from __future__ import annotations

import argparse
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Vec = tuple[float, float, float]

ROOT = Path(__file__).resolve().parent.parent.parent
ASSETS_DIR = ROOT / "case_bank" / "packs" / "ecg-basics" / "assets"
FIGURES_DIR = (
    ROOT / "courses" / "modules" / "ecg-ai" / "lessons" / "slow-rhythms-and-st" / "figures"
)

LEADS_12 = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
ELECTRODES = ("RA", "LA", "LL", "V1", "V2", "V3", "V4", "V5", "V6")


def _unit(angle_deg: float) -> FloatArray:
    a = math.radians(angle_deg)
    return np.array([math.cos(a), math.sin(a), 0.0])


def _chest(angle_deg: float, tilt: float, gain: float) -> FloatArray:
    """A precordial electrode: horizontal angle from the left towards the front."""
    a = math.radians(angle_deg)
    v = np.array([math.cos(a), tilt, math.sin(a)])
    return gain * v / np.linalg.norm(v)


# Electrode lead vectors. Limb electrodes are placed so that I = LA - RA projects the
# dipole on 0 degrees and II = LL - RA on +60 degrees, with RA + LA + LL = 0 (the heart's
# share of Wilson's central terminal). Chest electrodes: angle, inferior tilt, gain (the
# nearer electrodes V2-V4 see larger voltages).
_E_I, _E_II = _unit(0.0), _unit(60.0)
_A_RA = -(_E_I + _E_II) / 3.0
LEAD_VECTORS: dict[str, FloatArray] = {
    "RA": _A_RA,
    "LA": _A_RA + _E_I,
    "LL": _A_RA + _E_II,
    "V1": _chest(115.0, 0.05, 1.00),
    "V2": _chest(92.0, 0.05, 1.60),
    "V3": _chest(72.0, 0.10, 1.70),
    "V4": _chest(52.0, 0.15, 1.75),
    "V5": _chest(28.0, 0.15, 1.50),
    "V6": _chest(5.0, 0.15, 1.15),
}


@dataclass(frozen=True)
class Wave:
    """One Gaussian of the QRS: centre and width as fractions of the QRS duration."""

    at: float
    width: float
    vector: Vec


@dataclass(frozen=True)
class Morphology:
    """Intervals (s) and the dipole vectors (mV) one beat is built from."""

    pr_s: float = 0.16  # P onset to QRS onset
    qrs_s: float = 0.09
    qtc_s: float = 0.40
    p_width_s: float = 0.10
    t_width_s: float = 0.18
    # Right atrium (inferior, anterior) then left atrium (leftward, posterior): the
    # P wave is upright in II and biphasic in V1.
    p_vectors: tuple[Vec, Vec] = ((0.045, 0.10, 0.055), (0.075, 0.06, -0.07))
    # Septal (rightward, anterior), main left-ventricular (early and late), terminal.
    qrs: tuple[Wave, ...] = (
        Wave(-0.30, 0.075, (-0.13, 0.00, 0.24)),
        Wave(-0.09, 0.115, (0.52, 0.78, 0.42)),
        Wave(0.10, 0.115, (0.36, 0.50, -0.78)),
        Wave(0.33, 0.085, (-0.18, -0.22, -0.30)),
    )
    t_vector: Vec = (0.16, 0.22, 0.22)
    t_symmetric: bool = False


ADULT = Morphology()
# A pre-school child: shorter intervals, rightward and anterior QRS (tall R in V1) and
# T waves inverted in V1-V3 (the "juvenile" T pattern).
PAEDIATRIC = Morphology(
    pr_s=0.12,
    qrs_s=0.07,
    qtc_s=0.39,
    p_width_s=0.08,
    t_width_s=0.14,
    qrs=(
        Wave(-0.30, 0.075, (-0.10, 0.02, 0.22)),
        Wave(-0.09, 0.115, (0.32, 0.85, 0.62)),
        Wave(0.10, 0.115, (0.30, 0.55, -0.45)),
        Wave(0.33, 0.085, (-0.22, -0.18, -0.20)),
    ),
    t_vector=(0.16, 0.22, -0.12),
)
# Right-ventricular apical pacing: a wide QRS like left bundle branch block with a
# left superior axis (negative in II, III, aVF), QS in V1-V4, and discordant ST-T.
PACED = Morphology(
    qrs_s=0.16,
    qtc_s=0.46,
    t_width_s=0.22,
    qrs=(
        Wave(-0.22, 0.17, (0.80, -1.25, -1.20)),
        Wave(0.18, 0.16, (0.95, -0.75, -0.90)),
    ),
    t_vector=(-0.22, 0.30, 0.45),
)

Rhythm = Literal["sinus", "af", "flutter", "av_block_2", "av_block_3", "paced"]


@dataclass(frozen=True)
class Tremor:
    """A limb tremor (or other rhythmic movement) moving one electrode."""

    electrode: str = "RA"
    frequency_hz: float = 5.0
    amplitude_mv: float = 1.0
    start_s: float = 0.0
    end_s: float = 1e9


@dataclass(frozen=True)
class Spike:
    """A motion spike or electrode "pop": a sharp transient on one electrode."""

    time_s: float
    electrode: str = "LA"
    amplitude_mv: float = 1.0


@dataclass(frozen=True)
class EcgParams:
    """What to generate.

    ``heart_rate_bpm`` is the sinus (atrial) rate, except in atrial fibrillation where it
    is the mean ventricular rate. ``rr_irregularity`` is the coefficient of variation of
    RR intervals in atrial fibrillation. ``conduction`` is the AV conduction pattern of
    second-degree block (1 conducted, 0 blocked, repeated); ``flutter_conduction`` the
    fixed ratio of flutter (2 for 2:1). ``st_vector_mv`` is the ST injury vector (x left,
    y inferior, z anterior) and ``t_extra_mv`` is added to the T-wave vector (hyperacute T).
    """

    rhythm: Rhythm = "sinus"
    heart_rate_bpm: float = 72.0
    respiratory_variation: float = 0.03
    breathing_hz: float = 0.25
    rr_irregularity: float = 0.0
    pac_probability: float = 0.0
    pac_coupling: float = 0.62
    conduction: tuple[int, ...] = (1,)
    ventricular_rate_bpm: float = 40.0
    atrial_rate_bpm: float = 300.0
    flutter_conduction: int = 2
    flutter_mv: float = 0.0
    fibrillation_mv: float = 0.0
    pacing: Literal["dual", "vvi"] = "dual"
    spike_mv: float = 0.9
    st_vector_mv: Vec = (0.0, 0.0, 0.0)
    t_extra_mv: Vec = (0.0, 0.0, 0.0)
    t_scale: float = 1.0
    t_width_scale: float = 1.0
    p_scale: float = 1.0
    morphology: Morphology = ADULT
    escape_morphology: Morphology | None = None
    baseline_wander_mv: float = 0.04
    noise_mv: float = 0.01
    mains_mv: float = 0.0
    tremor: Tremor | None = None
    spikes: tuple[Spike, ...] = ()
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
    p_waves_s: FloatArray = field(repr=False, default_factory=lambda: np.zeros(0))


# --- the rhythm: when atria and ventricles fire ------------------------------------------


@dataclass
class _Schedule:
    p_times: list[float] = field(default_factory=list)  # P-wave centres
    p_ectopic: list[bool] = field(default_factory=list)
    beats: list[float] = field(default_factory=list)  # QRS fiducial (main R) times
    kinds: list[str] = field(default_factory=list)  # "N" conducted/escape, "P" paced
    spikes: list[float] = field(default_factory=list)  # pacing spikes


def _conduction_delay(m: Morphology) -> float:
    """From the P-wave centre to the QRS fiducial."""
    return m.pr_s - m.p_width_s / 2 + 0.45 * m.qrs_s


def _sinus_p_times(
    params: EcgParams, rng: np.random.Generator, start: float, end: float
) -> tuple[list[float], list[bool]]:
    """Sinus P waves with breathing-driven sinus arrhythmia and premature atrial beats."""
    mean_rr = 60.0 / params.heart_rate_bpm
    phase = rng.uniform(0.0, 2 * math.pi)
    times: list[float] = []
    ectopic: list[bool] = []
    t = start + mean_rr * rng.uniform(0.0, 1.0)
    previous_ectopic = False
    while t < end:
        times.append(t)
        ectopic.append(False)
        breathing = math.sin(2 * math.pi * params.breathing_hz * t + phase)
        rr = mean_rr * (1.0 + params.respiratory_variation * breathing)
        rr *= 1.0 + 0.004 * rng.standard_normal()
        premature = rng.uniform() < params.pac_probability and not previous_ectopic
        if premature:
            early = t + params.pac_coupling * rr
            times.append(early)
            ectopic.append(True)
            t = early + 1.06 * rr  # the sinus node is reset: a non-compensatory pause
        else:
            t += rr
        previous_ectopic = premature
    return times, ectopic


def _schedule(params: EcgParams, rng: np.random.Generator) -> _Schedule:
    start, end = -2.5, params.duration_s + 2.0
    m = params.morphology
    s = _Schedule()
    if params.rhythm == "af":
        mean_rr = 60.0 / params.heart_rate_bpm
        sigma = math.sqrt(math.log(1.0 + params.rr_irregularity**2))
        t = start + mean_rr * rng.uniform(0.0, 1.0)
        while t < end:
            s.beats.append(t)
            s.kinds.append("N")
            # Log-normal RR intervals keep the mean while allowing the long pauses of AF.
            factor = math.exp(sigma * rng.standard_normal() - sigma**2 / 2.0)
            t += max(0.28, mean_rr * factor)
        return s
    if params.rhythm == "flutter":
        cycle = 60.0 / params.atrial_rate_bpm
        t = start + cycle * rng.uniform(0.0, 1.0)
        n = 0
        while t < end:
            if n % params.flutter_conduction == 0:
                s.beats.append(t + 0.25 + 0.002 * rng.standard_normal())
                s.kinds.append("N")
            t += cycle
            n += 1
        return s
    p_times, p_ectopic = _sinus_p_times(params, rng, start, end)
    s.p_times, s.p_ectopic = p_times, p_ectopic
    delay = _conduction_delay(m)
    if params.rhythm == "av_block_3" or (params.rhythm == "paced" and params.pacing == "vvi"):
        rr = 60.0 / params.ventricular_rate_bpm
        t = start + rr * rng.uniform(0.0, 1.0)
        while t < end:
            s.beats.append(t)
            s.kinds.append("P" if params.rhythm == "paced" else "N")
            t += rr * (1.0 + (0.0 if params.rhythm == "paced" else 0.01 * rng.standard_normal()))
        return s
    for i, (p, is_ectopic) in enumerate(zip(p_times, p_ectopic, strict=True)):
        if params.rhythm == "av_block_2" and not params.conduction[i % len(params.conduction)]:
            continue
        if params.rhythm == "paced":
            s.beats.append(p + delay)
            s.kinds.append("P")
        else:
            s.beats.append(p + delay + (0.02 if is_ectopic else 0.0))
            s.kinds.append("N")
    return s


# --- the dipole ----------------------------------------------------------------------------


def _gaussians(t: FloatArray, centres: FloatArray, sigmas: FloatArray) -> FloatArray:
    """[component, sample] Gaussians, computed only near their centres (fast, exact)."""
    out = np.zeros((len(centres), len(t)))
    fs = 1.0 / (t[1] - t[0]) if len(t) > 1 else 1.0
    for i, (c, s) in enumerate(zip(centres, sigmas, strict=True)):
        lo = max(0, int((c - 6 * s - t[0]) * fs))
        hi = min(len(t), int((c + 6 * s - t[0]) * fs) + 2)
        if lo < hi:
            d = (t[lo:hi] - c) / s
            out[i, lo:hi] = np.exp(-0.5 * d * d)
    return out


def _add(dipole: FloatArray, vector: Vec | FloatArray, wave: FloatArray) -> None:
    dipole += np.outer(np.asarray(vector, dtype=np.float64), wave)


def _slow_walk(t: FloatArray, rng: np.random.Generator, freqs: tuple[float, ...]) -> FloatArray:
    """A smooth random signal in [-1, 1]: a few slow sinusoids with random phases."""
    phases = rng.uniform(0.0, 2 * math.pi, len(freqs))
    total = sum(np.sin(2 * math.pi * f * t + p) for f, p in zip(freqs, phases, strict=True))
    return np.asarray(total, dtype=np.float64) / len(freqs)


def _beat_morphology(params: EcgParams, kind: str) -> Morphology:
    if kind == "P":
        return PACED
    if params.rhythm == "av_block_3" and params.escape_morphology is not None:
        return params.escape_morphology
    return params.morphology


def _heart(
    params: EcgParams, s: _Schedule, t: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The dipole [3, sample], its QRS part alone, and the fiducial window per beat."""
    dipole = np.zeros((3, len(t)))
    qrs_only = np.zeros((3, len(t)))
    m = params.morphology
    # P waves: two Gaussians each (right then left atrium).
    if s.p_times:
        centres = np.array(s.p_times)
        ectopic = np.array(s.p_ectopic)
        width = m.p_width_s / 6.0
        for half, sign in ((0, -1.0), (1, 1.0)):
            g = _gaussians(t, centres + sign * m.p_width_s / 6.0, np.full(len(centres), width))
            normal = g[~ectopic].sum(axis=0) if (~ectopic).any() else np.zeros(len(t))
            _add(dipole, np.multiply(m.p_vectors[half], params.p_scale), normal)
            if ectopic.any():
                # A low-atrial ectopic P: smaller, flatter in the inferior leads.
                vector = (0.07, 0.01, 0.05) if half == 0 else (0.05, -0.02, -0.03)
                _add(dipole, vector, g[ectopic].sum(axis=0))
    beats = np.array(s.beats)
    if not len(beats):
        return dipole, qrs_only, np.zeros((0, 2))
    rr = np.diff(beats, prepend=beats[0] - (beats[1] - beats[0] if len(beats) > 1 else 0.8))
    jitter = 1.0 + 0.015 * rng.standard_normal(len(beats))
    windows = np.zeros((len(beats), 2))
    t_scale = params.t_scale
    for i, (r, kind) in enumerate(zip(beats, s.kinds, strict=True)):
        bm = _beat_morphology(params, kind)
        qrs_s = bm.qrs_s
        for wave in bm.qrs:
            g = _gaussians(t, np.array([r + wave.at * qrs_s]), np.array([wave.width * qrs_s]))[0]
            _add(dipole, np.multiply(wave.vector, jitter[i]), g)
            _add(qrs_only, np.multiply(wave.vector, jitter[i]), g)
        onset, j_point = r - 0.45 * qrs_s, r + 0.55 * qrs_s
        windows[i] = (onset, j_point)
        if kind == "P":
            s.spikes.append(onset - 0.012)
        # T wave: slow upstroke, faster downstroke (symmetric and narrow when peaked).
        qt = float(np.clip(bm.qtc_s * math.sqrt(min(max(rr[i], 0.3), 2.0)), 0.22, 0.56))
        width = bm.t_width_s * (params.t_width_scale if kind != "P" else 1.0)
        symmetric = bm.t_symmetric or params.t_width_scale < 1.0
        fall = width * 0.18 if not symmetric else width * 0.20
        rise = width * 0.30 if not symmetric else width * 0.20
        peak = onset + qt - 2.5 * fall
        before = t < peak
        d = (t - peak) / np.where(before, rise, fall)
        t_shape = np.exp(-0.5 * d * d)
        t_vector = np.asarray(bm.t_vector) * (t_scale if kind != "P" else 1.0)
        if kind != "P":
            t_vector = t_vector + np.asarray(params.t_extra_mv)
        _add(dipole, t_vector, t_shape)
        # ST injury current: a plateau from the J point that merges into the T downstroke.
        if kind != "P" and any(params.st_vector_mv):
            x = np.clip((j_point - 0.008 - t) / 0.005, -50, 50)
            st = (1.0 / (1.0 + np.exp(x))) * np.where(before, 1.0, t_shape)
            _add(dipole, params.st_vector_mv, st)
    return dipole, qrs_only, windows


def _atrial_waves(params: EcgParams, t: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Continuous atrial activity: fibrillatory or flutter waves, as a dipole [3, sample]."""
    dipole = np.zeros((3, len(t)))
    fs = params.sampling_rate
    if params.fibrillation_mv > 0:
        # 5-7 Hz (300-420/min) with drifting rate and amplitude, largest in V1 and inferior.
        freq = 6.0 + 0.8 * _slow_walk(t, rng, (0.11, 0.23, 0.37))
        envelope = 0.7 + 0.3 * _slow_walk(t, rng, (0.17, 0.29, 0.53))
        phase = 2 * math.pi * np.cumsum(freq) / fs
        wave = envelope * (np.sin(phase) + 0.3 * np.sin(2 * phase + 1.0))
        direction = np.array([-0.25, 0.45, 0.86])
        _add(dipole, params.fibrillation_mv * direction / np.linalg.norm(direction), wave)
    if params.flutter_mv > 0:
        # Typical (counter-clockwise) flutter: a sawtooth that is negative in II, III and
        # aVF and positive in V1, at a steady atrial rate.
        cycle = 60.0 / params.atrial_rate_bpm
        offset = rng.uniform(0.0, cycle)
        phase = ((t + offset) / cycle) % 1.0
        saw = np.where(phase < 0.75, phase / 0.75, (1.0 - phase) / 0.25) - 0.5
        kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.0) ** 2)
        saw = np.convolve(saw, kernel / kernel.sum(), mode="same")
        direction = np.array([-0.10, -0.85, 0.52])
        _add(dipole, 2 * params.flutter_mv * direction / np.linalg.norm(direction), saw)
    return dipole


# --- electrodes, artefacts and leads -------------------------------------------------------


def _electrodes(
    params: EcgParams, heart: FloatArray, t: FloatArray, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """Potential at each electrode: the heart's projection plus the artefacts there."""
    potentials = {name: LEAD_VECTORS[name] @ heart for name in ELECTRODES}
    mains_phase = rng.uniform(0.0, 2 * math.pi)
    for name in ELECTRODES:
        # Skin-electrode drift with breathing and movement (baseline wander).
        walk = _slow_walk(t, rng, (0.12, params.breathing_hz, 0.41))
        potentials[name] = potentials[name] + params.baseline_wander_mv * walk
        potentials[name] += params.noise_mv / math.sqrt(2) * rng.standard_normal(len(t))
        if params.mains_mv > 0:  # 50 Hz mains, coupled unequally into each electrode
            gain = rng.uniform(0.5, 1.5)
            shift = mains_phase + rng.uniform(-0.8, 0.8)
            potentials[name] += params.mains_mv * gain * np.sin(2 * math.pi * 50.0 * t + shift)
    tremor = params.tremor
    if tremor is not None:
        freq = tremor.frequency_hz * (1.0 + 0.06 * _slow_walk(t, rng, (0.13, 0.31)))
        phase = 2 * math.pi * np.cumsum(freq) / params.sampling_rate
        envelope = 0.75 + 0.25 * _slow_walk(t, rng, (0.21, 0.47))
        ramp = np.clip(np.minimum(t - tremor.start_s, tremor.end_s - t) / 0.3, 0.0, 1.0)
        # Muscle tremor is not a pure sine: a sharper, asymmetric oscillation.
        wave = np.sin(phase) + 0.35 * np.sin(2 * phase + 0.7) + 0.15 * np.sin(3 * phase)
        potentials[tremor.electrode] += tremor.amplitude_mv * envelope * ramp * wave / 1.2
    for spike in params.spikes:
        # A sharp deflection (narrower than any QRS) and a slower overshoot back.
        d = (t - spike.time_s) / 0.006
        back = (t - spike.time_s - 0.02) / 0.014
        transient = np.exp(-0.5 * d * d) - 0.4 * np.exp(-0.5 * back * back)
        potentials[spike.electrode] += spike.amplitude_mv * transient
    return potentials


def _leads(potentials: dict[str, FloatArray]) -> dict[str, FloatArray]:
    ra, la, ll = potentials["RA"], potentials["LA"], potentials["LL"]
    wilson = (ra + la + ll) / 3.0
    leads = {
        "I": la - ra,
        "II": ll - ra,
        "III": ll - la,
        "aVR": ra - (la + ll) / 2.0,
        "aVL": la - (ra + ll) / 2.0,
        "aVF": ll - (ra + la) / 2.0,
    }
    for name in ("V1", "V2", "V3", "V4", "V5", "V6"):
        leads[name] = potentials[name] - wilson
    return leads


def _add_spikes(params: EcgParams, s: _Schedule, heart: FloatArray, fs: int) -> None:
    """Pacing spikes: one sample (4 ms at 250 Hz) of ``spike_mv`` in lead II, as an ECG
    machine with pacer enhancement shows them."""
    direction = np.array([-0.35, 0.80, 0.45])
    vector = (
        params.spike_mv * direction / float((LEAD_VECTORS["LL"] - LEAD_VECTORS["RA"]) @ direction)
    )
    for time in s.spikes:
        index = round(time * fs)
        if 0 <= index < heart.shape[1]:
            heart[:, index] += vector


def generate(params: EcgParams) -> EcgStrip:
    """Build a recording from ``params``; the same params always give the same samples."""
    unknown = [lead for lead in params.leads if lead not in LEADS_12]
    if unknown:
        raise ValueError(f"no model for leads {unknown}; known: {list(LEADS_12)}")
    rng = np.random.default_rng(params.seed)
    fs = params.sampling_rate
    t = np.arange(round(params.duration_s * fs), dtype=np.float64) / fs
    schedule = _schedule(params, rng)
    heart, qrs_only, windows = _heart(params, schedule, t, rng)
    heart += _atrial_waves(params, t, rng)
    _add_spikes(params, schedule, heart, fs)
    leads = _leads(_electrodes(params, heart, t, rng))
    samples = np.stack([leads[name] for name in params.leads])

    # The fiducial of each beat is where lead II's QRS deviates most from zero (the R
    # peak; the nadir of a negative paced QRS). Only beats whose whole QRS lies inside
    # the strip are reported (what a detector can see).
    qrs_ii = (LEAD_VECTORS["LL"] - LEAD_VECTORS["RA"]) @ qrs_only
    peaks = []
    for onset, j_point in windows:
        if onset < 0.0 or j_point >= params.duration_s:
            continue
        lo, hi = max(0, math.floor(onset * fs)), min(len(t), math.ceil(j_point * fs) + 1)
        peaks.append((lo + int(np.argmax(np.abs(qrs_ii[lo:hi])))) / fs)
    p_inside = [p for p in schedule.p_times if 0.0 <= p < params.duration_s]
    return EcgStrip(params.leads, fs, samples, np.array(peaks), np.array(p_inside))


# --- files ---------------------------------------------------------------------------------


def csv_bytes(leads: tuple[str, ...] | list[str], samples: FloatArray, decimals: int = 4) -> bytes:
    """Samples [lead, sample] as CSV in mV with fixed formatting (stable bytes)."""
    if samples.ndim != 2 or samples.shape[0] != len(leads):
        raise ValueError("samples must be an array [lead, sample] with one row per lead")
    rounded = np.round(samples.T, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    lines = [",".join(leads)]
    lines.extend(",".join(f"{v:.{decimals}f}" for v in row) for row in rounded)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_csv(
    path: Path, leads: list[str] | tuple[str, ...], samples: FloatArray, decimals: int = 4
) -> None:
    """Write samples [lead, sample] as CSV (see :func:`csv_bytes`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(leads, samples, decimals))


def detect_beats(
    signal: FloatArray, fs: int, threshold_mv: float, refractory_s: float
) -> FloatArray:
    """A naive beat detector, as a simple device might run: after removing the baseline
    (a 0.4 s moving median), the largest local maxima above ``threshold_mv``, at least
    ``refractory_s`` apart. It is fooled by spikes and tremor, which is the point."""
    half = round(0.2 * fs)
    padded = np.pad(signal, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    x = signal - np.median(windows, axis=1)
    peak = (x[1:-1] > threshold_mv) & (x[1:-1] >= x[:-2]) & (x[1:-1] > x[2:])
    candidates = np.flatnonzero(peak) + 1
    order = candidates[np.argsort(-x[candidates], kind="stable")]
    kept: list[int] = []
    gap = refractory_s * fs
    for i in order:
        if all(abs(int(i) - k) >= gap for k in kept):
            kept.append(int(i))
    return np.array(sorted(kept), dtype=np.float64) / fs


@dataclass(frozen=True)
class Builtin:
    """A committed signal: how it is made and how the simulated AI marks its beats.

    ``detector`` (threshold mV, refractory s, lead) makes the AI's marks come from
    :func:`detect_beats` on that lead (a detector fooled by artefact); otherwise the AI
    marks the true R peaks.
    """

    params: EcgParams
    decimals: int = 4
    detector: tuple[float, float, str] | None = None


def _twelve(**kwargs: object) -> EcgParams:
    return EcgParams(leads=LEADS_12, **kwargs)  # type: ignore[arg-type]


# The signals of the built-in pack ``ecg-basics`` (file name → how it is made).
BUILTIN: dict[str, Builtin] = {
    # Atrial fibrillation, mean ventricular rate about 95/min (lead II).
    "ecg-af-001.csv": Builtin(
        EcgParams(
            rhythm="af", heart_rate_bpm=95.0, rr_irregularity=0.22, fibrillation_mv=0.16, seed=1
        )
    ),
    # Sinus rhythm with inferior ST elevation (0.25 mV in II) and hyperacute T (lead II).
    "ecg-stemi-002.csv": Builtin(
        EcgParams(
            heart_rate_bpm=88.0,
            st_vector_mv=(-0.13, 0.365, 0.0),
            t_extra_mv=(-0.10, 0.30, 0.0),
            seed=2,
        )
    ),
    # A 4-year-old with fever: sinus tachycardia, paediatric intervals (lead II).
    "ecg-peds-003.csv": Builtin(
        EcgParams(heart_rate_bpm=130.0, respiratory_variation=0.02, morphology=PAEDIATRIC, seed=3)
    ),
    # A normal 12-lead ECG: sinus rhythm at 74/min.
    "ecg-normal-004.csv": Builtin(_twelve(heart_rate_bpm=74.0, mains_mv=0.01, seed=4), decimals=3),
    # Sinus bradycardia about 54/min on a beta-blocker (lead II).
    "ecg-brady-005.csv": Builtin(
        EcgParams(heart_rate_bpm=54.0, respiratory_variation=0.04, seed=5)
    ),
    # Third-degree AV block: sinus P waves at 78/min, narrow junctional escape at 37/min.
    "ecg-chb-006.csv": Builtin(
        EcgParams(rhythm="av_block_3", heart_rate_bpm=78.0, ventricular_rate_bpm=37.0, seed=6)
    ),
    # Acute anterior STEMI: ST elevation V1-V5, reciprocal depression in III and aVF.
    "ecg-stemi-007.csv": Builtin(
        _twelve(
            heart_rate_bpm=96.0,
            st_vector_mv=(0.06, -0.20, 0.30),
            t_extra_mv=(0.05, -0.08, 0.28),
            seed=7,
        ),
        decimals=3,
    ),
    # Marked respiratory sinus arrhythmia in a young adult (lead II).
    "ecg-sinusarr-008.csv": Builtin(
        EcgParams(heart_rate_bpm=66.0, respiratory_variation=0.20, breathing_hz=0.2, seed=8)
    ),
    # Sinus rhythm with a Parkinsonian right-arm tremor: pseudo-VT in I, II, aVR; III clean.
    "ecg-tremor-009.csv": Builtin(
        _twelve(heart_rate_bpm=72.0, tremor=Tremor("RA", 4.6, 1.0, 0.4, 9.6), seed=9),
        decimals=3,
        detector=(0.35, 0.15, "II"),
    ),
    # Typical atrial flutter, atrial rate 300/min with 2:1 conduction (ventricles 150/min).
    "ecg-flutter-010.csv": Builtin(
        _twelve(rhythm="flutter", atrial_rate_bpm=300.0, flutter_mv=0.22, seed=10), decimals=3
    ),
    # Hyperkalaemia: tall narrow peaked T, flat P, long PR, wide QRS, ST elevation V1-V2.
    "ecg-hyperk-011.csv": Builtin(
        _twelve(
            heart_rate_bpm=60.0,
            t_scale=2.6,
            t_width_scale=0.62,
            p_scale=0.45,
            st_vector_mv=(-0.02, 0.0, 0.18),
            morphology=replace(ADULT, pr_s=0.22, qrs_s=0.12),
            seed=11,
        ),
        decimals=3,
    ),
    # Dual-chamber pacemaker: atrial-sensed, ventricular-paced rhythm at about 70/min.
    "ecg-paced-012.csv": Builtin(
        _twelve(
            rhythm="paced",
            heart_rate_bpm=70.0,
            spike_mv=0.6,
            morphology=replace(ADULT, pr_s=0.15),
            seed=12,
        ),
        decimals=3,
    ),
    # A 6-second handheld lead I recording: sinus rhythm, muscle noise, wander, motion spikes.
    "ecg-noisy-013.csv": Builtin(
        EcgParams(
            heart_rate_bpm=84.0,
            noise_mv=0.06,
            baseline_wander_mv=0.22,
            spikes=(Spike(1.32, "LA", 0.9), Spike(2.95, "RA", -0.8), Spike(4.41, "LA", 1.0)),
            duration_s=6.0,
            leads=("I",),
            seed=13,
        ),
        detector=(0.3, 0.25, "I"),
    ),
}


def builtin_strip(name: str) -> EcgStrip:
    return generate(BUILTIN[name].params)


def ai_beats(name: str) -> FloatArray:
    """Where the simulated AI marks beats on the built-in signal ``name``."""
    item = BUILTIN[name]
    strip = generate(item.params)
    if item.detector is None:
        return strip.r_peaks_s
    threshold, refractory, lead = item.detector
    signal = strip.samples[list(strip.leads).index(lead)]
    return detect_beats(signal, strip.sampling_rate, threshold, refractory)


def signal_bytes(name: str) -> bytes:
    item = BUILTIN[name]
    strip = generate(item.params)
    return csv_bytes(strip.leads, strip.samples, item.decimals)


# --- figures for the training module -------------------------------------------------------

# Bitmap glyphs (14 rows; width, then each row as hex), rasterised once from Noto Sans CJK SC
# (SIL Open Font License 1.1) so figures need no font file and rebuild byte for byte.
GLYPHS: dict[str, tuple[int, str]] = {
    "A": (10, "00000003803802806c06c0440c60fe082183183000"),
    "B": (11, "0000001f818c18618418c1f818618218218e1fc000"),
    "C": (11, "00000007c0e60801801801001801800800e607c000"),
    "D": (11, "0000001f818c18618218218218218218618c1f8000"),
    "E": (10, "0000000fe0c00c00c00c00fc0c00c00c00c00fe000"),
    "F": (9, "00000007f06006006006007e060060060060060000"),
    "G": (11, "00000003c0e618018010010e1821820820e603c000"),
    "H": (12, "0000003063063063063063fe306306306306306000"),
    "I": (5, "0000060606060606060606060600"),
    "J": (9, "00000000600600600600600600600600606c038000"),
    "K": (11, "00000018618c1981b01b01f81d818c184186182000"),
    "L": (9, "00000006006006006006006006006006006007f000"),
    "M": (13, "000000000606070e070e078e069e069606d606760666066606060000"),
    "N": (12, "0000003043843843c436432433431431c30c30c000"),
    "O": (12, "0000000f81dc3063063022023023061061dc0f8000"),
    "P": (11, "0000001f818c18618618618c1f8180180180180000"),
    "Q": (12, "0000000f81dc30630630220230230630618c0f8030"),
    "R": (11, "0000001f818c18618618c1f819818818c184186000"),
    "S": (10, "00000003c0660c00c007003c00e0020020e607c000"),
    "T": (10, "0000001ff010010010010010010010010010010000"),
    "U": (12, "00000030430430430430430430410410c1dc0f8000"),
    "V": (10, "0000001831820860c60c404c06c068028038030000"),
    "W": (14, "00000000184308e308e20ca20cb60db605960514071c071c070c0000"),
    "X": (10, "0000000860c404c06803803003806804c0c6186000"),
    "Y": (9, "0000000c304206602403c018018018018018018000"),
    "Z": (10, "0000000fe00600400c0180100300600400c00fe000"),
    "a": (9, "00000000000003c06600200603e06204206603a000"),
    "d": (10, "00200600600603e06e0c60860860860c60ee07a000"),
    "f": (6, "0706040c1f0c0c0c0c0c0c0c0c00"),
    "m": (15, "00000000000000001b9c1dec18c618c618c618c618c618c618c60000"),
    "s": (8, "000000001e3220301c0603263c00"),
    "v": (9, "0000000000000c304204606602402403c018018000"),
    "0": (9, "00000003c02606204204304304304206202603c000"),
    "1": (9, "00000001803800800800800800800800800807e000"),
    "2": (9, "00000003c06600600200600400c01803006007f000"),
    "3": (9, "00000003c06600600600e01c00600200206603c000"),
    "4": (9, "00000000c00c01c0140240640460ff004004004000"),
    "5": (9, "00000007e06006006007c00600200300206603c000"),
    "6": (9, "00000001e03206004005c06604304306303601c000"),
    "7": (9, "00000007f00200600400c008018018018018018000"),
    "8": (9, "00000003c06606206203603c06604304306603c000"),
    "9": (9, "00000003c06604204204306703a00200604c038000"),
    " ": (4, "00000000000000"),
    ".": (5, "0000000000000000000000060600"),
    "/": (7, "0003020206040404080808181010"),
    "-": (6, "00000000000000000f0000000000"),
    ":": (5, "0000000000060600000000060600"),
    "(": (6, "0002020404040c0c0c0c0c040406"),
    ")": (6, "0008080c0404060606060604040c"),
    "·": (15, "00000000000000000000000000e000e000e000000000000000000000"),
    "模": (15, "08c80bfe08c83c4819fc19041dfc1d043dfc38202bfe087008c80b8e"),
    "拟": (15, "1804190419443d6419241924190c1d0c390c392c19dc19961b321863"),
    "图": (15, "00003ffe210223f2263229e221c23f3e298a20e2270221e220023ffe"),
    "像": (15, "04800df00b301ffe1e263a267bfe18c01b641a7819bc1e7419b61f32"),
}
GLYPH_ROWS = 14

PX_PER_MM = 3.2
PAPER_COLOURS = (
    (255, 255, 255),  # 0 paper
    (250, 214, 222),  # 1 minor grid (1 mm)
    (236, 150, 168),  # 2 major grid (5 mm)
    (0, 0, 0),  # 3 trace and labels
    (180, 20, 40),  # 4 watermark
    (30, 90, 200),  # 5 P-wave marks
)


def _glyph(char: str) -> tuple[int, list[list[bool]]]:
    width, hexes = GLYPHS[char]
    digits = (width + 3) // 4
    rows = []
    for r in range(GLYPH_ROWS):
        value = int(hexes[r * digits : (r + 1) * digits], 16)
        rows.append([bool(value >> (width - 1 - c) & 1) for c in range(width)])
    return width, rows


def _text_points(x: int, y: int, text: str) -> list[tuple[int, int]]:
    """The pixels of ``text`` drawn with its top-left corner at (x, y)."""
    points = []
    for char in text:
        width, rows = _glyph(char)
        points += [(x + c, y + r) for r, row in enumerate(rows) for c, on in enumerate(row) if on]
        x += width
    return points


def _text_width(text: str) -> int:
    return sum(GLYPHS[char][0] for char in text)


class _Paper:
    """A sheet of ECG paper at 25 mm/s and 10 mm/mV, drawn with palette indices."""

    def __init__(self, width_mm: float, height_mm: float) -> None:
        from PIL import Image, ImageDraw

        self.width = round(width_mm * PX_PER_MM)
        self.height = round(height_mm * PX_PER_MM)
        self.image = Image.new("P", (self.width, self.height), 0)
        palette = [channel for colour in PAPER_COLOURS for channel in colour]
        self.image.putpalette(palette + [0] * (768 - len(palette)))
        self.draw = ImageDraw.Draw(self.image)

    def grid(self, top_mm: float) -> None:
        for major in (False, True):
            step = 5 if major else 1
            colour = 2 if major else 1
            for i in range(0, int(self.width / PX_PER_MM) + 1, step):
                x = round(i * PX_PER_MM)
                self.draw.line([(x, round(top_mm * PX_PER_MM)), (x, self.height)], fill=colour)
            for i in range(0, int(self.height / PX_PER_MM - top_mm) + 1, step):
                y = round((top_mm + i) * PX_PER_MM)
                self.draw.line([(0, y), (self.width, y)], fill=colour)

    def trace(self, x_mm: float, baseline_mm: float, values: FloatArray, fs: int) -> None:
        """Draw ``values`` (mV) from ``x_mm`` with 0 mV at ``baseline_mm`` from the top."""
        xs = (x_mm + np.arange(len(values)) / fs * 25.0) * PX_PER_MM
        ys = (baseline_mm - values * 10.0) * PX_PER_MM
        self.draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=3, width=2)

    def calibration(self, x_mm: float, baseline_mm: float) -> None:
        points_mm = [(0, 0), (1, 0), (1, -10), (6, -10), (6, 0), (7, 0)]
        points = [((x_mm + px) * PX_PER_MM, (baseline_mm + py) * PX_PER_MM) for px, py in points_mm]
        self.draw.line(points, fill=3, width=2)

    def mark(self, time_mm: float, y_mm: float) -> None:
        """A small downward triangle (a P-wave mark)."""
        x, y = time_mm * PX_PER_MM, y_mm * PX_PER_MM
        self.draw.polygon([(x - 5, y - 8), (x + 5, y - 8), (x, y)], fill=5)

    def label(self, x_mm: float, y_mm: float, text: str, colour: int = 3) -> None:
        x, y = round(x_mm * PX_PER_MM), round(y_mm * PX_PER_MM)
        self.draw.point(_text_points(x, y, text), fill=colour)

    def header(self, height_mm: float) -> None:
        """The white band on top: paper speed and gain, and the simulated-image watermark."""
        y = round((height_mm * PX_PER_MM - GLYPH_ROWS) / 2)
        self.draw.point(_text_points(8, y, "25 mm/s  10 mm/mV"), fill=3)
        mark = "SIMULATED · 模拟图像"
        self.draw.point(_text_points(self.width - _text_width(mark) - 8, y, mark), fill=4)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()


HEADER_MM = 7.0
LEFT_MM = 10.0


# The three lead II strips of the bradycardia figure: label, parameters.
BRADY_STRIPS: tuple[tuple[str, EcgParams], ...] = (
    ("A", EcgParams(heart_rate_bpm=48.0, respiratory_variation=0.03, seed=21)),
    (
        "B",
        EcgParams(
            rhythm="av_block_2",
            heart_rate_bpm=84.0,
            conduction=(1, 1, 1, 0),
            morphology=replace(ADULT, pr_s=0.18, qrs_s=0.13),
            seed=22,
        ),
    ),
    ("C", EcgParams(rhythm="av_block_3", heart_rate_bpm=92.0, ventricular_rate_bpm=41.0, seed=23)),
)

# An acute inferior STEMI: ST elevation in II, III, aVF (III > II), reciprocal
# depression in I and aVL.
INFERIOR_STEMI = EcgParams(
    heart_rate_bpm=78.0,
    st_vector_mv=(-0.10, 0.27, -0.04),
    t_extra_mv=(-0.06, 0.22, 0.0),
    leads=LEADS_12,
    seed=24,
)

ROWS_12 = (("I", "aVR", "V1", "V4"), ("II", "aVL", "V2", "V5"), ("III", "aVF", "V3", "V6"))


def brady_figure() -> bytes:
    """Three lead II strips: sinus bradycardia, Mobitz II, complete heart block; the P
    waves are marked so the learner can "march them out"."""
    strip_mm = 26.0
    paper = _Paper(LEFT_MM + 250.0 + 4.0, HEADER_MM + strip_mm * len(BRADY_STRIPS))
    paper.grid(HEADER_MM)
    paper.header(HEADER_MM)
    for row, (letter, params) in enumerate(BRADY_STRIPS):
        top = HEADER_MM + row * strip_mm
        baseline = top + 17.0
        strip = generate(params)
        paper.calibration(1.5, baseline)
        paper.trace(LEFT_MM, baseline, strip.samples[0], strip.sampling_rate)
        for p in strip.p_waves_s:
            paper.mark(LEFT_MM + p * 25.0, baseline - 4.0)
        paper.label(LEFT_MM + 1.0, top + 1.0, letter)
    return paper.png()


def stemi_figure() -> bytes:
    """An acute inferior STEMI in the standard 12-lead layout with a lead II rhythm strip."""
    strip = generate(INFERIOR_STEMI)
    fs = strip.sampling_rate
    row_mm = 27.0
    paper = _Paper(LEFT_MM + 250.0 + 4.0, HEADER_MM + row_mm * 4 + 3.0)
    paper.grid(HEADER_MM)
    paper.header(HEADER_MM)
    per_column = round(2.5 * fs)
    for row, names in enumerate(ROWS_12):
        baseline = HEADER_MM + row * row_mm + 16.0
        paper.calibration(1.5, baseline)
        for column, name in enumerate(names):
            values = strip.samples[
                LEADS_12.index(name), column * per_column : (column + 1) * per_column
            ]
            x = LEFT_MM + column * 62.5
            paper.trace(x, baseline, values, fs)
            paper.label(x + 1.0, baseline - 14.0, name)
    baseline = HEADER_MM + 3 * row_mm + 16.0
    paper.calibration(1.5, baseline)
    paper.trace(LEFT_MM, baseline, strip.samples[LEADS_12.index("II")], fs)
    paper.label(LEFT_MM + 1.0, baseline - 14.0, "II")
    return paper.png()


FIGURES: dict[str, Callable[[], bytes]] = {
    "av-block-strips.png": brady_figure,
    "inferior-stemi-12-lead.png": stemi_figure,
}


def builtin_assets() -> dict[Path, Callable[[], bytes]]:
    """Every committed asset this generator makes: absolute path → its exact bytes."""
    assets: dict[Path, Callable[[], bytes]] = {}
    for name in BUILTIN:
        assets[ASSETS_DIR / name] = lambda name=name: signal_bytes(name)  # type: ignore[misc]
    for name, make in FIGURES.items():
        assets[FIGURES_DIR / name] = make
    return assets


def beats_yaml(name: str) -> str:
    """The AI beat marks of ``name`` as case YAML lines."""
    return "\n".join(f"    - {{time_s: {r:.3f}}}" for r in ai_beats(name))


def main(argv: list[str] | None = None) -> int:
    """Regenerate the built-in assets (a developer tool; output is not translated)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, help="write every file into this folder instead")
    parser.add_argument("--beats", action="store_true", help="print the AI beat marks as YAML")
    args = parser.parse_args(argv)
    for path, make in builtin_assets().items():
        target = args.out / path.name if args.out else path
        data = make()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        print(f"{target}: {len(data)} bytes")
        if args.beats and path.name in BUILTIN:
            print(beats_yaml(path.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
