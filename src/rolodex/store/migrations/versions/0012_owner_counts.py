"""Per-owner contact counts, for the contacts-per-account limit (back-filled).

Revision ID: 0012_owner_counts
Revises: 0011_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_owner_counts"
down_revision = "0011_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owner_counts",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("contacts", sa.BigInteger, nullable=False),
    )
    op.execute(
        "INSERT INTO owner_counts (owner_id, contacts) "
        "SELECT owner_id, count(*) FROM contacts GROUP BY owner_id"
    )


def downgrade() -> None:
    op.drop_table("owner_counts")
