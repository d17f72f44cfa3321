"""App passwords' last use: `credentials.last_used_at` and `credentials.last_client`.

App passwords (rolodex.oauth.app_passwords, kind "app_password") are rows of
`credentials` like every other secret; what they add is when each was last used and by
which client (its User-Agent), shown on `/settings/app-passwords` so a person can tell
which device a password belongs to before revoking it. Both columns are NULL until the
first use, and for the other kinds of credential.

Revision ID: 0022_app_passwords
Revises: 0020_contact_cards
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_app_passwords"
down_revision = "0020_contact_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("credentials", sa.Column("last_used_at", sa.BigInteger, nullable=True))
    op.add_column("credentials", sa.Column("last_client", sa.String(256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("last_client")
        batch.drop_column("last_used_at")
