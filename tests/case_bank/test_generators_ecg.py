"""The synthetic ECG generator: determinism, the 12-lead dipole model, rhythms,
artefacts, the built-in signals and the module figures."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from case_bank.assets import load_signal
from case_bank.generators import ecg
from case_bank.generators.ecg import (
    ADULT,
    BUILTIN,
    LEADS_12,
    PAEDIATRIC,
    EcgParams,
    EcgStrip,
    Spike,
    Tremor,
    generate,
)
from case_bank.models import EcgOutput
from case_bank.pack import load_pack

PACK = Path(ecg.__file__).resolve().parent.parent / "packs" / "ecg-basics"
MODULE = Path(ecg.__file__).resolve().parents[2] / "courses" / "modules" / "ecg-ai"
FS = 250


def _lead(strip: EcgStrip, name: str) -> np.ndarray:
    return strip.samples[list(strip.leads).index(name)]


def _window_mean(strip: EcgStrip, lead: str, start_s: float, end_s: float) -> np.ndarray:
    """Average of one lead from ``start_s`` to ``end_s`` around each R peak."""
    values = _lead(strip, lead)
    first, last = round(start_s * FS), round(end_s * FS)
    segments = []
    for r in strip.r_peaks_s:
        centre = round(r * FS)
        if centre + first >= 0 and centre + last < len(values):
            segments.append(values[centre + first : centre + last])
    return np.mean(segments, axis=0)


def _p_wave_size(strip: EcgStrip, lead: str = "II") -> float:
    """Peak-to-peak of the beat-averaged stretch before the QRS, where a P wave would be."""
    average = _window_mean(strip, lead, -0.22, -0.07)
    return float(average.max() - average.min())


def _st_level(strip: EcgStrip, lead: str, qrs_s: float = ADULT.qrs_s) -> float:
    """Median ST level 60 ms after the J point, relative to the PR segment, in mV."""
    values = _lead(strip, lead)
    levels = []
    for r in strip.r_peaks_s:
        baseline = round((r - 0.45 * qrs_s - 0.03) * FS)
        st = round((r + 0.55 * qrs_s + 0.06) * FS)
        if baseline >= 0 and st < len(values):
            levels.append(values[st] - values[baseline])
    return float(np.median(levels))


def _detect_r_peaks(lead: np.ndarray, threshold: float = 0.6) -> np.ndarray:
    """A plain detector: local maxima above ``threshold`` mV, at least 0.2 s apart."""
    above = (lead[1:-1] > threshold) & (lead[1:-1] >= lead[:-2]) & (lead[1:-1] > lead[2:])
    peaks: list[int] = []
    for i in np.flatnonzero(above) + 1:
        if not peaks or i - peaks[-1] > 0.2 * FS:
            peaks.append(int(i))
    return np.array(peaks) / FS


def _band_power(signal: np.ndarray, low_hz: float, high_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal - signal.mean())) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1.0 / FS)
    return float(spectrum[(freqs >= low_hz) & (freqs <= high_hz)].sum() / spectrum.sum())


# --- determinism and the committed files -----------------------------------------------------


def test_every_asset_is_rebuilt_byte_for_byte() -> None:
    for path, make in ecg.builtin_assets().items():
        first = make()
        assert first == make(), path.name
        assert path.is_file(), f"{path} is missing: run python -m case_bank.generators.ecg"
        assert path.read_bytes() == first, f"{path} is stale: rebuild the assets"


def test_every_pack_asset_and_lesson_figure_comes_from_the_generator() -> None:
    made = {path.resolve() for path in ecg.builtin_assets()}
    for path in (PACK / "assets").glob("*"):
        assert path.resolve() in made, path.name
    for lesson in (MODULE / "lessons").glob("*/*.md"):
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", lesson.read_text(encoding="utf-8")):
            image = (lesson.parent / target).resolve()
            if image.suffix == ".png" and "figures" in image.parts:
                assert image in made, f"{lesson}: {target}"


def test_main_twice_writes_identical_files(tmp_path: Path) -> None:
    ecg.main(["--out", str(tmp_path / "one")])
    ecg.main(["--out", str(tmp_path / "two")])
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in ecg.builtin_assets())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_different_seeds_differ() -> None:
    a = generate(EcgParams(seed=1))
    b = generate(EcgParams(seed=2))
    assert not np.allclose(a.samples, b.samples)


def test_write_csv_round_trips(tmp_path: Path) -> None:
    samples = np.array([[0.0, -0.00001, 1.23456, -0.5]])
    path = tmp_path / "x.csv"
    ecg.write_csv(path, ["II"], samples)
    assert path.read_bytes() == b"II\n0.0000\n0.0000\n1.2346\n-0.5000\n"
    assert np.allclose(load_signal(path, ["II"]), [[0.0, 0.0, 1.2346, -0.5]])
    assert ecg.csv_bytes(["I", "II"], np.array([[0.12345], [-1.0]]), 3) == b"I,II\n0.123,-1.000\n"


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_builtin_signals_load_with_their_leads(name: str) -> None:
    item = BUILTIN[name]
    stored = load_signal(PACK / "assets" / name, list(item.params.leads))
    strip = generate(item.params)
    assert stored.shape == strip.samples.shape
    assert np.abs(stored - strip.samples).max() <= 0.51 * 10.0**-item.decimals


def test_builtin_cases_match_their_signals_and_ai_marks() -> None:
    pack = load_pack(PACK)
    assert pack.valid, [str(p) for p in pack.problems]
    assert not pack.warnings, [str(p) for p in pack.warnings]
    used = set()
    for case in pack.cases:
        output = case.ai_output
        assert isinstance(output, EcgOutput)
        name = Path(output.signal).name
        used.add(name)
        item = BUILTIN[name]
        assert output.sampling_rate == item.params.sampling_rate
        assert tuple(output.leads) == item.params.leads
        marks = np.array([b.time_s for b in output.beats])
        expected = ecg.ai_beats(name)
        assert len(marks) == len(expected), case.id
        assert np.abs(marks - expected).max() < 0.001, case.id
        assert case.simulated
    assert used == set(BUILTIN)


# --- the 12-lead dipole model ----------------------------------------------------------------


def test_limb_leads_keep_einthoven_and_goldberger() -> None:
    strip = generate(EcgParams(leads=LEADS_12, noise_mv=0.02, mains_mv=0.02, seed=5))
    i, ii, iii = _lead(strip, "I"), _lead(strip, "II"), _lead(strip, "III")
    assert np.allclose(iii, ii - i)
    assert np.allclose(_lead(strip, "aVR"), -(i + ii) / 2)
    assert np.allclose(_lead(strip, "aVL"), i - ii / 2)
    assert np.allclose(_lead(strip, "aVF"), ii - i / 2)


def test_normal_twelve_lead_morphology() -> None:
    strip = generate(EcgParams(leads=LEADS_12, seed=4))
    qrs = {name: _window_mean(strip, name, -0.06, 0.06) for name in LEADS_12}
    # Upright QRS in II, negative in aVR; normal axis.
    assert qrs["II"].max() > 0.9 and qrs["aVR"].min() < -0.6 and qrs["aVR"].max() < 0.3
    assert qrs["I"].max() > 0.4 and qrs["aVF"].max() > 0.5
    # R-wave progression: S dominant in V1, R dominant in V6, R grows from V1 to V4.
    assert -qrs["V1"].min() > 2 * qrs["V1"].max()
    assert qrs["V6"].max() > 3 * -qrs["V6"].min()
    r = [qrs[f"V{n}"].max() for n in range(1, 5)]
    assert r == sorted(r)
    # Upright P and T in II; inverted P in aVR.
    assert _p_wave_size(strip) > 0.1
    assert _window_mean(strip, "II", 0.15, 0.4).max() > 0.2
    assert _window_mean(strip, "aVR", -0.22, -0.07).min() < -0.05


def test_paediatric_t_waves_are_inverted_in_v1() -> None:
    child = generate(EcgParams(leads=LEADS_12, heart_rate_bpm=110, morphology=PAEDIATRIC, seed=3))
    adult = generate(EcgParams(leads=LEADS_12, heart_rate_bpm=110, seed=3))
    assert _window_mean(child, "V1", 0.12, 0.3).min() < -0.05
    assert _window_mean(adult, "V1", 0.12, 0.3).min() > -0.05
    # A taller R in V1 than the adult's (right-ventricular dominance).
    assert (
        _window_mean(child, "V1", -0.03, 0.03).max() > _window_mean(adult, "V1", -0.03, 0.03).max()
    )


def test_unknown_lead_is_refused() -> None:
    with pytest.raises(ValueError, match="V7"):
        generate(EcgParams(leads=("II", "V7")))


def test_strip_shape_and_units() -> None:
    strip = generate(EcgParams(duration_s=10.0, sampling_rate=FS))
    assert strip.samples.shape == (1, 10 * FS)
    assert strip.leads == ("II",)
    assert 0.8 < strip.samples.max() < 2.0  # R waves about 1.2 mV
    assert strip.r_peaks_s.min() >= 0 and strip.r_peaks_s.max() < 10.0


# --- rhythms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "morphology"), [(48, None), (72, None), (100, None), (130, PAEDIATRIC)]
)
def test_sinus_rate_matches_request(rate: float, morphology: ecg.Morphology | None) -> None:
    params = EcgParams(heart_rate_bpm=rate, seed=7, morphology=morphology or ADULT)
    strip = generate(params)
    rr = np.diff(strip.r_peaks_s)
    assert abs(60.0 / rr.mean() - rate) < 3
    assert rr.std() / rr.mean() < 0.05
    # The reported R peaks are where the signal really peaks (a QRS cut by either end of
    # the strip is not reported).
    detected = _detect_r_peaks(strip.samples[0])
    detected = detected[(detected > 0.05) & (detected < params.duration_s - 0.06)]
    assert len(detected) == len(strip.r_peaks_s)
    assert np.abs(detected - strip.r_peaks_s).max() <= 1.5 / FS


def test_atrial_fibrillation_is_irregular_without_p_waves() -> None:
    strip = generate(BUILTIN["ecg-af-001.csv"].params)
    rr = np.diff(strip.r_peaks_s)
    assert rr.std() / rr.mean() > 0.08
    assert len(strip.p_waves_s) == 0
    assert _p_wave_size(strip) < 0.06
    assert len(strip.r_peaks_s) == 16  # the renderer tests count the beats of this strip


def test_sinus_arrhythmia_follows_breathing_with_a_p_wave_before_each_beat() -> None:
    strip = generate(BUILTIN["ecg-sinusarr-008.csv"].params)
    rr = np.diff(strip.r_peaks_s)
    assert rr.std() / rr.mean() > 0.08
    # Unlike AF, each beat has its P wave at a fixed distance.
    pr = [r - max(p for p in strip.p_waves_s if p < r) for r in strip.r_peaks_s[1:]]
    assert np.ptp(pr) < 0.01
    # RR follows the breathing cycle (0.2 Hz): a sinusoid explains most of its variance.
    t = strip.r_peaks_s[1:]
    design = np.column_stack(
        [np.ones_like(t), np.sin(2 * np.pi * 0.2 * t), np.cos(2 * np.pi * 0.2 * t)]
    )
    fitted = design @ np.linalg.lstsq(design, rr, rcond=None)[0]
    assert 1 - ((rr - fitted) ** 2).sum() / ((rr - rr.mean()) ** 2).sum() > 0.8


def test_premature_atrial_beats_come_early_with_their_own_p_wave() -> None:
    strip = generate(EcgParams(heart_rate_bpm=70, pac_probability=0.3, seed=31))
    rr = np.diff(strip.r_peaks_s)
    assert rr.min() < 0.75 * np.median(rr)
    assert len(strip.p_waves_s) >= len(strip.r_peaks_s)


def test_complete_heart_block_dissociates_p_waves_from_qrs() -> None:
    strip = generate(BUILTIN["ecg-chb-006.csv"].params)
    duration = 10.0
    p_rate = len(strip.p_waves_s) / duration * 60
    qrs_rr = np.diff(strip.r_peaks_s)
    assert 60 / qrs_rr.mean() < 45 and p_rate > 70
    assert qrs_rr.std() / qrs_rr.mean() < 0.05  # a regular escape rhythm
    # The interval from the last P wave to each QRS keeps changing.
    pr = [r - max(p for p in strip.p_waves_s if p < r) for r in strip.r_peaks_s if r > 1.0]
    assert np.ptp(pr) > 0.2


def test_mobitz_ii_drops_beats_with_a_constant_pr_interval() -> None:
    params = EcgParams(rhythm="av_block_2", heart_rate_bpm=84, conduction=(1, 1, 1, 0), seed=22)
    strip = generate(params)
    assert len(strip.p_waves_s) > len(strip.r_peaks_s) + 1
    pr = [r - max(p for p in strip.p_waves_s if p < r) for r in strip.r_peaks_s if r > 1.0]
    assert np.ptp(pr) < 0.01


def test_flutter_two_to_one_runs_at_150_with_sawtooth_waves() -> None:
    params = BUILTIN["ecg-flutter-010.csv"].params
    strip = generate(params)
    rr = np.diff(strip.r_peaks_s)
    assert abs(60 / rr.mean() - 150) < 3 and rr.std() / rr.mean() < 0.02
    assert len(strip.p_waves_s) == 0
    # Without noise, the recording less the same one without flutter is the flutter wave.
    quiet = replace(params, noise_mv=0.0, baseline_wander_mv=0.0)
    f = generate(quiet).samples - generate(replace(quiet, flutter_mv=0.0)).samples
    f_ii, f_v1 = f[LEADS_12.index("II")], f[LEADS_12.index("V1")]
    assert 0.15 < np.ptp(f_ii) < 0.5
    cycle = round(0.2 * FS)  # 300/min
    assert np.corrcoef(f_ii[:-cycle], f_ii[cycle:])[0, 1] > 0.95
    assert np.corrcoef(f_ii, f_v1)[0, 1] < -0.9  # negative in II, positive in V1
    # A sawtooth: in II it falls slowly and rises fast.
    steps = np.diff(f_ii)
    assert (steps < 0).sum() > 2 * (steps > 0).sum()


# --- ST, T and paced beats -------------------------------------------------------------------


def test_single_lead_stemi_st_segment_is_elevated() -> None:
    assert _st_level(generate(BUILTIN["ecg-stemi-002.csv"].params), "II") >= 0.15
    assert abs(_st_level(generate(EcgParams(seed=2)), "II")) < 0.1


def test_anterior_stemi_has_reciprocal_inferior_depression() -> None:
    strip = generate(BUILTIN["ecg-stemi-007.csv"].params)
    for lead in ("V2", "V3", "V4"):
        assert _st_level(strip, lead) > 0.3, lead
    assert _st_level(strip, "III") < -0.1
    assert _st_level(strip, "aVF") < -0.08


def test_inferior_stemi_figure_has_reciprocal_lateral_depression() -> None:
    strip = generate(ecg.INFERIOR_STEMI)
    assert _st_level(strip, "III") > _st_level(strip, "II") > 0.1
    assert _st_level(strip, "aVL") < -0.1
    assert abs(_st_level(strip, "V5")) < 0.1


def test_hyperkalaemia_gives_tall_narrow_t_waves() -> None:
    item = BUILTIN["ecg-hyperk-011.csv"]
    strip = generate(item.params)
    normal = generate(EcgParams(leads=LEADS_12, heart_rate_bpm=60, seed=11))
    for lead in ("V2", "V3", "V4"):
        t_peak = _window_mean(strip, lead, 0.12, 0.45).max()
        assert t_peak > 1.0 and t_peak > 2 * _window_mean(normal, lead, 0.12, 0.45).max(), lead

    # Narrow: the T wave spends less time above half its height than a normal T.
    def width_at_half(s: EcgStrip) -> int:
        t = _window_mean(s, "V3", 0.12, 0.5)
        return int((t > t.max() / 2).sum())

    assert width_at_half(strip) < 0.8 * width_at_half(normal)
    assert _p_wave_size(strip) < 0.6 * _p_wave_size(normal)


def test_paced_beats_have_spikes_and_wide_negative_qrs_in_ii() -> None:
    strip = generate(BUILTIN["ecg-paced-012.csv"].params)
    ii = _lead(strip, "II")
    jumps = np.abs(np.diff(ii))
    assert (jumps > 0.4).sum() >= 2 * (len(strip.r_peaks_s) - 1)  # up and down per spike
    qrs = _window_mean(strip, "II", -0.1, 0.1)
    assert qrs.min() < -0.3  # left superior axis: negative in II
    assert _window_mean(strip, "V1", -0.1, 0.1).min() < -1.0  # QS in V1
    assert _window_mean(strip, "I", -0.1, 0.1).max() > 0.5


# --- artefacts -------------------------------------------------------------------------------


def test_right_arm_tremor_spares_lead_iii() -> None:
    params = BUILTIN["ecg-tremor-009.csv"].params
    strip = generate(params)
    clean = generate(EcgParams(leads=LEADS_12, heart_rate_bpm=72, seed=9))
    for lead in ("I", "II", "aVR"):
        assert _band_power(_lead(strip, lead), 4.0, 5.5) > 0.5, lead
    assert _band_power(_lead(strip, "III"), 4.0, 5.5) < 2 * _band_power(
        _lead(clean, "III"), 4.0, 5.5
    )
    # The fooled detector marks the tremor: far more "beats" than the true rhythm.
    assert len(ecg.ai_beats("ecg-tremor-009.csv")) > 3 * len(strip.r_peaks_s)


def test_tremor_moves_only_its_own_electrode() -> None:
    quiet = EcgParams(leads=LEADS_12, noise_mv=0.0, baseline_wander_mv=0.0, seed=1)
    strip = generate(replace(quiet, tremor=Tremor("LA", 5.0, 1.0)))
    base = generate(quiet)
    assert np.allclose(_lead(strip, "II"), _lead(base, "II"))  # II = LL - RA
    for lead in ("I", "III", "aVL"):
        assert np.ptp(_lead(strip, lead) - _lead(base, lead)) > 0.8, lead


def test_mains_and_wander_show_in_their_bands() -> None:
    quiet = generate(EcgParams(seed=3))
    hum = generate(EcgParams(mains_mv=0.05, seed=3))
    drift = generate(EcgParams(baseline_wander_mv=0.3, seed=3))
    assert _band_power(hum.samples[0], 49.0, 51.0) > 10 * _band_power(quiet.samples[0], 49.0, 51.0)
    assert _band_power(drift.samples[0], 0.05, 0.6) > 5 * _band_power(quiet.samples[0], 0.05, 0.6)


def test_noisy_short_strip_fools_the_naive_detector() -> None:
    params = BUILTIN["ecg-noisy-013.csv"].params
    strip = generate(params)
    assert strip.samples.shape == (1, 6 * FS)
    marks = ecg.ai_beats("ecg-noisy-013.csv")
    # Some marks sit on the motion spikes, far from any true R peak...
    spikes = [s.time_s for s in params.spikes]
    assert sum(min(abs(m - s) for s in spikes) < 0.02 for m in marks) >= 2
    # ...so the marked RR intervals look irregular while the true ones are regular.
    assert np.diff(marks).std() / np.diff(marks).mean() > 0.2
    assert np.diff(strip.r_peaks_s).std() / np.diff(strip.r_peaks_s).mean() < 0.05


def test_a_spike_is_a_sharp_transient_on_one_electrode() -> None:
    params = EcgParams(
        leads=("I", "II", "III"), spikes=(Spike(2.0, "LL", 1.0),), noise_mv=0, seed=2
    )
    strip = generate(params)
    at = round(2.0 * FS)
    base = generate(EcgParams(leads=("I", "II", "III"), noise_mv=0, seed=2))
    assert abs(_lead(strip, "I")[at] - _lead(base, "I")[at]) < 1e-9  # I does not use LL
    assert _lead(strip, "II")[at] - _lead(base, "II")[at] > 0.8


# --- figures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ecg.FIGURES))
def test_figures_are_small_simulated_ecg_paper(name: str) -> None:
    data = ecg.FIGURES[name]()
    assert data == ecg.FIGURES[name]()
    assert len(data) < 300_000
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "P"
    assert 700 <= image.width <= 1024
    pixels = np.asarray(image)
    header = pixels[: round(ecg.HEADER_MM * ecg.PX_PER_MM)]
    assert (header == 4).sum() > 200  # the "SIMULATED · 模拟图像" watermark
    assert (pixels == 3).sum() > 5000  # traces and labels
    assert (pixels == 2).sum() > 5000  # the 5 mm grid
    assert not image.info.get("dpi") and "Software" not in image.info


def test_brady_figure_marks_every_p_wave() -> None:
    pixels = np.asarray(Image.open(io.BytesIO(ecg.brady_figure())))
    marks = int((pixels == 5).sum())
    count = sum(len(generate(params).p_waves_s) for _letter, params in ecg.BRADY_STRIPS)
    assert count > 25
    assert marks > 20 * count  # a filled triangle per P wave
