"""Turn pydantic errors into translated messages that name file, line and field.

Cross-field checks in the models collect every inconsistency they find as an
*issue* (a field path relative to the model and a translated message) and raise
them together with :func:`consistency_error`, so one validation run reports all
of them, each at its own field and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from case_bank.vocabulary import AIKind
from case_bank.yamlsafe import LocatedDocument, YamlError, load_file
from xiangyi.i18n import _

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]
Severity = Literal["error", "warning"]

CONSISTENCY = "consistency"


@dataclass(frozen=True)
class Problem:
    """One content problem, as a trainer will read it.

    ``severity`` is ``"error"`` (the pack cannot be used) or ``"warning"`` (worth
    fixing, but the pack still works).
    """

    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.field}: " if self.field else f"{where}: "
        text += self.message
        if self.severity == "warning":
            return _("warning: {problem}").format(problem=text)
        return text


def field_name(loc: Loc) -> str:
    """``("ai_output", "boxes", 0, "x")`` → ``ai_output.boxes[0].x``."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def consistency_error(issues: list[Issue]) -> PydanticCustomError:
    """One pydantic error carrying every cross-field ``issue`` of a model."""
    summary = "; ".join(
        f"{field_name(loc)}: {message}" if loc else message for loc, message in issues
    )
    return PydanticCustomError(CONSISTENCY, "{summary}", {"summary": summary, "issues": issues})


def raise_issues(issues: list[Issue]) -> None:
    """Raise :func:`consistency_error` when ``issues`` is not empty."""
    if issues:
        raise consistency_error(issues)


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator tag pydantic inserts after ``ai_output``."""
    if len(loc) > 1 and loc[0] == "ai_output" and loc[1] in set(AIKind):
        return (loc[0], *loc[2:])
    return loc


def _enum_message(loc: tuple[Any, ...], value: Any, expected: str) -> str:
    if loc and loc[0] == "domains":
        return _("unknown competency domain '{value}'; use one of: {expected}").format(
            value=value, expected=expected
        )
    return _("'{value}' is not allowed; use one of: {expected}").format(
        value=value, expected=expected
    )


def _message(error: dict[str, Any], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("this field is required")
    if kind == "extra_forbidden":
        return _("unknown field (check the spelling)")
    if kind in ("string_type", "string_too_short"):
        return _("expected non-empty text") if kind == "string_too_short" else _("expected text")
    if kind == "string_too_long":
        return _("text is longer than {n} characters").format(n=ctx.get("max_length", ""))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("expected a whole number")
    if kind in ("float_type", "float_parsing", "finite_number"):
        return _("expected a number")
    if kind in ("bool_type", "bool_parsing"):
        return _("expected true or false")
    if kind in ("list_type", "tuple_type"):
        return _("expected a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected a group of fields")
    if kind in ("literal_error", "enum"):
        return _enum_message(loc, error.get("input", ""), str(ctx.get("expected", "")))
    if kind == "too_short":
        return _("needs at least {n} item(s)").format(n=ctx.get("min_length", 1))
    if kind == "too_long":
        return _("allows at most {n} item(s)").format(n=ctx.get("max_length", ""))
    if kind in ("greater_than_equal", "greater_than"):
        if "gt" in ctx:
            return _("must be more than {limit}").format(limit=ctx["gt"])
        return _("must be at least {limit}").format(limit=ctx.get("ge", ""))
    if kind in ("less_than_equal", "less_than"):
        if "lt" in ctx:
            return _("must be less than {limit}").format(limit=ctx["lt"])
        return _("must be at most {limit}").format(limit=ctx.get("le", ""))
    if kind == "string_pattern_mismatch":
        return _("has characters or a form that is not allowed (expected {pattern})").format(
            pattern=ctx.get("pattern", "")
        )
    if kind == "union_tag_invalid":
        return _("unknown kind '{tag}'; expected one of: {expected}").format(
            tag=ctx.get("tag", ""), expected=", ".join(AIKind)
        )
    if kind == "union_tag_not_found":
        return _("the field 'kind' is required; expected one of: {expected}").format(
            expected=", ".join(AIKind)
        )
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return _("expected a date such as 2024-03-01")
    if kind == "value_error":
        return str(ctx.get("error", ""))
    return str(error.get("msg", kind))


def problems_from(error: ValidationError, file: str, doc: LocatedDocument) -> list[Problem]:
    """All problems in ``error``, each located in ``doc``."""
    found = []
    for item in error.errors():
        loc = _without_tags(tuple(item["loc"]))
        ctx = item.get("ctx") or {}
        if item["type"] == CONSISTENCY and "issues" in ctx:
            for sub_loc, message in ctx["issues"]:
                where = (*loc, *sub_loc)
                found.append(Problem(file, doc.line_of(where), field_name(where), message))
            continue
        if item["type"] == "union_tag_invalid":
            loc = (*loc, "kind")
        found.append(Problem(file, doc.line_of(loc), field_name(loc), _message(dict(item), loc)))
    return found


M = TypeVar("M", bound=BaseModel)


def load_model_file(
    path: Path, model: type[M], name: str
) -> tuple[M | None, list[Problem], LocatedDocument | None]:
    """Read one YAML file into ``model``: the value (None on errors), every problem
    located as ``name:line: field``, and the document (for further line lookups)."""
    try:
        doc = load_file(path)
    except YamlError as exc:
        return None, [Problem(name, exc.line, "", exc.message)], None
    if not isinstance(doc.data, dict):
        return None, [Problem(name, 1, "", _("expected a group of fields at the top level"))], doc
    try:
        return model.model_validate(doc.data), [], doc
    except ValidationError as exc:
        return None, problems_from(exc, name, doc), doc
