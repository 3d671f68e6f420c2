"""Installed packs and trusted signing keys.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installed_packs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(256), nullable=False),
        sa.Column("title_en", sa.String(256), nullable=False),
        sa.Column("signer", sa.String(128), nullable=True),
        sa.Column("signer_fingerprint", sa.String(80), nullable=True),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("installed_by", sa.String(32), nullable=True),
        sa.Column("folder", sa.String(160), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "trusted_keys",
        sa.Column("fingerprint", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(32), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("trusted_keys")
    op.drop_table("installed_packs")
