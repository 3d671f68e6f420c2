"""The canonical key order of each mapping in a case or ``pack.yaml``: the model's field order.

A new key is inserted where the model declares it, so a file the studio extends reads
like one written by hand from the documented template.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from case_bank.authoring.yamldoc import Path_
from case_bank.models import Case, PackInfo


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every model class reachable through unions, lists, dicts and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict, tuple) or origin is not None:
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def _pick(models: list[type[BaseModel]], value: Any) -> type[BaseModel] | None:
    if len(models) == 1:
        return models[0]
    kind = value.get("kind") if isinstance(value, dict) else None
    for model in models:
        field = model.model_fields.get("kind")
        if field is not None and str(field.default) == str(kind):
            return model
    return None


def model_at(root: type[BaseModel], path: Path_, data: Any) -> type[BaseModel] | None:
    """The model describing the mapping at ``path`` of ``data`` (None when unknown)."""
    model: type[BaseModel] | None = root
    value = data
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        value = value.get(part) if isinstance(value, dict) else None
        nested = _models_in(field.annotation)
        model = _pick(nested, value if not isinstance(value, list) else None)
    return model


def key_order_for(
    root: type[BaseModel], data_of: Callable[[], Any]
) -> Callable[[Path_], list[str]]:
    """A key-order function for documents of ``root`` (``data_of`` gives the current data)."""

    def order(path: Path_) -> list[str]:
        model = model_at(root, path, data_of())
        if model is None:
            return []
        names = list(model.model_fields)
        # An AI output names its kind first (it decides every other field), as by hand.
        return ["kind", *(n for n in names if n != "kind")] if "kind" in names else names

    return order


CASE_ROOT: type[BaseModel] = Case
PACK_ROOT: type[BaseModel] = PackInfo
