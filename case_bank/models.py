"""The staged case: presentation → own read → AI output → decision → feedback.

Content is data validated by these models; nothing in a pack is executed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from case_bank.text import Bilingual
from case_bank.vocabulary import AIError, AIKind, Domain, Limitation, Reliance

CaseId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]
OptionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    id: OptionId
    text: Bilingual


class Vital(Strict):
    label: Bilingual
    value: str = Field(min_length=1)


class Source(Strict):
    """A clinical source: guideline, standard or textbook."""

    citation: str = Field(min_length=5)
    year: int | None = Field(default=None, ge=1900, le=2100)


class Presentation(Strict):
    age_years: float = Field(ge=0, le=120)
    sex: Literal["female", "male"]
    setting: Bilingual
    complaint: Bilingual
    history: Bilingual
    vitals: list[Vital] = Field(default_factory=list)


class OwnRead(Strict):
    """The doctor's impression before the AI output is shown."""

    required: bool = True
    prompt: Bilingual


class ToolInfo(Strict):
    """What a real tool states about itself."""

    name: Bilingual
    intended_use: Bilingual
    sensitivity: float = Field(ge=0, le=1)
    specificity: float = Field(ge=0, le=1)
    version: str = "1.0"


class BeatMark(Strict):
    time_s: float = Field(ge=0)
    label: str = Field(default="N", max_length=8)


class EcgOutput(Strict):
    kind: Literal[AIKind.ECG] = AIKind.ECG
    tool: ToolInfo
    signal: str = Field(min_length=1, description="CSV asset, one column per lead, in mV")
    sampling_rate: int = Field(ge=100, le=2000)
    leads: list[str] = Field(min_length=1, max_length=12)
    label: Bilingual
    confidence: float = Field(ge=0, le=1)
    suggests: OptionId = Field(description="The interpretation option the AI's label maps to")
    beats: list[BeatMark] = Field(default_factory=list)
    findings: list[Bilingual] = Field(default_factory=list)


# More kinds join this union as their renderers land; the discriminator keeps
# validation messages precise ("kind: must be one of ...").
AIOutput = Annotated[EcgOutput, Field(discriminator="kind")]


class Decision(Strict):
    interpretations: list[Option] = Field(min_length=2)
    actions: list[Option] = Field(min_length=2)
    limitations: list[Limitation] = Field(default_factory=lambda: list(Limitation))


class Feedback(Strict):
    truth: Bilingual
    ai_assessment: Bilingual
    teaching_points: list[Bilingual] = Field(min_length=1)


class ScoringKey(Strict):
    """How a decision is scored.

    ``interpretation`` gives credit per option (1.0 full, fractions partial).
    """

    interpretation: dict[OptionId, float] = Field(min_length=1)
    ideal_actions: list[OptionId] = Field(min_length=1)
    acceptable_actions: list[OptionId] = Field(default_factory=list)
    critical_actions: list[OptionId] = Field(default_factory=list)
    expected_reliance: Reliance
    limitations: list[Limitation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _credits_in_range(self) -> ScoringKey:
        for option, credit in self.interpretation.items():
            if not 0 <= credit <= 1:
                raise ValueError(f"credit for '{option}' must be between 0 and 1")
        if max(self.interpretation.values()) != 1:
            raise ValueError("at least one interpretation must have full credit (1.0)")
        overlap = set(self.critical_actions) & set(self.ideal_actions + self.acceptable_actions)
        if overlap:
            raise ValueError(f"actions both critical and acceptable: {sorted(overlap)}")
        return self


class Case(Strict):
    id: CaseId
    version: int = Field(ge=1)
    title: Bilingual
    domains: list[Domain] = Field(min_length=1)
    ai_kind: AIKind
    ai_error: AIError
    difficulty: int = Field(ge=1, le=3, description="1 easy, 2 medium, 3 hard")
    simulated: bool
    sources: list[Source] = Field(min_length=1)
    author: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    presentation: Presentation
    own_read: OwnRead | None = None
    ai_output: AIOutput
    decision: Decision
    feedback: Feedback
    key: ScoringKey

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        interp_ids = [o.id for o in self.decision.interpretations]
        action_ids = [o.id for o in self.decision.actions]
        _unique(interp_ids, "decision.interpretations")
        _unique(action_ids, "decision.actions")
        if self.ai_output.kind != self.ai_kind:
            raise ValueError(f"ai_output.kind '{self.ai_output.kind}' differs from ai_kind")
        if self.ai_output.suggests not in interp_ids:
            raise ValueError(f"ai_output.suggests '{self.ai_output.suggests}' is not an option")
        for option in self.key.interpretation:
            if option not in interp_ids:
                raise ValueError(f"key.interpretation names unknown option '{option}'")
        key_actions = (
            self.key.ideal_actions + self.key.acceptable_actions + self.key.critical_actions
        )
        for action in key_actions:
            if action not in action_ids:
                raise ValueError(f"key names unknown action '{action}'")
        ai_right = self.key.interpretation.get(self.ai_output.suggests, 0) == 1
        if ai_right != (self.key.expected_reliance == Reliance.ACCEPT) and (
            self.ai_error == AIError.NONE
        ):
            raise ValueError("ai_error is 'none' but the key expects the AI to be overridden")
        return self

    def interpretation_text(self, option_id: str) -> str:
        for option in self.decision.interpretations:
            if option.id == option_id:
                return option.text.get()
        return option_id

    def action_text(self, option_id: str) -> str:
        for option in self.decision.actions:
            if option.id == option_id:
                return option.text.get()
        return option_id


def _unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{where}: duplicate id '{item}'")
        seen.add(item)


class PackInfo(Strict):
    """``pack.yaml``: what a pack is and who made it."""

    format: int = Field(ge=1)
    id: CaseId
    version: int = Field(ge=1)
    title: Bilingual
    languages: list[Literal["zh_CN", "en"]] = Field(min_length=1)
    author: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    min_app_version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
