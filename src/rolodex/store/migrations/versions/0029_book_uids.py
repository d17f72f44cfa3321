"""A card's UID and resource name are unique per address book, not per owner.

RFC 6352 §6.3.2.1 (no-uid-conflict) asks for a UID once per address book collection: a
client that copies a card into another book of the same owner PUTs the same UID there,
usually under the same name. `contact_cards.book` is the book of the card's contact (the
default book unless `book_members` says otherwise; a contact never changes book), and
the two unique indexes take it as their second column.

Revision ID: 0029_book_uids
Revises: 0028_merges
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_book_uids"
down_revision = "0028_merges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact_cards") as batch:
        batch.add_column(
            sa.Column("book", sa.String(255), nullable=False, server_default="default")
        )
    op.execute(
        "UPDATE contact_cards SET book = (SELECT m.book FROM book_members m"
        " WHERE m.contact_pk = contact_cards.contact_pk)"
        " WHERE contact_pk IN (SELECT contact_pk FROM book_members)"
    )
    op.drop_index("ux_contact_cards_owner_uid", table_name="contact_cards")
    op.drop_index("ux_contact_cards_owner_resource", table_name="contact_cards")
    op.create_index(
        "ux_contact_cards_book_uid", "contact_cards", ["owner_id", "book", "uid"], unique=True
    )
    op.create_index(
        "ux_contact_cards_book_resource",
        "contact_cards",
        ["owner_id", "book", "resource_name"],
        unique=True,
    )


def downgrade() -> None:
    # Only possible while no UID or name is held in two books of one owner.
    op.drop_index("ux_contact_cards_book_resource", table_name="contact_cards")
    op.drop_index("ux_contact_cards_book_uid", table_name="contact_cards")
    op.create_index("ux_contact_cards_owner_uid", "contact_cards", ["owner_id", "uid"], unique=True)
    op.create_index(
        "ux_contact_cards_owner_resource",
        "contact_cards",
        ["owner_id", "resource_name"],
        unique=True,
    )
    with op.batch_alter_table("contact_cards") as batch:
        batch.drop_column("book")
