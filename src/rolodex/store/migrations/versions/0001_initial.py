"""The initial schema: accounts, credentials, contacts, tags and the change log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account_id", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "credentials",
        sa.Column("credential_id", sa.String(64), primary_key=True),
        sa.Column(
            "account_id", sa.String(64), sa.ForeignKey("accounts.account_id"), nullable=False
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(256), nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=True),
        sa.Column("revoked_at", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_credentials_account", "credentials", ["account_id"])
    op.create_table(
        "contacts",
        sa.Column("pk", Serial, primary_key=True, autoincrement=True),
        sa.Column("contact_id", sa.String(64), nullable=False, unique=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("etag", sa.String(32), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("deleted_at", sa.BigInteger, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
    )
    op.create_index("ix_contacts_owner_pk", "contacts", ["owner_id", "pk"])
    op.create_table(
        "tags",
        sa.Column("pk", Serial, primary_key=True, autoincrement=True),
        sa.Column("tag_id", sa.String(64), nullable=False, unique=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("name_key", sa.String(256), nullable=False),
        sa.Column("etag", sa.String(32), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("deleted_at", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_tags_owner_pk", "tags", ["owner_id", "pk"])
    op.create_index("ix_tags_owner_name", "tags", ["owner_id", "name_key"])
    op.create_table(
        "contact_tags",
        sa.Column("contact_pk", sa.BigInteger, primary_key=True),
        sa.Column("tag_id", sa.String(64), primary_key=True),
    )
    op.create_index("ix_contact_tags_tag", "contact_tags", ["tag_id"])
    op.create_table(
        "changes",
        sa.Column("seq", Serial, primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("etag", sa.String(32), nullable=True),
        sa.Column("occurred_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_changes_owner_seq", "changes", ["owner_id", "seq"])


def downgrade() -> None:
    for table in ("changes", "contact_tags", "tags", "contacts", "credentials", "accounts"):
        op.drop_table(table)
