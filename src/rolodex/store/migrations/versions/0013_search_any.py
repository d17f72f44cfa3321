"""PostgreSQL search documents: each token also once without its column (`'_.john'`).

A bare word is then one GIN lookup instead of one per column (contacts/search/tsvector.py).
The existing documents already hold every token under its column (`'g.john'`), so the
column-less lexemes are derived from them in SQL, exactly as `document_literal` writes
them: position-less, one per distinct token. The GIN index is dropped and built again
around the rewrite (faster than updating it row by row, and it leaves no pending list).
SQLite's FTS5 index is unchanged.

Revision ID: 0013_search_any
Revises: 0012_owner_counts
"""

from alembic import op

revision = "0013_search_any"
down_revision = "0012_owner_counts"
branch_labels = None
depends_on = None

# Column codes are one character ("g.john"); "@." is the owner, "_." the new lexemes.
_ADD = """
UPDATE contact_search SET document = document || coalesce(
    (SELECT array_to_tsvector(array_agg(DISTINCT '_.' || substr(lexeme, 3)))
     FROM unnest(document) AS u
     WHERE left(lexeme, 2) NOT IN ('@.', '_.')),
    ''::tsvector)
"""
_REMOVE = """
UPDATE contact_search SET document = ts_delete(document, ARRAY(
    SELECT lexeme FROM unnest(document) AS u WHERE left(lexeme, 2) = '_.'))
"""


def upgrade() -> None:
    _rewrite(_ADD)


def downgrade() -> None:
    _rewrite(_REMOVE)


def _rewrite(statement: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_contact_search_document", "contact_search")
    op.execute(statement)
    op.create_index(
        "ix_contact_search_document", "contact_search", ["document"], postgresql_using="gin"
    )
