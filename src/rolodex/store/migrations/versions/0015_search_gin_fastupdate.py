"""PostgreSQL search index: GIN without the pending list (`fastupdate = off`).

With the pending list on, GIN defers the entries of new and changed documents to an
unsorted list that every search then reads in full until a vacuum merges it, so after a
burst of writes searches were slower than right after a vacuum (docs/benchmarks.md).
Off, each write puts its entries in the index itself: writes pay a little more, searches
stay as fast as the index. SQLite is unchanged.

Revision ID: 0015_search_gin_fastupdate
Revises: 0014_search_groups
"""

from alembic import op

revision = "0015_search_gin_fastupdate"
down_revision = "0014_search_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_contact_search_document SET (fastupdate = off)")
    # Whatever is pending now goes into the index, so no search reads the list again.
    op.execute("SELECT gin_clean_pending_list('ix_contact_search_document'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_contact_search_document RESET (fastupdate)")
