"""Server-side web sessions: `web_sessions`, one row per logged-in browser.

The session cookie used to carry the account id itself, so logging out could only
forget the cookie in that browser. Now the cookie carries a random secret whose SHA-256
names a row here: logging out, changing the password or deleting the account ends the
session on the server, and the settings page lists them (docs/administration.md).
Cookies made before this revision no longer log anyone in: people log in once again.

Revision ID: 0019_web_sessions
Revises: 0018_book_letters
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_web_sessions"
down_revision = "0018_book_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "account_id", sa.String(64), sa.ForeignKey("accounts.account_id"), nullable=False
        ),
        sa.Column("user_agent", sa.String(256), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("last_seen_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_web_sessions_account", "web_sessions", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_account", table_name="web_sessions")
    op.drop_table("web_sessions")
