"""Contact search: the full-text index of each database, filled from existing contacts.

Both: `contact_search`, one search document per live contact. PostgreSQL indexes its
tsvector with GIN; SQLite indexes its text with the contentless FTS5 table
`contact_search_fts`. No extension is created (docs/search.md says why).
Existing live contacts are indexed in batches, with the same code that indexes writes.

Revision ID: 0002_search
Revises: 0001
"""

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

from rolodex.contacts.model import Contact
from rolodex.contacts.search import fts5
from rolodex.contacts.search.index import write

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
    _backfill(conn)


def _backfill(conn: sa.Connection) -> None:
    contacts = sa.table(
        "contacts",
        sa.column("pk"),
        sa.column("contact_id"),
        sa.column("owner_id"),
        sa.column("etag"),
        sa.column("created_at"),
        sa.column("updated_at"),
        sa.column("deleted_at"),
        sa.column("data"),
        sa.column("meta"),
    )
    after = 0
    while True:
        rows = conn.execute(
            sa.select(contacts)
            .where(contacts.c.pk > after, contacts.c.deleted_at.is_(None))
            .order_by(contacts.c.pk)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        batch = [
            Contact(
                pk=row.pk,
                contact_id=row.contact_id,
                owner_id=row.owner_id,
                etag=row.etag,
                created_at=row.created_at,
                updated_at=row.updated_at,
                deleted_at=None,
                data=orjson.loads(row.data),
                meta={},
            )
            for row in rows
        ]
        write(conn, batch)
        after = rows[-1].pk


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {fts5.TABLE}")
    op.drop_table("contact_search")
