"""What an AI tool shows in a case: one model per kind, chosen by ``kind``.

Every output names its tool (:class:`ToolInfo`) and the interpretation option its
result maps to (``suggests``). Checks that need an asset's content (an overlay
inside the image) run when the pack is validated; see ``case_bank.assets``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from case_bank.text import Bilingual
from case_bank.validation import Issue, Loc, raise_issues
from case_bank.vocabulary import AIKind
from xiangyi.i18n import N_, _

OptionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]
Probability = Annotated[float, Field(ge=0, le=1)]

_ASSET_FORM = re.compile(r"^assets/[A-Za-z0-9_-][A-Za-z0-9._/-]*$")


def _asset_path(value: str) -> str:
    parts = value.split("/")
    if not _ASSET_FORM.match(value) or any(p in ("", ".", "..") for p in parts):
        raise ValueError(
            _(
                "'{path}' must be a file inside the pack's assets/ folder, written with / and "
                "only letters a-z, digits, '.', '-' and '_' (for example assets/xray-001.png)"
            ).format(path=value)
        )
    return value


AssetPath = Annotated[
    str,
    Field(
        max_length=200,
        description="A file in the pack's assets/ folder, e.g. assets/x.png",
        json_schema_extra={"pattern": _ASSET_FORM.pattern},
    ),
    AfterValidator(_asset_path),
]


def _moment(value: Any) -> Any:
    """A time point: a date (2024-03-01) or a whole day number (0, 14, 90)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, date | int) and not isinstance(value, bool):
        return value
    raise ValueError(_("expected a date such as 2024-03-01 or a day number such as 14"))


Moment = Annotated[
    date | int,
    BeforeValidator(_moment),
    Field(description="A date (2024-03-01) or a day number counted from day 0"),
]


class Strict(BaseModel):
    """Content models refuse unknown fields and are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _suffix_issue(loc: Loc, path: str, allowed: tuple[str, ...]) -> list[Issue]:
    if path.lower().endswith(allowed):
        return []
    message = _("'{path}' must end in {allowed}").format(path=path, allowed=", ".join(allowed))
    return [(loc, message)]


# --- vocabularies of the output kinds -------------------------------------------------


class ImageModality(StrEnum):
    CHEST_XRAY = "chest_xray"
    FUNDUS = "fundus"
    FRACTURE = "fracture"
    OTHER = "other"


class RiskSeverity(StrEnum):
    """A band's severity; renderers pick colours and symbols, content never does."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


class AlertSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Urgency(StrEnum):
    """Five triage levels, most urgent first."""

    RESUSCITATION = "resuscitation"
    EMERGENT = "emergent"
    URGENT = "urgent"
    LESS_URGENT = "less_urgent"
    NON_URGENT = "non_urgent"


class AlertKind(StrEnum):
    INTERACTION = "interaction"
    DOSE = "dose"
    CONTRAINDICATION = "contraindication"
    ALLERGY = "allergy"
    DUPLICATE = "duplicate"


class Route(StrEnum):
    ORAL = "oral"
    SUBLINGUAL = "sublingual"
    INTRAVENOUS = "iv"
    INTRAMUSCULAR = "im"
    SUBCUTANEOUS = "sc"
    INHALED = "inhaled"
    TOPICAL = "topical"
    RECTAL = "rectal"
    OTHER = "other"


