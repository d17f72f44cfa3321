"""History made fast: the indexes of the trash and of an undo by credential, and the
search documents of trashed contacts (`contact_search_trash`).

The trash page reads an owner's deleted contacts newest first from a partial index of
deleted contacts; an undo by credential id reads that credential's versions from its own
partial index. A contact deleted from now on keeps its search document aside, so that
undeleting it moves the document back instead of building it again (docs/history.md).
Contacts already in the trash have none kept: undeleting them builds theirs as before.

Revision ID: 0026_history_indexes
Revises: 0025_duplicates
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0026_history_indexes"
down_revision = "0025_duplicates"
branch_labels = None
depends_on = None

_HAS_CREDENTIAL = sa.text("credential_id IS NOT NULL")
_DELETED = sa.text("deleted_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_contact_versions_credential",
        "contact_versions",
        ["owner_id", "credential_id", "changed_at"],
        sqlite_where=_HAS_CREDENTIAL,
        postgresql_where=_HAS_CREDENTIAL,
    )
    op.create_index(
        "ix_contacts_owner_deleted",
        "contacts",
        ["owner_id", "deleted_at", "pk"],
        sqlite_where=_DELETED,
        postgresql_where=_DELETED,
    )
    op.create_table(
        "contact_search_trash",
        sa.Column("contact_pk", sa.BigInteger, primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("data_digest", sa.String(32), nullable=False),
        sa.Column("document", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
    )
    op.create_index("ix_contact_search_trash_owner", "contact_search_trash", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_contact_search_trash_owner", table_name="contact_search_trash")
    op.drop_table("contact_search_trash")
    op.drop_index("ix_contacts_owner_deleted", table_name="contacts")
    op.drop_index("ix_contact_versions_credential", table_name="contact_versions")
