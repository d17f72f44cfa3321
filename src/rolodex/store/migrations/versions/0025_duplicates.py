"""Duplicates: each contact's blocking keys and profile, kept by every write.

`duplicate_keys` (owner, key, contact) is what a scan reads in key order and what a
new contact is looked up by; `duplicate_profiles` holds what the score reads of each
contact (rolodex.duplicates). The contacts stored before this revision are indexed
here, in batches, with the code of its day.

Revision ID: 0025_duplicates
Revises: 0024_history
"""

import orjson
import sqlalchemy as sa
from alembic import op

from rolodex.duplicates.keys import keys_of
from rolodex.duplicates.profile import build, encode
from rolodex.duplicates.repository import DuplicateRepository, Indexed

revision = "0025_duplicates"
down_revision = "0024_history"
branch_labels = None
depends_on = None

_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "duplicate_keys",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("block_key", sa.String(160), primary_key=True),
        sa.Column("contact_pk", _KEY, primary_key=True, autoincrement=False),
    )
    op.create_index("ix_duplicate_keys_contact", "duplicate_keys", ["contact_pk"])
    op.create_table(
        "duplicate_profiles",
        sa.Column("contact_pk", _KEY, primary_key=True, autoincrement=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("profile", sa.Text, nullable=False),
    )
    op.create_index("ix_duplicate_profiles_owner", "duplicate_profiles", ["owner_id"])
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    after = 0
    while True:
        rows = DuplicateRepository.unindexed(conn, after, _BATCH)
        if not rows:
            return
        made = []
        for pk, owner_id, text in rows:
            profile = build(orjson.loads(text))
            made.append(Indexed(pk, owner_id, encode(profile), keys_of(profile)))
        DuplicateRepository.put(conn, made, fresh=True)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_duplicate_profiles_owner", table_name="duplicate_profiles")
    op.drop_table("duplicate_profiles")
    op.drop_index("ix_duplicate_keys_contact", table_name="duplicate_keys")
    op.drop_table("duplicate_keys")
