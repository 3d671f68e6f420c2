"""The examples in docs/authoring.md are valid: a trainer can copy them as they are."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter

from case_bank.models import (
    AIOutput,
    Decision,
    Feedback,
    OwnRead,
    PackInfo,
    Presentation,
    ScoringKey,
    ToolInfo,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
TOOL = {
    "name": {"zh_CN": "某 AI", "en": "Some AI"},
    "intended_use": {"zh_CN": "成人", "en": "Adults"},
    "sensitivity": 0.9,
}
MODELS: dict[str, type[BaseModel]] = {
    "presentation": Presentation,
    "own_read": OwnRead,
    "decision": Decision,
    "feedback": Feedback,
    "key": ScoringKey,
}


def _blocks() -> list[dict[str, Any]]:
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        if block.startswith((" ", "#")) or "id: chest-nodule-001" in block:
            continue  # a fragment of a larger example, or the outline of a case
        block = re.sub(r"^  tool: ….*$", "  tool: TOOL", block, flags=re.M)
        data = yaml.safe_load(block)
        assert isinstance(data, dict), block
        found.append(data)
    return found


BLOCKS = _blocks()


def test_the_guide_has_an_example_of_every_part() -> None:
    keys = {next(iter(b)) for b in BLOCKS}
    assert {"ai_output", "format", *MODELS} <= keys
    kinds = {b["ai_output"]["kind"] for b in BLOCKS if "ai_output" in b}
    assert kinds == {"ecg", "image", "risk", "trend", "triage", "prescription", "llm", "report"}


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: str(b.get("ai_output", b).get("kind", "")))
def test_example_is_valid(block: dict[str, Any]) -> None:
    if "format" in block:
        PackInfo.model_validate(block)
        return
    (name, value), *_rest = block.items()
    if name == "ai_output":
        if set(value) == {"kind", "suggests", "tool"}:  # the part every kind shares
            ToolInfo.model_validate(value["tool"])
            return
        assert value["tool"] == "TOOL"
        TypeAdapter(AIOutput).validate_python({**value, "tool": TOOL})
    else:
        MODELS[name].model_validate(value)
