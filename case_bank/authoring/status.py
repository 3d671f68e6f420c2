"""What the case list shows and filters on: a case's status and how complete it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from case_bank.authoring.checks import CaseCheck

COMPLETE, INCOMPLETE, INVALID = "complete", "incomplete", "invalid"
# Optional parts a finished case should still have: a clinical review and an own read.
_EXPECTED = (("review",), ("own_read",))


def _texts(data: Any) -> list[tuple[str, str]]:
    """Every bilingual text under ``data`` as (zh_CN, en)."""
    if isinstance(data, dict):
        if set(data) >= {"zh_CN", "en"} and all(isinstance(data[k], str) for k in ("zh_CN", "en")):
            return [(data["zh_CN"], data["en"])]
        return [t for value in data.values() for t in _texts(value)]
    if isinstance(data, list):
        return [t for value in data for t in _texts(value)]
    return []


@dataclass(frozen=True)
class CaseStatus:
    """``status`` is complete, incomplete or invalid; ``filled`` the share (0–1) of the
    texts written in both languages and of the expected optional parts present."""

    status: str
    filled: float
    errors: int


def case_status(data: Any, check: CaseCheck) -> CaseStatus:
    """The status of a case from its current data and its check."""
    texts = _texts(data)
    parts = [bool(zh.strip()) for zh, _en in texts] + [bool(en.strip()) for _zh, en in texts]
    parts += [isinstance(data, dict) and data.get(path[0]) is not None for path in _EXPECTED]
    filled = sum(parts) / len(parts) if parts else 0.0
    errors = sum(1 for p in check.problems if p.severity == "error")
    if errors or check.case is None:
        return CaseStatus(INVALID, filled, errors)
    return CaseStatus(COMPLETE if filled == 1.0 else INCOMPLETE, filled, 0)
