"""Assignments: a module or exam assigned to a person or an institution, with a due date.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign keys on the assignee: assignments travel in record bundles between PCs
    # that do not hold the same users and institutions.
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("module_id", sa.String(64), nullable=True),
        sa.Column("blueprint_id", sa.String(64), nullable=True),
        sa.Column("user_id", sa.String(32), nullable=True),
        sa.Column("institution_id", sa.String(32), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("assigned_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_assignments_user_id", "assignments", ["user_id"])
    op.create_index("ix_assignments_institution_id", "assignments", ["institution_id"])


def downgrade() -> None:
    op.drop_table("assignments")
