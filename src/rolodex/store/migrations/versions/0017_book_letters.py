"""The address book's live contacts by name: a partial index for its count and letter jumps.

The book shows how many live contacts it holds and jumps to the first name at or after
a letter. Both read only live contacts (`deleted_at IS NULL`); the index of 0009_book,
(owner_id, sort_key, pk), holds tombstones too, so counting through it reads every
row's `deleted_at` from the table. This partial index holds live contacts only: the
count is an index-only walk of one owner's entries and a letter is one seek
(docs/address-book.md has the figures). SQLite and PostgreSQL both have partial indexes.

Revision ID: 0017_book_letters
Revises: 0016_search_words
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_book_letters"
down_revision = "0016_search_words"
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_contacts_owner_live_sort",
        "contacts",
        ["owner_id", "sort_key", "pk"],
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_owner_live_sort", table_name="contacts")
