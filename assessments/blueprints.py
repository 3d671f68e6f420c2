"""Assessment blueprints: what an exam must contain and how it is passed.

A blueprint is YAML in ``assessments/blueprints/`` (built-in) or in a trainer's pack.
It fixes the number of cases, minimum counts per domain, AI kind and difficulty, the
share of cases with an AI error, timing, attempts, feedback policy and the pass rule with
the standard-setting method behind its cut score. Assembly lives in ``assembly.py``.

The modified Angoff method: each panellist estimates, for every item, the probability
that a borderline (minimally competent) candidate gets it right; the cut score is the
mean over panellists and items (Angoff WH, Scales, norms and equivalent scores, 1971;
Cizek GJ, Bunch MB. Standard Setting. Sage, 2007, ch. 6).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from case_bank.text import Bilingual
from case_bank.validation import Problem, load_model_file
from case_bank.vocabulary import AIKind, Domain

BLUEPRINT_DIR = Path(__file__).parent / "blueprints"
DIFFICULTY_LEVELS = {"easy": 1, "medium": 2, "hard": 3}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShareRange(_Strict):
    """A share of the exam's cases, as [min, max]."""

    min: float = Field(ge=0, le=1)
    max: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> ShareRange:
        if self.min > self.max:
            raise ValueError("min is larger than max")
        return self

    def counts(self, total: int) -> tuple[int, int]:
        """The whole-case range [ceil(min·n), floor(max·n)] (a small epsilon absorbs
        floating-point noise such as 0.4·30 = 12.000000000000002)."""
        return math.ceil(self.min * total - 1e-9), math.floor(self.max * total + 1e-9)


class Attempts(_Strict):
    allowed: int = Field(ge=1, le=100)
    wait_hours: float = Field(default=0, ge=0, description="between failed attempts")


class StandardSetting(_Strict):
    """How the cut score was set, recorded so the decision can be defended."""

    method: Literal["modified_angoff", "ebel", "borderline_group", "fixed_policy"]
    date: str = Field(min_length=4)
    panel: list[str] = Field(default_factory=list, description="panellists (initials or roles)")
    # Per panellist, a probability per item (case id) or per blueprint slot ("slot-1", …).
    ratings: dict[str, dict[str, float]] = Field(default_factory=dict)
    note: Bilingual | None = None

    @model_validator(mode="after")
    def _ratings_valid(self) -> StandardSetting:
        for rater, items in self.ratings.items():
            for item, value in items.items():
                if not 0 <= value <= 1:
                    raise ValueError(f"rating of {rater} for {item} must be between 0 and 1")
        if self.method == "modified_angoff" and not self.ratings and self.note is None:
            raise ValueError("a modified Angoff cut score needs the panel ratings or a note")
        return self


def angoff_cut_score(ratings: dict[str, dict[str, float]]) -> float:
    """Modified Angoff cut score: mean over panellists of each one's mean item rating."""
    per_rater = [sum(items.values()) / len(items) for items in ratings.values() if items]
    if not per_rater:
        raise ValueError("no ratings")
    return sum(per_rater) / len(per_rater)


class PassRule(_Strict):
    cut_score: float = Field(ge=0, le=1, description="share of the maximum score")
    standard_setting: StandardSetting
    no_critical_error: bool = True
    min_per_domain: float = Field(default=0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _cut_matches_ratings(self) -> PassRule:
        ratings = self.standard_setting.ratings
        if self.standard_setting.method == "modified_angoff" and ratings:
            computed = angoff_cut_score(ratings)
            if abs(computed - self.cut_score) > 0.005:
                raise ValueError(
                    f"cut_score {self.cut_score} differs from the Angoff ratings ({computed:.3f})"
                )
        return self


class Blueprint(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")
    version: int = Field(ge=1)
    title: Bilingual
    total_cases: int = Field(ge=1, le=200)
    packs: list[str] = Field(
        default_factory=list,
        description="Case packs the exam draws from (a module's own pack); empty: every pack",
    )
    domains: dict[Domain, int] = Field(default_factory=dict, description="minimum cases")
    ai_kinds: dict[AIKind, int] = Field(default_factory=dict, description="minimum cases")
    ai_error_share: ShareRange
    difficulty: dict[Literal["easy", "medium", "hard"], int] = Field(default_factory=dict)
    time_limit_minutes: int = Field(ge=1, le=600)
    attempts: Attempts
    feedback: Literal["immediate", "deferred"]
    own_read_required: bool = True
    certifying: bool = False
    scoring: Literal["standard", "cbm"] = "standard"
    pass_rule: PassRule

    @model_validator(mode="after")
    def _consistent(self) -> Blueprint:
        for table in ("domains", "ai_kinds", "difficulty"):
            for key, count in getattr(self, table).items():
                if not 0 <= count <= self.total_cases:
                    raise ValueError(f"{table}.{key}: {count} is more than total_cases")
        if sum(self.ai_kinds.values()) > self.total_cases:
            raise ValueError("ai_kinds add up to more than total_cases")
        if sum(self.difficulty.values()) > self.total_cases:
            raise ValueError("difficulty adds up to more than total_cases")
        low, high = self.ai_error_share.counts(self.total_cases)
        if low > high:
            raise ValueError("ai_error_share allows no whole number of cases")
        if self.certifying and self.feedback != "deferred":
            raise ValueError("a certifying exam must defer feedback")
        return self

    @property
    def time_limit_seconds(self) -> float:
        return self.time_limit_minutes * 60.0


class BlueprintError(Exception):
    """A blueprint file is not valid; ``problems`` name file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_blueprint(path: Path) -> Blueprint:
    """Read and validate one blueprint file."""
    blueprint, problems, _doc = load_model_file(Path(path), Blueprint, Path(path).name)
    if blueprint is None:
        raise BlueprintError(problems)
    return blueprint


@cache
def builtin_blueprints() -> dict[str, Blueprint]:
    """The blueprints shipped with the app, by id (a broken one raises)."""
    found = {}
    for path in sorted(BLUEPRINT_DIR.glob("*.yaml")):
        blueprint = load_blueprint(path)
        found[blueprint.id] = blueprint
    return found


class AttemptPermission(BaseModel):
    """Whether a doctor may start another attempt now, and if not, why and until when."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    reason: Literal["", "no_attempts_left", "waiting_period", "already_passed"] = ""
    next_allowed_at: float | None = None  # seconds since the epoch


def may_attempt(
    blueprint: Blueprint, earlier: list[tuple[float, bool]], now: float
) -> AttemptPermission:
    """Apply the blueprint's attempt limit and waiting period.

    ``earlier`` holds (finished_at, passed) of the doctor's submitted attempts. A
    certifying exam already passed is not retaken; the waiting period runs from the last
    failed attempt.
    """
    if blueprint.certifying and any(passed for _, passed in earlier):
        return AttemptPermission(allowed=False, reason="already_passed")
    if len(earlier) >= blueprint.attempts.allowed:
        return AttemptPermission(allowed=False, reason="no_attempts_left")
    if earlier:
        ready = max(t for t, _ in earlier) + blueprint.attempts.wait_hours * 3600.0
        if now < ready:
            return AttemptPermission(allowed=False, reason="waiting_period", next_allowed_at=ready)
    return AttemptPermission(allowed=True)
