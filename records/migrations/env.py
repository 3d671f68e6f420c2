"""Alembic environment: always driven programmatically with a live connection."""

from alembic import context
from sqlmodel import SQLModel

import records.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata)
with context.begin_transaction():
    context.run_migrations()
