"""Sync tokens of the personal contacts API.

Revision ID: 0007_sync
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_sync"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_tokens",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_tokens")
