"""JSON Schemas for editors, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from kinds_helpers import KINDS_PACK, read_case

from case_bank.formats import CURRENT_FORMAT
from case_bank.schema import case_json_schema, pack_json_schema, write_schemas
from case_bank.vocabulary import AIKind


def test_case_schema_covers_every_kind() -> None:
    schema = case_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["title"] == "Xiangyi case" and schema["description"]
    output = schema["properties"]["ai_output"]
    assert output["discriminator"]["propertyName"] == "kind"
    assert set(output["discriminator"]["mapping"]) == set(AIKind)
    assert schema["additionalProperties"] is False
    image = schema["$defs"]["ImageOutput"]
    assert image["properties"]["image"]["pattern"].startswith("^assets/")
    assert image["properties"]["image"]["description"]


def test_every_field_of_the_sample_cases_is_in_the_schema() -> None:
    schema = case_json_schema()
    for path in sorted((KINDS_PACK / "cases").glob("*.yaml")):
        data = read_case(KINDS_PACK, path.stem)
        assert set(data) <= set(schema["properties"]), path.name
        assert set(schema["required"]) <= set(data), path.name
        kind_schema = schema["$defs"][
            schema["properties"]["ai_output"]["discriminator"]["mapping"][
                data["ai_output"]["kind"]
            ].split("/")[-1]
        ]
        assert set(data["ai_output"]) <= set(kind_schema["properties"]), path.name


def test_pack_schema_and_files(tmp_path: Path) -> None:
    pack = pack_json_schema()
    assert pack["properties"]["format"]["const"] == CURRENT_FORMAT
    assert "min_app_version" in pack["required"]
    written = write_schemas(tmp_path / "schemas")
    assert [p.name for p in written] == ["case.schema.json", "pack.schema.json"]
    assert json.loads(written[0].read_text(encoding="utf-8")) == case_json_schema()
    assert json.loads(written[1].read_text(encoding="utf-8")) == pack
