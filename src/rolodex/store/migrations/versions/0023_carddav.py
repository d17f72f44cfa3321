"""CardDAV: the resource name a client chose for a card, and address books beyond the default.

A card PUT to `/dav/books/<owner>/default/<name>.vcf` is found at that name again
(RFC 6352 §6.3.2.1 leaves the name to the client). Contacts without a chosen name keep
NULL and are named after their UID (rolodex.books.names). Unique per owner, like the UID.
`raw` and `raw_etag`: the card as the client sent it, served back while the contact's
etag is still `raw_etag` (clients compare what they sent with what they read).

`address_books` holds the books a client made (extended MKCOL, RFC 5689) and the names it
gave; `book_members` the book of each contact outside its owner's default book. No
contact has a row to begin with: every existing contact is in the default book.

Revision ID: 0023_carddav
Revises: 0022_app_passwords
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_carddav"
down_revision = "0022_app_passwords"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact_cards") as batch:
        batch.add_column(sa.Column("resource_name", sa.Text, nullable=True))
        batch.add_column(sa.Column("raw", sa.Text, nullable=True))
        batch.add_column(sa.Column("raw_etag", sa.String(64), nullable=True))
    op.create_index(
        "ux_contact_cards_owner_resource",
        "contact_cards",
        ["owner_id", "resource_name"],
        unique=True,
    )

    op.create_table(
        "address_books",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "book_members",
        sa.Column(
            "contact_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("book", sa.String(64), nullable=False),
    )
    op.create_index("ix_book_members_book", "book_members", ["owner_id", "book", "contact_pk"])


def downgrade() -> None:
    op.drop_index("ix_book_members_book", table_name="book_members")
    op.drop_table("book_members")
    op.drop_table("address_books")
    op.drop_index("ux_contact_cards_owner_resource", table_name="contact_cards")
    with op.batch_alter_table("contact_cards") as batch:
        batch.drop_column("raw_etag")
        batch.drop_column("raw")
        batch.drop_column("resource_name")
