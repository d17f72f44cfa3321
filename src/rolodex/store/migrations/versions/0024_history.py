"""Versions of contacts and the mass-deletion guard's holds: `contact_versions`, `deletion_holds`.

Every write to a contact appends a row with who made it and the version it replaced, so
that any change can be looked at and undone (docs/history.md).

Revision ID: 0024_history
Revises: 0023_carddav
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_history"
down_revision = "0023_carddav"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_versions",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("contact_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changed_at", sa.BigInteger, nullable=False),
        sa.Column("etag", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=True),
        sa.Column("credential_id", sa.String(64), nullable=True),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source_name", sa.String(256), nullable=False),
        sa.Column("before_etag", sa.String(32), nullable=True),
        sa.Column("before_updated", sa.BigInteger, nullable=True),
        sa.Column("before_deleted", sa.BigInteger, nullable=True),
        sa.Column("data", sa.Text, nullable=True),
        sa.Column("meta", sa.Text, nullable=True),
        sa.Column("tag_ids", sa.Text, nullable=True),
    )
    op.create_index(
        "ix_contact_versions_contact", "contact_versions", ["owner_id", "contact_id", "pk"]
    )
    op.create_index(
        "ix_contact_versions_source", "contact_versions", ["owner_id", "source_name", "changed_at"]
    )
    op.create_table(
        "deletion_holds",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("source_key", sa.String(320), primary_key=True),
        sa.Column("source_name", sa.String(256), nullable=False),
        sa.Column("tripped_at", sa.BigInteger, nullable=False),
        sa.Column("released_at", sa.BigInteger, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("deletion_holds")
    op.drop_index("ix_contact_versions_source", table_name="contact_versions")
    op.drop_index("ix_contact_versions_contact", table_name="contact_versions")
    op.drop_table("contact_versions")
