"""CardDAV: an address book's name may be any path segment a client chooses, up to 255.

vdirsyncer (and other clients) name a new collection as they like, spaces and non-ASCII
letters included (`test @ foo ät bar-vdirsyncer-ci-<uuid>`, 68 characters): the
name columns grow from 64 to 255 characters. Nothing else changes.

Revision ID: 0025_book_names
Revises: 0024_history
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_book_names"
down_revision = "0024_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("address_books") as batch:
        batch.alter_column("name", type_=sa.String(255), existing_type=sa.String(64))
    with op.batch_alter_table("book_members") as batch:
        batch.alter_column("book", type_=sa.String(255), existing_type=sa.String(64))


def downgrade() -> None:
    with op.batch_alter_table("book_members") as batch:
        batch.alter_column("book", type_=sa.String(64), existing_type=sa.String(255))
    with op.batch_alter_table("address_books") as batch:
        batch.alter_column("name", type_=sa.String(64), existing_type=sa.String(255))
