"""What the ECG editor hands to the player's strip, and how it asks for a synthetic signal.

While a trainer is still typing, the output is not valid yet (no label, no confidence),
but the strip must still show the signal and the marks; :func:`display_output` builds
an output for drawing only, filling what is missing with a dash.
"""

from __future__ import annotations

from typing import Any

from case_bank.generators.ecg import LEADS_12, EcgParams, EcgStrip, generate
from case_bank.outputs import BeatMark, EcgOutput, ToolInfo
from case_bank.text import Bilingual

# Rhythm-specific settings a trainer should not have to know (as in the built-in signals).
RHYTHM_SETTINGS: dict[str, dict[str, Any]] = {
    "sinus": {},
    "af": {"rr_irregularity": 0.22, "fibrillation_mv": 0.16},
    "flutter": {"atrial_rate_bpm": 300.0, "flutter_mv": 0.22},
    "av_block_2": {"conduction": (1, 1, 1, 0)},
    "av_block_3": {"ventricular_rate_bpm": 38.0},
    "paced": {"spike_mv": 0.6},
}


def generate_strip(rhythm: str, rate: float, duration: float, twelve: bool, seed: int) -> EcgStrip:
    """A synthetic recording at 250 samples per second (lead II, or all 12 leads)."""
    params = EcgParams(
        rhythm=rhythm,  # type: ignore[arg-type]
        heart_rate_bpm=rate,
        duration_s=duration,
        leads=LEADS_12 if twelve else ("II",),
        seed=seed,
        **RHYTHM_SETTINGS.get(rhythm, {}),
    )
    return generate(params)


def _text(value: Any) -> Bilingual:
    value = value if isinstance(value, dict) else {}
    return Bilingual.model_construct(zh_CN=value.get("zh_CN") or "—", en=value.get("en") or "—")


def _number(value: Any, default: float) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def display_output(value: dict[str, Any], tool: dict[str, Any]) -> EcgOutput:
    """An ``EcgOutput`` for drawing the editor's current state (never validated)."""
    info = ToolInfo.model_construct(
        name=_text(tool.get("name")),
        intended_use=_text(tool.get("intended_use")),
        sensitivity=_number(tool.get("sensitivity"), 0.0),
        specificity=_number(tool.get("specificity"), 0.0),
        version=str(tool.get("version") or "1.0"),
    )
    beats = [
        BeatMark.model_construct(time_s=_number(b.get("time_s"), 0.0), label=b.get("label", "N"))
        for b in value.get("beats") or []
    ]
    return EcgOutput.model_construct(
        tool=info,
        suggests=str(value.get("suggests", "")),
        signal=str(value.get("signal", "")),
        sampling_rate=int(value.get("sampling_rate") or 250),
        leads=list(value.get("leads") or []),
        label=_text(value.get("label")),
        confidence=_number(value.get("confidence"), 0.0),
        beats=beats,
        findings=[_text(f) for f in value.get("findings") or []],
    )
