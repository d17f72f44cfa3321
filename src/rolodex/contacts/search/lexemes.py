"""PostgreSQL's search documents and queries, as `tsvector` and `tsquery` literals.

Each lexeme is `<column code>.<token>` (tokens from `text.tokens`, already folded), so
the text search parser, dictionaries and `unaccent` play no part: a field-qualified
term is a plain lexeme lookup (`'g.john'`), a prefix a GIN partial match (`'g.jo':*`),
and a phrase the `<->` operator over positions. No user text is ever tsquery syntax.
Between two values of one column a position is skipped, so a phrase never runs from
one email address into the next.

Each token is also in the document once per group of columns it is in, without
positions (`GROUPS`): `'_.john'` (any column), `'=.john'` (a name column), `'^.john'`
(a name, email, company or title). A bare word is then one lookup (`'_.jo':*`) instead
of one per column, which GIN would scan one by one and combine, and a rank bucket's
narrowed word one or two. Phrases keep the per-column lexemes (they need positions).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.backend import owner_token
from rolodex.contacts.search.query import And, Node, Not, Or, Term

CODES = {
    search_text.GIVEN: "g",
    search_text.FAMILY: "f",
    search_text.NAMES: "n",
    search_text.EMAIL: "e",
    search_text.PHONE: "p",
    search_text.COMPANY: "c",
    search_text.TITLE: "t",
    search_text.ORG: "o",
    search_text.CITY: "y",
    search_text.COUNTRY: "k",
    search_text.ADDRESS: "a",
    search_text.NOTES: "x",
}
OWNER_CODE = "@"
# Groups of columns whose tokens are also lexemes of their own, position-less, so that
# a word searched in all of a group's columns is one lookup: any column (a bare word),
# the name (ranks 0 and 1, `name:`), and rank 2's columns but the phone's many digit
# tails (rank 2 is then this group or the phone column). Largest first.
GROUPS: dict[str, tuple[str, ...]] = {
    "_": search_text.COLUMNS,
    "^": (
        *search_text.NAME_COLUMNS,
        search_text.EMAIL,
        search_text.COMPANY,
        search_text.TITLE,
    ),
    "=": search_text.NAME_COLUMNS,
}
# PostgreSQL's limits: positions run to 16383, and a lexeme keeps at most 256 of them.
_MAX_POSITION = 16383
_MAX_POSITIONS = 255


def document_literal(owner_id: str, doc: search_text.Document) -> str:
    """The tsvector literal of a search document: `'@.o…':1 'g.john':2 'f.smith':4 … '_.john' …`."""
    positions: dict[str, list[int]] = defaultdict(list)
    positions[owner_lexeme(owner_id)].append(1)
    at = 2
    grouped: dict[str, None] = {}
    groups = _groups_of()
    for name in search_text.COLUMNS:
        for value in doc[name]:
            for token in value:
                for code in groups[name]:
                    grouped[_lexeme(code, token)] = None
                kept = positions[_lexeme(CODES[name], token)]
                if len(kept) < _MAX_POSITIONS and (not kept or kept[-1] != at):
                    kept.append(at)
                at = min(at + 1, _MAX_POSITION)
            at = min(at + 1, _MAX_POSITION)
    literal = " ".join(f"{lexeme}:{','.join(map(str, at_))}" for lexeme, at_ in positions.items())
    return " ".join([literal, *grouped])


def owner_lexeme(owner_id: str) -> str:
    """The lexeme every document of `owner_id` holds (at position 1)."""
    return _lexeme(OWNER_CODE, owner_token(owner_id))


@cache
def _groups_of() -> dict[str, tuple[str, ...]]:
    """Each column's groups (codes)."""
    return {
        name: tuple(code for code, columns in GROUPS.items() if name in columns)
        for name in search_text.COLUMNS
    }


def _cover(columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Codes of the groups, and of the single columns, that together are exactly `columns`."""
    rest = set(columns)
    codes = []
    for code, group in GROUPS.items():
        if rest.issuperset(group):
            codes.append(code)
            rest -= set(group)
    return codes, [CODES[name] for name in search_text.COLUMNS if name in rest]


def _lexeme(code: str, token: str, prefix: bool = False) -> str:
    # Tokens are letters and digits only; the owner token is hex. Quote doubling is
    # still applied so that this function is safe on its own.
    body = (code + "." + token).replace("\\", "\\\\").replace("'", "''")
    return f"'{body}'" + (":*" if prefix else "")


def expression(node: Node) -> str:
    """The tsquery of a tag-free query tree."""
    if isinstance(node, Term):
        digits = [_lexeme(CODES[search_text.PHONE], d, node.prefix) for d in node.digits]
        if len(node.tokens) == 1:
            # One word: its groups' lexemes, the same documents as one lexeme per column.
            groups, singles = _cover(node.columns or search_text.COLUMNS)
            parts = [_lexeme(c, node.tokens[0], node.prefix) for c in [*groups, *singles]]
            if node.columns is None or search_text.PHONE in node.columns:
                parts += digits
            return " | ".join(parts)
        columns = node.columns if node.columns is not None else search_text.COLUMNS
        parts = []
        last = len(node.tokens) - 1
        for name in columns:
            lexemes = [
                _lexeme(CODES[name], t, node.prefix and i == last)
                for i, t in enumerate(node.tokens)
            ]
            parts.append("(" + " <-> ".join(lexemes) + ")")
        if search_text.PHONE in columns:
            parts += digits
        return " | ".join(parts)
    if isinstance(node, And):
        return " & ".join(f"({expression(item)})" for item in node.items)
    if isinstance(node, Or):
        return " | ".join(f"({expression(item)})" for item in node.items)
    if isinstance(node, Not):
        return f"!({expression(node.item)})"
    raise TypeError(f"tag terms are not matched by the text index: {node!r}")
