"""Turn pydantic errors into translated messages that name file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from case_bank.vocabulary import AIKind
from case_bank.yamlsafe import LocatedDocument
from xiangyi.i18n import _


@dataclass(frozen=True)
class Problem:
    """One content problem, as a trainer will read it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator tag pydantic inserts after ``ai_output``."""
    if len(loc) > 1 and loc[0] == "ai_output" and loc[1] in set(AIKind):
        return (loc[0], *loc[2:])
    return loc


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("this field is required")
    if kind == "extra_forbidden":
        return _("unknown field (check the spelling)")
    if kind in ("string_type", "string_too_short"):
        return _("expected non-empty text") if kind == "string_too_short" else _("expected text")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("expected a whole number")
    if kind in ("float_type", "float_parsing"):
        return _("expected a number")
    if kind in ("bool_type", "bool_parsing"):
        return _("expected true or false")
    if kind in ("list_type", "tuple_type"):
        return _("expected a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected a group of fields")
    if kind in ("literal_error", "enum"):
        return _("must be one of: {expected}").format(expected=ctx.get("expected", ""))
    if kind == "too_short":
        return _("needs at least {n} item(s)").format(n=ctx.get("min_length", 1))
    if kind == "too_long":
        return _("allows at most {n} item(s)").format(n=ctx.get("max_length", ""))
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least {limit}").format(limit=ctx.get("ge", ctx.get("gt", "")))
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most {limit}").format(limit=ctx.get("le", ctx.get("lt", "")))
    if kind == "string_pattern_mismatch":
        return _("has characters or a form that is not allowed (expected {pattern})").format(
            pattern=ctx.get("pattern", "")
        )
    if kind == "union_tag_invalid":
        return _("unknown kind '{tag}'; expected one of: {expected}").format(
            tag=ctx.get("tag", ""), expected=ctx.get("expected_tags", "")
        )
    if kind == "value_error":
        return _("inconsistent content: {detail}").format(detail=str(ctx.get("error", "")))
    return str(error.get("msg", kind))


def problems_from(error: ValidationError, file: str, doc: LocatedDocument) -> list[Problem]:
    """All problems in ``error``, each located in ``doc``."""
    found = []
    for item in error.errors():
        loc = _without_tags(tuple(item["loc"]))
        found.append(Problem(file, doc.line_of(loc), _field_name(loc), _message(dict(item))))
    return found
