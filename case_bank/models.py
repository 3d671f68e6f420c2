"""The staged case: presentation → own read → AI output → decision → feedback.

Content is data validated by these models; nothing in a pack is executed. The AI
output kinds live in ``case_bank.outputs`` (shared parts, ecg, image),
``case_bank.outputs_numeric`` (risk, trend) and ``case_bank.outputs_text`` (triage,
prescription, llm, report); they are re-exported here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from case_bank.outputs import (
    AssetPath,
    BeatMark,
    Blob,
    Box,
    EcgOutput,
    HeatMap,
    ImageModality,
    ImageOutput,
    OptionId,
    OutputBase,
    Polygon,
    Strict,
    ToolInfo,
    Window,
)
from case_bank.outputs_numeric import RiskOutput, TrendOutput
from case_bank.outputs_text import LlmOutput, PrescriptionOutput, ReportOutput, TriageOutput
from case_bank.text import Bilingual
from case_bank.validation import Issue, raise_issues
from case_bank.vocabulary import AIError, AIKind, Domain, Limitation, Reliance
from xiangyi.i18n import _

__all__ = [
    "AIOutput",
    "AssetPath",
    "BeatMark",
    "Blob",
    "Box",
    "Case",
    "Decision",
    "EcgOutput",
    "Feedback",
    "HeatMap",
    "ImageModality",
    "ImageOutput",
    "LlmOutput",
    "Option",
    "OptionId",
    "OutputBase",
    "OwnRead",
    "PackInfo",
    "Polygon",
    "PrescriptionOutput",
    "Presentation",
    "ReportOutput",
    "Review",
    "RiskOutput",
    "ScoringKey",
    "Source",
    "Strict",
    "ToolInfo",
    "TrendOutput",
    "TriageOutput",
    "Vital",
    "Window",
]

CaseId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]


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


class Review(Strict):
    """A second clinician's check of the case against its cited sources."""

    reviewer: str = Field(min_length=2, description="Who reviewed the case (name or role)")
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date of the review")
    status: Literal["approved", "corrected"] = Field(
        description="approved as written, or corrected (the corrections are listed in notes)"
    )
    notes: str = Field(default="", description="What was checked or corrected")


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


DEFAULT_OWN_READ_PROMPT = Bilingual(
    zh_CN="在查看 AI 结果之前，请先根据病例资料写下你自己的初步判断。",
    en="Before you see the AI output, note your own first impression from the case.",
)

AIOutput = Annotated[
    EcgOutput
    | ImageOutput
    | RiskOutput
    | TrendOutput
    | TriageOutput
    | PrescriptionOutput
    | LlmOutput
    | ReportOutput,
    Field(discriminator="kind"),
]
"""The AI output of a case; ``kind`` chooses the model (and the renderer)."""


class Decision(Strict):
    """What the doctor chooses from; agree/override, confidence and rationale are always asked."""

    interpretations: list[Option] = Field(min_length=2, max_length=12)
    actions: list[Option] = Field(min_length=2, max_length=12)
    limitations: list[Limitation] = Field(
        default_factory=lambda: list(Limitation), description="Limitation flags to offer"
    )


class Feedback(Strict):
    truth: Bilingual = Field(description="What the patient really had")
    ai_assessment: Bilingual = Field(description="Whether and why the AI was right or wrong")
    teaching_points: list[Bilingual] = Field(min_length=1)


class ScoringKey(Strict):
    """How a decision is scored.

    ``interpretation`` gives credit per option (1.0 full, fractions partial).
    """

    interpretation: dict[OptionId, float] = Field(min_length=1)
    ideal_actions: list[OptionId] = Field(min_length=1)
    acceptable_actions: list[OptionId] = Field(default_factory=list)
    critical_actions: list[OptionId] = Field(
        default_factory=list, description="Unsafe actions: choosing one is a critical error"
    )
    expected_reliance: Reliance
    limitations: list[Limitation] = Field(
        default_factory=list, description="Limitation flags that count as noticed correctly"
    )

    @model_validator(mode="after")
    def _credits_in_range(self) -> ScoringKey:
        issues: list[Issue] = []
        for option, credit in self.interpretation.items():
            if not 0 <= credit <= 1:
                issues.append((("interpretation", option), _("credit must be between 0 and 1")))
        if max(self.interpretation.values()) != 1:
            issues.append(
                (("interpretation",), _("at least one interpretation must have full credit (1.0)"))
            )
        overlap = set(self.critical_actions) & set(self.ideal_actions + self.acceptable_actions)
        if overlap:
            issues.append(
                (
                    ("critical_actions",),
                    _("actions both critical and acceptable: {ids}").format(
                        ids=", ".join(sorted(overlap))
                    ),
                )
            )
        raise_issues(issues)
        return self