OUTPUT_LABELS: dict[str, str] = {
    ImageModality.CHEST_XRAY: N_("Chest X-ray"),
    ImageModality.FUNDUS: N_("Fundus photograph"),
    ImageModality.FRACTURE: N_("Fracture X-ray"),
    ImageModality.OTHER: N_("Other image"),
    RiskSeverity.LOW: N_("Low"),
    RiskSeverity.MODERATE: N_("Moderate"),
    RiskSeverity.HIGH: N_("High"),
    RiskSeverity.VERY_HIGH: N_("Very high"),
    AlertSeverity.INFO: N_("Information"),
    AlertSeverity.WARNING: N_("Warning"),
    AlertSeverity.CRITICAL: N_("Critical"),
    Urgency.RESUSCITATION: N_("Resuscitation (immediate)"),
    Urgency.EMERGENT: N_("Emergent"),
    Urgency.URGENT: N_("Urgent"),
    Urgency.LESS_URGENT: N_("Less urgent"),
    Urgency.NON_URGENT: N_("Non-urgent"),
    AlertKind.INTERACTION: N_("Drug interaction"),
    AlertKind.DOSE: N_("Dose"),
    AlertKind.CONTRAINDICATION: N_("Contraindication"),
    AlertKind.ALLERGY: N_("Allergy"),
    AlertKind.DUPLICATE: N_("Duplicate therapy"),
    Route.ORAL: N_("oral"),
    Route.SUBLINGUAL: N_("sublingual"),
    Route.INTRAVENOUS: N_("intravenous"),
    Route.INTRAMUSCULAR: N_("intramuscular"),
    Route.SUBCUTANEOUS: N_("subcutaneous"),
    Route.INHALED: N_("inhaled"),
    Route.TOPICAL: N_("topical"),
    Route.RECTAL: N_("rectal"),
    Route.OTHER: N_("other route"),
}
"""Untranslated labels of the values above; show them with ``_(OUTPUT_LABELS[value])``."""


# --- the tool and the shared part of every output -------------------------------------


class ToolInfo(Strict):
    """What a real tool states about itself: name, intended use and performance."""

    name: Bilingual
    intended_use: Bilingual = Field(description="Who and what the tool is made for")
    sensitivity: Probability | None = Field(default=None, description="Stated sensitivity, 0-1")
    specificity: Probability | None = Field(default=None, description="Stated specificity, 0-1")
    stated_ppv: Probability | None = Field(default=None, description="Positive predictive value")
    stated_npv: Probability | None = Field(default=None, description="Negative predictive value")
    performance_note: Bilingual | None = Field(
        default=None, description="Other stated performance, e.g. for an LLM assistant"
    )
    version: str = "1.0"

    @model_validator(mode="after")
    def _states_performance(self) -> ToolInfo:
        stated = (self.sensitivity, self.specificity, self.stated_ppv, self.stated_npv)
        if all(v is None for v in stated) and self.performance_note is None:
            raise_issues(
                [
                    (
                        ("sensitivity",),
                        _(
                            "state the tool's performance: sensitivity, specificity, "
                            "stated_ppv, stated_npv or performance_note"
                        ),
                    )
                ]
            )
        return self


class OutputBase(Strict):
    """What every kind of output has: the tool and the option its result maps to."""

    tool: ToolInfo
    suggests: OptionId = Field(description="The interpretation option the AI's result maps to")

    def asset_refs(self) -> list[tuple[Loc, str]]:
        """Every asset this output uses, with the field that names it."""
        return []


# --- ecg ------------------------------------------------------------------------------


class BeatMark(Strict):
    time_s: float = Field(ge=0)
    label: str = Field(default="N", max_length=8)


class EcgOutput(OutputBase):
    """An ECG strip or 12-lead recording with the AI's rhythm label and beat marks."""

    kind: Literal[AIKind.ECG] = AIKind.ECG
    signal: AssetPath = Field(description="CSV (header = lead names) or .npy [sample, lead], mV")
    sampling_rate: int = Field(ge=100, le=2000, description="Samples per second")
    leads: list[str] = Field(min_length=1, max_length=12)
    label: Bilingual
    confidence: Probability
    beats: list[BeatMark] = Field(default_factory=list)
    findings: list[Bilingual] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> EcgOutput:
        issues = _suffix_issue(("signal",), self.signal, (".csv", ".npy"))
        if len(set(self.leads)) != len(self.leads):
            issues.append((("leads",), _("a lead is named twice")))
        times = [b.time_s for b in self.beats]
        if times != sorted(times):
            issues.append((("beats",), _("beat marks must be in time order")))
        raise_issues(issues)
        return self

    def asset_refs(self) -> list[tuple[Loc, str]]:
        return [(("signal",), self.signal)]


