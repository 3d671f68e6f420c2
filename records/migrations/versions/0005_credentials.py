"""Institutions, professional details of users, credentials, revocations, trusted
issuers and the verification log.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

USER_COLUMNS = (
    ("practising_number", 64),
    ("institution_id", 32),
    ("department", 128),
    ("title", 64),
)


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name_zh", sa.String(256), nullable=False),
        sa.Column("name_en", sa.String(256), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.String(32), sa.ForeignKey("institutions.id"), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_institutions_parent_id", "institutions", ["parent_id"])
    # Plain nullable columns: SQLite adds them in place, existing users keep their rows.
    for name, length in USER_COLUMNS:
        op.add_column("users", sa.Column(name, sa.String(length), nullable=True))
    op.create_index("ix_users_institution_id", "users", ["institution_id"])
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("institution_id", sa.String(32), nullable=True),
        sa.Column(
            "exam_attempt_id", sa.String(32), sa.ForeignKey("exam_attempts.id"), nullable=True
        ),
        sa.Column("blueprint_id", sa.String(64), nullable=False),
        sa.Column("holder_name", sa.String(128), nullable=False),
        sa.Column("practising_number", sa.String(64), nullable=True),
        sa.Column("institution_name", sa.String(256), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("issuer_fingerprint", sa.String(80), nullable=True),
        sa.Column("issuer_name", sa.String(256), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("signature", sa.String(128), nullable=True),
        sa.Column("open_badge", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("replaced_by", sa.String(32), nullable=True),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.UniqueConstraint("exam_attempt_id"),
    )
    op.create_index("ix_credentials_code", "credentials", ["code"], unique=True)
    op.create_index("ix_credentials_user_id", "credentials", ["user_id"])
    op.create_index("ix_credentials_institution_id", "credentials", ["institution_id"])
    op.create_index("ix_credentials_valid_until", "credentials", ["valid_until"])
    op.create_index("ix_credentials_status", "credentials", ["status"])
    op.create_table(
        "revocations",
        sa.Column("credential_id", sa.String(32), primary_key=True),
        sa.Column("issuer_fingerprint", sa.String(80), nullable=False),
        sa.Column("reason", sa.String(512), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(128), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )
    op.create_index("ix_revocations_issuer_fingerprint", "revocations", ["issuer_fingerprint"])
    op.create_table(
        "trusted_issuers",
        sa.Column("fingerprint", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(32), nullable=True),
    )
    op.create_table(
        "verification_checks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(256), nullable=False),
        sa.Column("credential_id", sa.String(32), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("checked_by", sa.String(32), nullable=True),
    )
    op.create_index("ix_verification_checks_at", "verification_checks", ["at"])
    op.create_index(
        "ix_verification_checks_credential_id", "verification_checks", ["credential_id"]
    )
    op.create_index("ix_verification_checks_outcome", "verification_checks", ["outcome"])


def downgrade() -> None:
    op.drop_table("verification_checks")
    op.drop_table("trusted_issuers")
    op.drop_table("revocations")
    op.drop_table("credentials")
    op.drop_index("ix_users_institution_id", "users")
    with op.batch_alter_table("users") as batch:
        for name, _length in USER_COLUMNS:
            batch.drop_column(name)
    op.drop_table("institutions")
