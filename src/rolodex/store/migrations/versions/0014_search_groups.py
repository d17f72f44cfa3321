"""PostgreSQL search documents: each token also once per group of columns (`'=.john'`).

The groups of contacts/search/tsvector.py besides "any column" (0013): the name
(`=`: given, family, names) and the name, email, company and title (`^`). A rank
bucket's narrowed word is then one or two GIN lookups instead of three or seven. The
lexemes are derived in SQL from the per-column ones (`'g.john'`), exactly as
`document_literal` writes them: position-less, one per distinct token and group. The
GIN index is dropped and built again around the rewrite, as in 0013. SQLite is
unchanged.

Revision ID: 0014_search_groups
Revises: 0013_search_any
"""

from alembic import op

revision = "0014_search_groups"
down_revision = "0013_search_any"
branch_labels = None
depends_on = None

# (group code, the one-character codes of its columns), as tsvector.GROUPS and CODES
# were when this was written.
_GROUPS = "('=', 'gfn'), ('^', 'gfnect')"
_ADD = f"""
UPDATE contact_search SET document = document || coalesce(
    (SELECT array_to_tsvector(array_agg(DISTINCT g.code || '.' || substr(u.lexeme, 3)))
     FROM unnest(document) AS u, (VALUES {_GROUPS}) AS g(code, columns)
     WHERE substr(u.lexeme, 2, 1) = '.' AND strpos(g.columns, left(u.lexeme, 1)) > 0),
    ''::tsvector)
"""
_REMOVE = """
UPDATE contact_search SET document = ts_delete(document, ARRAY(
    SELECT lexeme FROM unnest(document) AS u WHERE left(lexeme, 2) IN ('=.', '^.')))
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
