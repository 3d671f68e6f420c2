"""Exam attempts and their hash-chained events.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_attempts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("blueprint_id", sa.String(64), nullable=False),
        sa.Column("module_id", sa.String(64), nullable=True),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("device_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_exam_attempts_user_id", "exam_attempts", ["user_id"])
    op.create_index("ix_exam_attempts_blueprint_id", "exam_attempts", ["blueprint_id"])
    op.create_index("ix_exam_attempts_module_id", "exam_attempts", ["module_id"])
    op.create_table(
        "exam_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "attempt_id", sa.String(32), sa.ForeignKey("exam_attempts.id"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("attempt_id", "seq"),
    )
    op.create_index("ix_exam_events_attempt_id", "exam_events", ["attempt_id"])


def downgrade() -> None:
    op.drop_table("exam_events")
    op.drop_table("exam_attempts")
