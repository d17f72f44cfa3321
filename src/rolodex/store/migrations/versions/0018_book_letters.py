"""The address book's count and A-Z index: a live-contacts count, and a live-only index.

The book shows how many live contacts it holds and which letters names start with.
`owner_counts.contacts` (0012) counts tombstones too, so it gains `live`, kept by the
same writes in the same transactions (ContactRepository.add_to_count and add_live):
the count is one row read at any size, where the cost of counting even an index's entries
grows with the book (docs/benchmarks.md). It is filled here from the contacts.

The letter probes ("is there a live name starting with m") read a partial index of live
contacts only, (owner_id, sort_key, pk, deleted_at) WHERE deleted_at IS NULL: one seek
each. `deleted_at` is always NULL in it; as a column it lets SQLite answer from the
index alone rather than read each contact's row to check it (SQLite and PostgreSQL both
have partial indexes).

Revision ID: 0018_book_letters
Revises: 0017_refresh_rotation
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_book_letters"
down_revision = "0017_refresh_rotation"
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.add_column(
        "owner_counts", sa.Column("live", sa.BigInteger, nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE owner_counts SET live = (SELECT count(*) FROM contacts c"
        " WHERE c.owner_id = owner_counts.owner_id AND c.deleted_at IS NULL)"
    )
    op.create_index(
        "ix_contacts_owner_live_sort",
        "contacts",
        ["owner_id", "sort_key", "pk", "deleted_at"],
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_owner_live_sort", table_name="contacts")
    with op.batch_alter_table("owner_counts") as batch:
        batch.drop_column("live")
