"""docs/records.md lists every export column as the code defines it, and every xAPI
extension the statements use."""

from __future__ import annotations

from pathlib import Path

from records.reports import xapi
from records.reports.columns import SHEET_COLUMNS, markdown_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "records.md"


def test_the_doc_has_every_column_table_as_generated() -> None:
    text = DOC.read_text("utf-8")
    for sheet, columns in SHEET_COLUMNS:
        assert markdown_table(columns) in text, f"regenerate the {sheet} table in {DOC.name}"
        for spec in columns:
            assert f"| `{spec.key}` | {spec.zh} | {spec.en} |" in text


def test_the_doc_names_every_xapi_extension() -> None:
    text = DOC.read_text("utf-8")
    names = [name for name in dir(xapi) if name.startswith("EXT_")]
    assert len(names) >= 10
    for name in names:
        assert f"`{getattr(xapi, name)}`" in text, name
