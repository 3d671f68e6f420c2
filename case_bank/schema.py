"""JSON Schemas of case files and ``pack.yaml``, generated from the models, for editors.

An editor with a YAML language server checks a case while it is typed when the
file starts with ``# yaml-language-server: $schema=../case.schema.json``. The
schemas describe the current format only; cross-field checks (an option that a
key names must exist, overlays inside the image, …) are made by
``xiangyi pack validate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from case_bank.formats import CURRENT_FORMAT
from case_bank.models import Case, PackInfo

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CASE_SCHEMA = "case.schema.json"
PACK_SCHEMA = "pack.schema.json"


def _schema(model: type[Case] | type[PackInfo], title: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, **body, "title": title, "description": description}


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of one ``cases/*.yaml`` file."""
    return _schema(
        Case,
        "Xiangyi case",
        f"One staged case of a Xiangyi case pack (pack format {CURRENT_FORMAT}): presentation, "
        "optional own read, AI output (kind: ecg, image, risk, trend, triage, prescription, "
        "llm or report), decision, feedback and scoring key. Text fields carry zh_CN and en.",
    )


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``pack.yaml``."""
    schema = _schema(
        PackInfo,
        "Xiangyi case pack",
        "pack.yaml: what a case pack is, who made it and which Xiangyi it needs.",
    )
    schema["properties"]["format"] = {
        **schema["properties"]["format"],
        "const": CURRENT_FORMAT,
    }
    return schema


def write_schemas(folder: Path) -> list[Path]:
    """Write ``case.schema.json`` and ``pack.schema.json`` into ``folder``; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in ((CASE_SCHEMA, case_json_schema()), (PACK_SCHEMA, pack_json_schema())):
        path = folder / name
        path.write_text(
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
            encoding="utf-8",
        )
        written.append(path)
    return written
