"""What a contact file said about a contact that has no canonical field: `contact_cards`.

One row per contact imported from a file that carried a `UID` or kept extras (vCard `X-`
properties, unknown parameters...; `rolodex.formats`): the `UID` makes a re-import update
the contact instead of duplicating it, and the extras are written back on export
(docs/import-export.md, "Where Rolodex keeps a card's UID and extras"). Contacts made
through the APIs have no row.

Revision ID: 0020_contact_cards
Revises: 0019_web_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_contact_cards"
down_revision = "0019_web_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_cards",
        sa.Column(
            "contact_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("uid", sa.Text, nullable=False),
        sa.Column("extras", sa.Text, nullable=False),
    )
    op.create_index("ux_contact_cards_owner_uid", "contact_cards", ["owner_id", "uid"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_contact_cards_owner_uid", table_name="contact_cards")
    op.drop_table("contact_cards")
