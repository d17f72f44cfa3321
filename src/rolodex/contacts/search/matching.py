"""Whether a term is found in a search document, decided in Python.

The search ranks a page by walking the index once per rank bucket. When a query
matches only a few contacts, those walks cost the most for the least: each one reads
the terms' whole doclists to find nothing new (a name that nobody has costs four
walks). The service then walks the index once for all the matches, and the backend
ranks those few at once (`SearchBackend.ranks`): by default here, from the documents
the index was built from (`SearchBackend.documents`; SQLite keeps them).

A document is the text of each column as the index was given it (its tokens, each one
run of letters or of digits, joined by single spaces), and a term is matched as the
index matches it: its tokens as consecutive tokens of one column (a phrase; values of
one column run on into each other, as they do in the index), the last one as a prefix
when the term is a prefix; a term with phone digits also matches a phone token equal
to (or, as a prefix, starting with) them. On such text a phrase is a substring that
starts at a token and, unless it is a prefix, ends at one. Besides ranks, it
decides a query's own NOTs at the top (`Dubois -Sales`) for the matches of the rest of
the query on SQLite (`node_found`): the index would first gather every contact the NOT
names, however few of them the page reads.
"""

from __future__ import annotations

from collections.abc import Mapping

from rolodex.contacts.search import text
from rolodex.contacts.search.query import And, Node, Not, Or, Term

# Column name -> " " + that column's tokens joined by single spaces + " ".
Document = Mapping[str, str]


def padded(column_text: str) -> str:
    """A column's indexed text as a `Document` holds it (runs of spaces made one, as the
    index does not see them either)."""
    return " " + " ".join(column_text.split()) + " "


def term_found(term: Term, document: Document) -> bool:
    """Whether `term` is in one of its columns of `document`, as the index would find it."""
    columns = term.columns if term.columns is not None else text.COLUMNS
    if term.tokens:
        wanted = " " + " ".join(term.tokens) + ("" if term.prefix else " ")
        if any(wanted in document.get(c, "") for c in columns):
            return True
    if term.digits and text.PHONE in columns:
        phone = document.get(text.PHONE, "")
        end = "" if term.prefix else " "
        return any(f" {digits}{end}" in phone for digits in term.digits)
    return False


def node_found(node: Node, document: Document) -> bool:
    """Whether a tag-free query tree holds for `document`, as the index would decide it."""
    if isinstance(node, Term):
        return term_found(node, document)
    if isinstance(node, And):
        return all(node_found(item, document) for item in node.items)
    if isinstance(node, Or):
        return any(node_found(item, document) for item in node.items)
    if isinstance(node, Not):
        return not node_found(node.item, document)
    raise TypeError(f"not matched in Python: {node!r}")
