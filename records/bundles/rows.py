"""What a record bundle carries, kind by kind, and how a row becomes JSON and back.

Every row is a JSON object with exactly the table's columns (minus those that must not
travel, such as password hashes). Reading checks each value against its column's type
and length, so a hand-edited or hostile bundle is refused with the line and field named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, String, Table, Text

from records.tables import (
    Assignment,
    Attempt,
    Base,
    Credential,
    ExamAttempt,
    ExamEventRow,
    Institution,
    LessonProgress,
    ProfileChange,
    User,
    UTCDateTime,
)
from xiangyi.i18n import N_, _

MAX_TEXT = 1_000_000  # a Text column (signed payloads, Open Badges JSON)


class RowError(ValueError):
    """A row does not fit its table; ``str()`` names the field and the problem."""


@dataclass(frozen=True)
class Kind:
    """One kind of record in a bundle: its member file and its table."""

    name: str
    table: type[Base]
    omit: tuple[str, ...] = ()

    @property
    def member(self) -> str:
        return f"{self.name}.jsonl"

    @property
    def sql_table(self) -> Table:
        return cast(Table, self.table.__table__)

    def columns(self) -> list[Column[Any]]:
        return [c for c in self.sql_table.columns if c.name not in self.omit]


# Merge order: a row's foreign keys point only to kinds merged before it.
KINDS = (
    Kind("institutions", Institution),
    Kind("users", User, omit=("password_hash", "failed_logins", "locked_until")),
    Kind("profile_changes", ProfileChange),
    Kind("assignments", Assignment),
    Kind("attempts", Attempt),
    Kind("lesson_progress", LessonProgress),
    Kind("exam_attempts", ExamAttempt),
    Kind("exam_events", ExamEventRow),
    Kind("credentials", Credential),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KIND_LABELS = {
    "institutions": N_("institutions"),
    "users": N_("people"),
    "profile_changes": N_("changes of personal details"),
    "assignments": N_("assignments"),
    "attempts": N_("case attempts"),
    "lesson_progress": N_("lesson records"),
    "exam_attempts": N_("exams"),
    "exam_events": N_("exam events"),
    "credentials": N_("certificates"),
    "revocations": N_("revocations"),
}


def to_json(row: Base, kind: Kind) -> dict[str, Any]:
    """The row as a JSON-ready dict (timestamps and dates as ISO 8601)."""
    out: dict[str, Any] = {}
    for column in kind.columns():
        value = getattr(row, column.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[column.name] = value
    return out


Check = Callable[[Any], Any]


def _text(limit: int) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise RowError(_("text expected"))
        if len(value) > limit:
            raise RowError(_("longer than {n} characters").format(n=limit))
        return value

    return check


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowError(_("a whole number expected"))
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RowError(_("a number expected"))
    return float(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise RowError(_("true or false expected"))
    return value


def _timestamp(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError(_("a date and time expected"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _date(value: Any) -> date:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _no_date()
    except ValueError:
        return _no_date()


def _no_date() -> date:
    raise RowError(_("a date expected"))


def _structure(value: Any) -> Any:
    if not isinstance(value, dict | list):
        raise RowError(_("an object or a list expected"))
    return value


def _checker(column: Column[Any]) -> Check:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return _timestamp
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Integer):
        return _integer
    if isinstance(kind, Float):
        return _number
    if isinstance(kind, JSON):
        return _structure
    if isinstance(kind, Text):
        return _text(MAX_TEXT)
    if isinstance(kind, String):
        return _text(kind.length or MAX_TEXT)
    raise TypeError(f"no bundle checker for {column}")  # a new column type: add one


@dataclass(frozen=True)
class RowReader:
    """Checks JSON objects of one kind and turns them into column values."""

    kind: Kind
    checks: dict[str, tuple[Check, bool]]

    @classmethod
    def of(cls, kind: Kind) -> RowReader:
        return cls(kind, {c.name: (_checker(c), bool(c.nullable)) for c in kind.columns()})

    def read(self, obj: Any) -> dict[str, Any]:
        """Column values of ``obj``; RowError names the first problem found."""
        if not isinstance(obj, dict):
            raise RowError(_("a record must be a JSON object"))
        if obj.keys() != self.checks.keys():
            extra = sorted(set(obj) - set(self.checks))
            missing = sorted(set(self.checks) - set(obj))
            raise RowError(
                _("unexpected fields {extra}, missing fields {missing}").format(
                    extra=", ".join(extra) or "-", missing=", ".join(missing) or "-"
                )
            )
        values: dict[str, Any] = {}
        for name, (check, nullable) in self.checks.items():
            value = obj[name]
            if value is None and nullable:
                values[name] = None
                continue
            try:
                values[name] = check(value)
            except RowError as exc:
                raise RowError(
                    _("field '{field}': {problem}").format(field=name, problem=exc)
                ) from None
        return values


def describe_counts(counts: dict[str, int]) -> str:
    """What a bundle held or added, in words: "case attempts 12, exams 1" (or "nothing")."""
    parts = [f"{_(KIND_LABELS.get(name, name))} {n}" for name, n in counts.items() if n]
    # The separator between items of a list: "、" in Chinese.
    return _(", ").join(parts) or _("nothing")
