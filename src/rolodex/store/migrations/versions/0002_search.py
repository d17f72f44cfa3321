"""Contact search: the full-text index of each database, filled from existing contacts.

Both: `contact_search`, one search document per live contact. PostgreSQL indexes its
tsvector with GIN; SQLite indexes its text with the contentless FTS5 table
`contact_search_fts`. No extension is created (docs/search.md says why).
Existing live contacts are indexed in batches, with the same code that indexes writes
(`index.index_live_contacts`, which 0016 uses to rebuild the index too).

Revision ID: 0002_search
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

from rolodex.contacts.search import fts5
from rolodex.contacts.search.index import index_live_contacts

revision = "0002_search"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.create_table(
        "contact_search",
        sa.Column("contact_pk", sa.BigInteger, primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("document", sa.Text if sqlite else TSVECTOR, nullable=False),
    )
    if sqlite:
        op.execute(fts5.CREATE)
    else:
        op.create_index(
            "ix_contact_search_document", "contact_search", ["document"], postgresql_using="gin"
        )
    index_live_contacts(conn, batch=BATCH)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {fts5.TABLE}")
    op.drop_table("contact_search")
