"""Canonical templates: a new case and a new ``pack.yaml`` as a trainer would start them.

The template holds every required field in the model's order, with empty text for the
trainer to fill in (validation names each one), and blank lines between the stages
like the built-in cases.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from case_bank.authoring.yamldoc import dump, styled
from case_bank.formats import CURRENT_FORMAT
from case_bank.vocabulary import AIKind

DEFAULT_LICENCE = "CC-BY-4.0"


def _text() -> dict[str, str]:
    return {"zh_CN": "", "en": ""}


def _options(prefix: str, count: int) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}_{i}", "text": _text()} for i in range(1, count + 1)]


def ai_output_template(kind: str) -> dict[str, Any]:
    """The smallest AI output of ``kind`` with every required field present."""
    bodies: dict[str, dict[str, Any]] = {
        AIKind.ECG: {
            "signal": "",
            "sampling_rate": 250,
            "leads": ["II"],
            "label": _text(),
            "confidence": 0.9,
            "suggests": "",
            "beats": [],
        },
        AIKind.IMAGE: {
            "image": "",
            "modality": "chest_xray",
            "label": _text(),
            "score": 0.9,
            "suggests": "",
            "boxes": [],
        },
        AIKind.RISK: {"score": 0, "unit": "%", "suggests": "", "bands": []},
        AIKind.TREND: {"suggests": "", "series": []},
        AIKind.TRIAGE: {"urgency": "", "suggests": "", "reasons": []},
        AIKind.PRESCRIPTION: {"suggests": "", "items": [], "alerts": []},
        AIKind.LLM: {"suggests": "", "messages": []},
        AIKind.REPORT: {"suggests": "", "sections": [], "impression": _text()},
    }
    body = bodies[AIKind(kind)]
    tool = {"name": _text(), "intended_use": _text(), "version": "1.0"}
    return {"kind": str(kind), "tool": tool, **body}


def case_sections(case_id: str, kind: str, author: str, licence: str) -> list[dict[str, Any]]:
    """The parts of a new case, each written as one block (blank line between blocks)."""
    head = {
        "id": case_id,
        "version": 1,
        "title": _text(),
        "domains": ["clinical_encounters"],
        "ai_kind": str(kind),
        "ai_error": "none",
        "difficulty": 2,
        "simulated": True,
        "sources": [{"citation": "", "year": date.today().year}],
        "author": author,
        "licence": licence,
    }
    presentation = {
        "age_years": 50,
        "sex": "female",
        "setting": _text(),
        "complaint": _text(),
        "history": _text(),
        "vitals": [],
    }
    return [
        head,
        {"presentation": presentation},
        {"own_read": {"required": True, "prompt": _text()}},
        {"ai_output": ai_output_template(kind)},
        {
            "decision": {
                "interpretations": _options("interpretation", 2),
                "actions": _options("action", 2),
            }
        },
        {"feedback": {"truth": _text(), "ai_assessment": _text(), "teaching_points": [_text()]}},
        {
            "key": {
                "interpretation": {},
                "ideal_actions": [],
                "acceptable_actions": [],
                "critical_actions": [],
                "expected_reliance": "accept",
                "limitations": [],
            }
        },
    ]


def new_case_text(case_id: str, kind: str, author: str, licence: str = DEFAULT_LICENCE) -> str:
    """The text of a new case file in the hand-written layout."""
    blocks = [dump(styled(part, 0)) for part in case_sections(case_id, kind, author, licence)]
    return "\n".join(blocks)


def new_pack_text(pack_id: str, title_zh: str, title_en: str, author: str) -> str:
    """The text of a new ``pack.yaml``."""
    info = {
        "format": CURRENT_FORMAT,
        "id": pack_id,
        "version": 1,
        "title": {"zh_CN": title_zh, "en": title_en},
        "languages": ["zh_CN", "en"],
        "author": author,
        "licence": DEFAULT_LICENCE,
        "min_app_version": "0.1",
    }
    return dump(styled(info, 0))
