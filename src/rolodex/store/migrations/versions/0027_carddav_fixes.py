"""CardDAV: any book name a client chooses, and group cards kept as tags.

vdirsyncer (and other clients) name a new collection as they like, spaces and non-ASCII
letters included (`test @ foo ät bar-vdirsyncer-ci-<uuid>`, 68 characters): the
name columns grow from 64 to 255 characters.

`group_cards`: an Apple group card (or vCard 4.0 `KIND:group`) PUT into a book is the
tag `tag_id`; its text is kept as sent, with its own etag, so it reads back unchanged at
the name the client chose (rolodex.books.groups).

Revision ID: 0027_carddav_fixes
Revises: 0026_history_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_carddav_fixes"
down_revision = "0026_history_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("address_books") as batch:
        batch.alter_column("name", type_=sa.String(255), existing_type=sa.String(64))
    with op.batch_alter_table("book_members") as batch:
        batch.alter_column("book", type_=sa.String(255), existing_type=sa.String(64))
    op.create_table(
        "group_cards",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("resource_name", sa.Text, primary_key=True),
        sa.Column("book", sa.String(255), nullable=False),
        sa.Column("tag_id", sa.String(64), nullable=False),
        sa.Column("uid", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("group_cards")
    with op.batch_alter_table("book_members") as batch:
        batch.alter_column("book", type_=sa.String(64), existing_type=sa.String(255))
    with op.batch_alter_table("address_books") as batch:
        batch.alter_column("name", type_=sa.String(64), existing_type=sa.String(255))
