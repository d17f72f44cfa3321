"""Merges: what each merge of duplicates replaced, so that it can be undone.

Revision ID: 0028_merges
Revises: 0027_carddav_fixes
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_merges"
down_revision = "0027_carddav_fixes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merges",
        sa.Column("merge_id", sa.String(64), primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("survivor_id", sa.String(64), nullable=False),
        sa.Column("contact_ids", sa.Text, nullable=False),
        sa.Column("befores", sa.Text, nullable=False),
        sa.Column("after_etags", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("undone_at", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_merges_owner", "merges", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_merges_owner", table_name="merges")
    op.drop_table("merges")
