"""Training modules: lessons that teach, practice cases, and a module check."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from case_bank.models import CaseId, Option, OptionId
from case_bank.text import Bilingual
from case_bank.vocabulary import AIKind, Domain

ModuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]
LessonId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")]
LANGUAGE_FILES = ("zh_CN.md", "en.md")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckQuestion(Strict):
    """A short question inside a lesson, answered with immediate explanation."""

    id: OptionId
    prompt: Bilingual
    options: list[Option] = Field(min_length=2, max_length=6)
    answer: OptionId
    explanation: Bilingual

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> CheckQuestion:
        if self.answer not in {o.id for o in self.options}:
            raise ValueError(f"answer '{self.answer}' is not one of the options")
        return self


class Lesson(Strict):
    """Text lives in ``lessons/<id>/zh_CN.md`` and ``lessons/<id>/en.md``."""

    id: LessonId
    title: Bilingual
    minutes: int = Field(ge=1, le=120)
    checks: list[CheckQuestion] = Field(default_factory=list)


class Objective(Strict):
    """A learning objective tied to a competency-framework ID."""

    competency: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)?$")
    text: Bilingual


class CaseSelector(Strict):
    """Choose practice cases from the bank by domain, AI kind and difficulty."""

    domains: list[Domain] = Field(default_factory=list)
    ai_kinds: list[AIKind] = Field(default_factory=list)
    difficulty: list[int] = Field(default_factory=list)
    count: int = Field(ge=1, le=50)


class Practice(Strict):
    cases: list[CaseId] = Field(default_factory=list)
    select: CaseSelector | None = None

    @model_validator(mode="after")
    def _some_cases(self) -> Practice:
        if not self.cases and self.select is None:
            raise ValueError("practice needs 'cases' or 'select'")
        return self


class Module(Strict):
    format: int = Field(ge=1)
    id: ModuleId
    version: int = Field(ge=1)
    title: Bilingual
    description: Bilingual
    objectives: list[Objective] = Field(min_length=1)
    minutes: int = Field(ge=1, le=600)
    prerequisites: list[ModuleId] = Field(default_factory=list)
    lessons: list[Lesson] = Field(min_length=1)
    practice: Practice
    check_blueprint: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")

    @model_validator(mode="after")
    def _unique_lessons(self) -> Module:
        ids = [lesson.id for lesson in self.lessons]
        if len(ids) != len(set(ids)):
            raise ValueError("two lessons share an id")
        if self.id in self.prerequisites:
            raise ValueError("a module cannot be its own prerequisite")
        return self
