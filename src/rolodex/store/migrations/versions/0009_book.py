"""The address book's sort key: contacts listed by name, paged by (sort_key, pk).

Adds `contacts.sort_key` (byte-order collation on PostgreSQL, as SQLite's default, so
both databases page the same way) with the index the by-name listing walks, and fills
it for existing contacts in batches with the code that keeps it in step on writes.

Revision ID: 0009_book
Revises: 0001
"""

import orjson
import sqlalchemy as sa
from alembic import op

from rolodex.contacts.sort_names import NAMELESS, sort_key

revision = "0009_book"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    key_type = sa.String(256).with_variant(sa.String(256, collation="C"), "postgresql")
    op.add_column(
        "contacts", sa.Column("sort_key", key_type, nullable=False, server_default=NAMELESS)
    )
    op.create_index("ix_contacts_owner_sort", "contacts", ["owner_id", "sort_key", "pk"])
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    contacts = sa.table("contacts", sa.column("pk"), sa.column("data"), sa.column("sort_key"))
    after = 0
    while True:
        rows = conn.execute(
            sa.select(contacts.c.pk, contacts.c.data)
            .where(contacts.c.pk > after)
            .order_by(contacts.c.pk)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        conn.execute(
            sa.update(contacts)
            .where(contacts.c.pk == sa.bindparam("row_pk"))
            .values(sort_key=sa.bindparam("key")),
            [{"row_pk": row.pk, "key": sort_key(orjson.loads(row.data))} for row in rows],
        )
        after = rows[-1].pk


def downgrade() -> None:
    op.drop_index("ix_contacts_owner_sort", table_name="contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("sort_key")
