"""The migrations build exactly the schema the table classes describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from records.db import open_database
from records.tables import Base


def test_migrated_schema_matches_the_models(data_dir: Path) -> None:
    database = open_database(data_dir)
    try:
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == [], differences
    finally:
        database.close()