class Case(Strict):
    """One staged case: a ``cases/*.yaml`` file of a pack."""

    id: CaseId = Field(description="Stable ID; never reuse it for a different case")
    version: int = Field(ge=1, description="Raise it whenever the content changes")
    title: Bilingual
    domains: list[Domain] = Field(min_length=1, description="Competency domains assessed")
    ai_kind: AIKind
    ai_error: AIError = Field(description="Whether and how the AI output is wrong")
    difficulty: int = Field(ge=1, le=3, description="1 easy, 2 medium, 3 hard")
    simulated: bool = Field(description="true when the patient and data are made up")
    sources: list[Source] = Field(min_length=1)
    author: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    review: Review | None = Field(
        default=None, description="Clinical review against the cited sources"
    )
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
        issues = _duplicates(interp_ids, ("decision", "interpretations"))
        issues += _duplicates(action_ids, ("decision", "actions"))
        output = self.ai_output
        if output.kind != self.ai_kind:
            issues.append((("ai_kind",), _("ai_kind differs from ai_output.kind")))
        if output.suggests not in interp_ids:
            issues.append(
                (
                    ("ai_output", "suggests"),
                    _("'{id}' is not one of decision.interpretations").format(id=output.suggests),
                )
            )
        for option in self.key.interpretation:
            if option not in interp_ids:
                issues.append(
                    (
                        ("key", "interpretation", option),
                        _("'{id}' is not one of decision.interpretations").format(id=option),
                    )
                )
        for name in ("ideal_actions", "acceptable_actions", "critical_actions"):
            for action in getattr(self.key, name):
                if action not in action_ids:
                    issues.append(
                        (
                            ("key", name),
                            _("'{id}' is not one of decision.actions").format(id=action),
                        )
                    )
        ai_right = self.key.interpretation.get(output.suggests, 0) == 1
        if ai_right != (self.key.expected_reliance == Reliance.ACCEPT) and (
            self.ai_error == AIError.NONE
        ):
            issues.append(
                (("ai_error",), _("ai_error is 'none' but the key expects the AI to be overridden"))
            )
        issues += self._kind_issues()
        raise_issues(issues)
        return self

    def _kind_issues(self) -> list[Issue]:
        output = self.ai_output
        invented = (AIError.INVENTED_CONTENT, AIError.OUTDATED_CONTENT)
        llm_unmarked = isinstance(output, LlmOutput) and not output.has_marked_errors()
        if llm_unmarked and self.ai_error in invented:
            message = _(
                "mark the invented or outdated content (false_statements, or a "
                "source with exists: false) so the feedback can show it"
            )
            return [(("ai_output", "messages"), message)]
        all_true = isinstance(output, PrescriptionOutput) and all(
            alert.true_alert for alert in output.alerts
        )
        if all_true and self.ai_error == AIError.ALERT_FATIGUE:
            message = _("an alert-fatigue case needs at least one alert with true_alert: false")
            return [(("ai_output", "alerts"), message)]
        return []

    def requires_own_read(self, exam: bool) -> bool:
        """Whether the doctor must give an own read first; in an exam always."""
        return exam or (self.own_read is not None and self.own_read.required)

    def own_read_prompt(self) -> Bilingual:
        """The case's own-read prompt, or a general one for a case without that stage."""
        return self.own_read.prompt if self.own_read is not None else DEFAULT_OWN_READ_PROMPT

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


def _duplicates(ids: list[str], where: tuple[str, ...]) -> list[Issue]:
    seen: set[str] = set()
    issues: list[Issue] = []
    for i, item in enumerate(ids):
        if item in seen:
            issues.append(((*where, i, "id"), _("the id '{id}' is used twice").format(id=item)))
        seen.add(item)
    return issues


class PackInfo(Strict):
    """``pack.yaml``: what a pack is and who made it."""

    format: int = Field(ge=0, description="Version of the pack format the files are written in")
    id: CaseId
    version: int = Field(ge=1, description="Raise it for every new release of the pack")
    title: Bilingual
    languages: list[Literal["zh_CN", "en"]] = Field(min_length=1)
    author: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    min_app_version: str = Field(
        pattern=r"^\d+\.\d+(\.\d+)?$", description="Oldest Xiangyi version that can use the pack"
    )
    description: Bilingual | None = None
