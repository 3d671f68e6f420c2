"""Record bundles: field-by-field profile history and the log of bundle exports and
imports (the watermark for "everything since the last export").

Revision ID: 0007
Revises: 0006
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PROFILE_FIELDS = ("display_name", "practising_number", "institution_id", "department", "title")


def upgrade() -> None:
    # No foreign key to users: a change may arrive in a bundle before its user row is
    # merged, and the hub keeps the history of people from many PCs.
    op.create_table(
        "profile_changes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.String(256), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_profile_changes_user_id", "profile_changes", ["user_id"])
    op.create_table(
        "bundle_log",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("bundle_id", sa.String(32), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("signer", sa.String(256), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
    )
    op.create_index("ix_bundle_log_direction", "bundle_log", ["direction"])
    op.create_index("ix_bundle_log_bundle_id", "bundle_log", ["bundle_id"])
    op.create_index("ix_bundle_log_device_id", "bundle_log", ["device_id"])
    _seed_profile_history()


def _seed_profile_history() -> None:
    """Each existing user's current details become the first entry of their history, so
    the hub can always decide field by field which value is newest."""
    conn = op.get_bind()
    device = conn.execute(sa.text("SELECT value FROM settings WHERE key = 'device_id'")).scalar()
    users = conn.execute(
        sa.text(
            "SELECT id, created_at, display_name, practising_number, institution_id,"
            " department, title FROM users"
        )
    ).all()
    changes = sa.table(
        "profile_changes",
        sa.column("id", sa.String),
        sa.column("user_id", sa.String),
        sa.column("field", sa.String),
        sa.column("value", sa.String),
        # Untyped: the stored value is copied as the database returned it (text in
        # SQLite, a timestamp in PostgreSQL).
        sa.column("changed_at"),
        sa.column("device_id", sa.String),
    )
    rows = [
        {
            "id": uuid.uuid4().hex,
            "user_id": user[0],
            "field": field,
            "value": value,
            "changed_at": user[1],
            "device_id": device or "",
        }
        for user in users
        for field, value in zip(PROFILE_FIELDS, user[2:], strict=True)
        if value is not None
    ]
    if rows:
        op.bulk_insert(changes, rows)


def downgrade() -> None:
    op.drop_table("bundle_log")
    op.drop_table("profile_changes")
