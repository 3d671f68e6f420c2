"""The synthetic ECG generator: determinism, rhythm and morphology, built-in assets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from case_bank.assets import load_signal
from case_bank.generators import ecg
from case_bank.generators.ecg import BUILTIN, PAEDIATRIC, EcgParams, EcgStrip, generate
from case_bank.pack import load_pack

PACK = Path(ecg.__file__).resolve().parent.parent / "packs" / "ecg-basics"
FS = 250


def _window_mean(strip: EcgStrip, start_s: float, end_s: float) -> np.ndarray:
    """Average of the lead-II samples from ``start_s`` to ``end_s`` around each R peak."""
    lead = strip.samples[0]
    first, last = round(start_s * FS), round(end_s * FS)
    segments = []
    for r in strip.r_peaks_s:
        centre = round(r * FS)
        if centre + first >= 0 and centre + last < len(lead):
            segments.append(lead[centre + first : centre + last])
    return np.mean(segments, axis=0)


def _p_wave_size(strip: EcgStrip) -> float:
    """Peak-to-peak of the beat-averaged stretch before the QRS, where a P wave would be."""
    average = _window_mean(strip, -0.22, -0.07)
    return float(average.max() - average.min())


def _st_elevation(strip: EcgStrip) -> float:
    """Median ST level 60 ms after the J point, relative to the PR segment, in mV."""
    lead = strip.samples[0]
    qrs = BUILTIN["ecg-stemi-002.csv"].morphology.qrs_s
    levels = []
    for r in strip.r_peaks_s:
        baseline = round((r - 0.45 * qrs - 0.03) * FS)
        st = round((r + 0.55 * qrs + 0.06) * FS)
        if baseline >= 0 and st < len(lead):
            levels.append(lead[st] - lead[baseline])
    return float(np.median(levels))


def _detect_r_peaks(lead: np.ndarray, threshold: float = 0.6) -> np.ndarray:
    """A plain detector: local maxima above ``threshold`` mV, at least 0.2 s apart."""
    above = (lead[1:-1] > threshold) & (lead[1:-1] >= lead[:-2]) & (lead[1:-1] > lead[2:])
    peaks: list[int] = []
    for i in np.flatnonzero(above) + 1:
        if not peaks or i - peaks[-1] > 0.2 * FS:
            peaks.append(int(i))
    return np.array(peaks) / FS


def test_same_params_give_identical_bytes(tmp_path: Path) -> None:
    for name, params in BUILTIN.items():
        first, second = generate(params), generate(params)
        ecg.write_csv(tmp_path / f"a-{name}", first.leads, first.samples)
        ecg.write_csv(tmp_path / f"b-{name}", second.leads, second.samples)
        assert (tmp_path / f"a-{name}").read_bytes() == (tmp_path / f"b-{name}").read_bytes()


def test_main_twice_writes_identical_files(tmp_path: Path) -> None:
    ecg.main(["--out", str(tmp_path / "one")])
    ecg.main(["--out", str(tmp_path / "two")])
    for name in BUILTIN:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_different_seeds_differ() -> None:
    a = generate(EcgParams(seed=1))
    b = generate(EcgParams(seed=2))
    assert not np.allclose(a.samples, b.samples)


def test_atrial_fibrillation_is_irregular_without_p_waves() -> None:
    strip = generate(BUILTIN["ecg-af-001.csv"])
    rr = np.diff(strip.r_peaks_s)
    assert rr.std() / rr.mean() > 0.1
    assert _p_wave_size(strip) < 0.05
    # The same measure does see P waves in sinus rhythm.
    assert _p_wave_size(generate(EcgParams(seed=1))) > 0.1


def test_stemi_st_segment_is_elevated() -> None:
    assert _st_elevation(generate(BUILTIN["ecg-stemi-002.csv"])) >= 0.15
    assert abs(_st_elevation(generate(EcgParams(seed=2)))) < 0.1


@pytest.mark.parametrize(
    ("rate", "morphology"), [(60, None), (72, None), (100, None), (130, PAEDIATRIC)]
)
def test_sinus_rate_matches_request(rate: float, morphology: ecg.Morphology | None) -> None:
    params = EcgParams(heart_rate_bpm=rate, seed=7, morphology=morphology or ecg.ADULT)
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


def test_strip_shape_and_units() -> None:
    strip = generate(EcgParams(duration_s=10.0, sampling_rate=FS))
    assert strip.samples.shape == (1, 10 * FS)
    assert strip.leads == ("II",)
    assert 0.8 < strip.samples.max() < 2.0  # R waves about 1.2 mV
    assert strip.r_peaks_s.min() >= 0 and strip.r_peaks_s.max() < 10.0


def test_unknown_lead_is_refused() -> None:
    with pytest.raises(ValueError, match="V7"):
        generate(EcgParams(leads=("II", "V7")))


def test_write_csv_round_trips(tmp_path: Path) -> None:
    samples = np.array([[0.0, -0.00001, 1.23456, -0.5]])
    path = tmp_path / "x.csv"
    ecg.write_csv(path, ["II"], samples)
    assert path.read_bytes() == b"II\n0.0000\n0.0000\n1.2346\n-0.5000\n"
    assert np.allclose(load_signal(path, ["II"]), [[0.0, 0.0, 1.2346, -0.5]])


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_builtin_assets_match_generator(name: str) -> None:
    # Compared to the printed precision (1e-4 mV) rather than byte for byte, so a
    # last-digit rounding difference of another platform's maths library cannot fail it.
    strip = generate(BUILTIN[name])
    stored = load_signal(PACK / "assets" / name, list(strip.leads))
    assert stored.shape == strip.samples.shape
    assert np.abs(stored - strip.samples).max() <= 1.5e-4


def test_builtin_cases_mark_the_generated_r_peaks() -> None:
    pack = load_pack(PACK)
    assert pack.valid, [str(p) for p in pack.problems]
    for case in pack.cases:
        output = case.ai_output
        strip = generate(BUILTIN[Path(output.signal).name])
        marks = np.array([b.time_s for b in output.beats])
        assert output.sampling_rate == strip.sampling_rate
        assert len(marks) == len(strip.r_peaks_s)
        assert np.abs(marks - strip.r_peaks_s).max() < 0.001
