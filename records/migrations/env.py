"""Alembic environment: always driven programmatically with a live connection."""

from alembic import context

from records.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
