"""Search documents rebuilt: letters and digits are separate words (`huang056` -> `huang 056`).

contacts/search/text.py cuts text into runs of letters and runs of digits since this
revision, where it cut runs of letters and digits together; docs/search.md says why
(a prefix had to gather one index term per numbered email address). Every live
contact's document is written again, for both databases, with the code that indexes
writes (on PostgreSQL with the GIN index dropped and built again around it, as 0013
does). This takes about as long as importing the contacts: minutes for a million.

Downgrading writes the documents again with the old rule (runs of letters and digits
together), kept here, so that the code of 0015 finds what it expects.

Revision ID: 0016_search_words
Revises: 0015_search_gin_fastupdate
"""

from __future__ import annotations

import re

from alembic import op

from rolodex.contacts.search import fts5, index
from rolodex.contacts.search import text as search_text

revision = "0016_search_words"
down_revision = "0015_search_gin_fastupdate"
branch_labels = None
depends_on = None

BATCH = 1000
# The word rule before this revision.
_OLD_TOKEN = re.compile(r"[^\W_]+")


def upgrade() -> None:
    _rebuild()


def downgrade() -> None:
    with search_text.word_rule(_OLD_TOKEN):
        _rebuild()


def _rebuild() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    if dialect == "sqlite":
        # A contentless FTS5 table is emptied by its 'delete-all' command.
        op.execute(f"INSERT INTO {fts5.TABLE} ({fts5.TABLE}) VALUES ('delete-all')")
        op.execute("DELETE FROM contact_search")
    else:
        op.drop_index("ix_contact_search_document", "contact_search")
        op.execute("TRUNCATE contact_search")
    index.index_live_contacts(conn, batch=BATCH)
    if dialect != "sqlite":
        op.create_index(
            "ix_contact_search_document",
            "contact_search",
            ["document"],
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        )
