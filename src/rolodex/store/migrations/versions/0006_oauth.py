"""OAuth 2.0: registered apps, authorization codes, token grants; web sessions' secret and login throttling.

Revision ID: 0006_oauth
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_oauth"
down_revision = "0001"
branch_labels = None
depends_on = None

Serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "oauth_apps",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column(
            "account_id", sa.String(64), sa.ForeignKey("accounts.account_id"), nullable=False
        ),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("redirect_uris", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_oauth_apps_account", "oauth_apps", ["account_id"])
    op.create_table(
        "oauth_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("grant_id", sa.String(64), nullable=False, unique=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column(
            "account_id", sa.String(64), sa.ForeignKey("accounts.account_id"), nullable=False
        ),
        sa.Column("redirect_uri", sa.Text, nullable=True),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "oauth_token_grants",
        sa.Column("credential_id", sa.String(64), primary_key=True),
        sa.Column("grant_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_oauth_token_grants_grant", "oauth_token_grants", ["grant_id"])
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("pk", Serial, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("failed_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_login_failures_key_time", "login_failures", ["key", "failed_at"])


def downgrade() -> None:
    for table in (
        "login_failures",
        "server_secrets",
        "oauth_token_grants",
        "oauth_codes",
        "oauth_apps",
    ):
        op.drop_table(table)
