"""API key tiers for the REST API's rate limits: `credentials.tier` ("trial" or NULL).

Revision ID: 0010_ratelimit
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_ratelimit"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: every existing key stays a normal key.
    op.add_column("credentials", sa.Column("tier", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("tier")
