"""Bulk import progress, so an interrupted `rolodex import` resumes where it stopped.

Revision ID: 0008_imports
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_imports"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("import_key", sa.String(64), primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("lines_done", sa.BigInteger, nullable=False),
        sa.Column("contacts_created", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("finished_at", sa.BigInteger, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("imports")