# --- image ----------------------------------------------------------------------------


class Box(Strict):
    """A rectangle in image pixels: top-left corner, width and height."""

    x: float = Field(ge=0)
    y: float = Field(ge=0)
    w: float = Field(gt=0)
    h: float = Field(gt=0)
    label: Bilingual | None = None
    score: Probability | None = None


class Polygon(Strict):
    """An outline (contour) in image pixels: ``[[x, y], ...]``, closed automatically."""

    points: list[tuple[float, float]] = Field(min_length=3, max_length=2000)
    label: Bilingual | None = None
    score: Probability | None = None


class Blob(Strict):
    """A gaussian spot of a heat map: centre, radius (one standard deviation) and weight."""

    x: float = Field(ge=0)
    y: float = Field(ge=0)
    radius: float = Field(gt=0)
    weight: Probability = 1.0


class HeatMap(Strict):
    """Where the AI "looked": a greyscale PNG the size of the image, or gaussian blobs."""

    asset: AssetPath | None = None
    blobs: list[Blob] = Field(default_factory=list, max_length=200)
    opacity: Probability = 0.4

    @model_validator(mode="after")
    def _one_source(self) -> HeatMap:
        if (self.asset is None) == (not self.blobs):
            raise_issues([((), _("give either 'asset' (a greyscale PNG) or 'blobs', not both"))])
        if self.asset is not None:
            raise_issues(_suffix_issue(("asset",), self.asset, (".png",)))
        return self


class Window(Strict):
    """Default display window of a DICOM image, in its rescaled units (e.g. HU)."""

    centre: float
    width: float = Field(gt=0)


class ImageOutput(OutputBase):
    """A chest X-ray, fundus photograph or fracture film with the AI's marks."""

    kind: Literal[AIKind.IMAGE] = AIKind.IMAGE
    image: AssetPath = Field(description="PNG, JPEG or de-identified DICOM (.dcm)")
    modality: ImageModality
    label: Bilingual
    score: Probability | None = Field(default=None, description="The tool's output score")
    confidence: Probability | None = None
    boxes: list[Box] = Field(default_factory=list, max_length=200)
    polygons: list[Polygon] = Field(default_factory=list, max_length=100)
    heat_map: HeatMap | None = None
    window: Window | None = None
    findings: list[Bilingual] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> ImageOutput:
        issues = _suffix_issue(("image",), self.image, (".png", ".jpg", ".jpeg", ".dcm"))
        if self.window is not None and not self.image.lower().endswith(".dcm"):
            issues.append((("window",), _("a display window applies to DICOM images only")))
        raise_issues(issues)
        return self

    def asset_refs(self) -> list[tuple[Loc, str]]:
        refs: list[tuple[Loc, str]] = [(("image",), self.image)]
        if self.heat_map is not None and self.heat_map.asset is not None:
            refs.append((("heat_map", "asset"), self.heat_map.asset))
        return refs

    def overlay_issues(self, width: int, height: int) -> list[Issue]:
        """Overlays that fall outside an image of ``width`` × ``height`` pixels."""
        issues: list[Issue] = []
        outside = _("lies outside the image ({width} × {height} pixels)").format(
            width=width, height=height
        )
        for i, box in enumerate(self.boxes):
            if box.x + box.w > width or box.y + box.h > height:
                issues.append((("boxes", i), outside))
        for i, polygon in enumerate(self.polygons):
            for j, (x, y) in enumerate(polygon.points):
                if not (0 <= x <= width and 0 <= y <= height):
                    issues.append((("polygons", i, "points", j), outside))
        for i, blob in enumerate(self.heat_map.blobs if self.heat_map else []):
            if blob.x > width or blob.y > height:
                issues.append((("heat_map", "blobs", i), outside))
        return issues
