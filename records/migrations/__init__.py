"""Alembic migrations. The revision list is kept here so start-up can check the
schema without importing alembic (a test keeps it equal to alembic's own view)."""

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = KNOWN_REVISIONS[-1]
