"""CardDAV: the resource name a client chose for a card, kept on `contact_cards`.

A card PUT to `/dav/books/<owner>/default/<name>.vcf` is found at that name again
(RFC 6352 §6.3.2.1 leaves the name to the client). Contacts without a chosen name keep
NULL and are named after their UID (rolodex.books.names). Unique per owner, like the UID.

Revision ID: 0023_carddav
Revises: 0020_contact_cards
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_carddav"
down_revision = "0020_contact_cards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact_cards") as batch:
        batch.add_column(sa.Column("resource_name", sa.Text, nullable=True))
    op.create_index(
        "ux_contact_cards_owner_resource",
        "contact_cards",
        ["owner_id", "resource_name"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_contact_cards_owner_resource", table_name="contact_cards")
    with op.batch_alter_table("contact_cards") as batch:
        batch.drop_column("resource_name")
