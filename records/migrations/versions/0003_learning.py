"""Learning progress: lesson reading and module links on attempts.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_progress",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("module_id", sa.String(64), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("active_seconds", sa.Float(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.UniqueConstraint("user_id", "module_id", "lesson_id"),
    )
    op.create_index("ix_lesson_progress_user_id", "lesson_progress", ["user_id"])
    op.create_index("ix_lesson_progress_module_id", "lesson_progress", ["module_id"])
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("module_id", sa.String(64), nullable=True))
        batch.create_index("ix_attempts_module_id", ["module_id"])


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_module_id")
        batch.drop_column("module_id")
    op.drop_table("lesson_progress")
