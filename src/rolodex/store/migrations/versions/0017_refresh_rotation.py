"""Refresh token rotation (RFC 9700 §4.14.2) and the login throttle's clean-up index.

`oauth_token_grants.rotated_at` marks a refresh token that was exchanged for a new one,
and `replaced_by` names the credential that replaced it: presenting a rotated token
again is a reuse, and revokes every credential of its grant (oauth/tokens.py).
`ix_login_failures_time` lets the login throttle drop rows older than its memory
without reading the whole table (accounts/login_throttle.py).

Existing refresh tokens have neither mark: each rotates on its next use.

Revision ID: 0017_refresh_rotation
Revises: 0016_search_words
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_refresh_rotation"
down_revision = "0016_search_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("oauth_token_grants", sa.Column("rotated_at", sa.BigInteger, nullable=True))
    op.add_column("oauth_token_grants", sa.Column("replaced_by", sa.String(64), nullable=True))
    op.create_index("ix_login_failures_time", "login_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_time", table_name="login_failures")
    with op.batch_alter_table("oauth_token_grants") as batch:
        batch.drop_column("replaced_by")
        batch.drop_column("rotated_at")
