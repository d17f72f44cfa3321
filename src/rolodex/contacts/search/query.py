"""The search query language (docs/search.md), parsed into a small tree.

Words must all match, each as a prefix (`jo smi` finds John Smith, as people type);
`field:value` narrows a term to one field; `AND`, `OR`, `NOT` / `-term`, `"phrases"`
and parentheses combine terms. Nothing the user typed reaches the database as syntax:
the tree holds only folded tokens (runs of letters and digits) and tag names, and each
backend writes its own match expression from it. Every mistake is an `InvalidInput`
on `searchQuery` that says what is wrong and at which character (counting from 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Union

from rolodex.contacts import phones
from rolodex.contacts.search import text
from rolodex.errors import InvalidInput

FIELD = "searchQuery"
MAX_QUERY = 1000
MAX_TERMS = 64
MAX_DEPTH = 16

TAG = "tag"
# Field names are case-insensitive; each maps to the document columns it searches.
FIELDS: dict[str, tuple[str, ...]] = {
    "firstname": (text.GIVEN,),
    "lastname": (text.FAMILY,),
    "name": text.NAME_COLUMNS,
    "email": (text.EMAIL,),
    "phone": (text.PHONE,),
    "company": (text.COMPANY,),
    "title": (text.TITLE,),
    "city": (text.CITY,),
    "country": (text.COUNTRY,),
    "notes": (text.NOTES,),
    TAG: (),
}


@dataclass(frozen=True, slots=True)
class Term:
    """Tokens that must appear in this order (a phrase of one or more) in one of `columns`.

    `columns=None` means any column (a bare word). `digits` are the phone forms of a
    term that looks like a number; they also match the phone column exactly (or as a
    prefix, with `prefix`).
    """

    tokens: tuple[str, ...]
    columns: tuple[str, ...] | None = None
    prefix: bool = False
    digits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TagTerm:
    """Contacts carrying a tag of this name (compared like tag names are: case-insensitively)."""

    name: str


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Union[Term, TagTerm, And, Or, Not]  # noqa: UP007 (a runtime alias for the dataclasses)


def has_tags(node: Node) -> bool:
    if isinstance(node, TagTerm):
        return True
    if isinstance(node, (And, Or)):
        return any(has_tags(item) for item in node.items)
    if isinstance(node, Not):
        return has_tags(node.item)
    return False


# -- lexing ------------------------------------------------------------------------------

_OPERATORS = {"AND", "OR", "NOT"}
_WORD_END = re.compile(r'[\s()"]')
_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")
# A phone number as people write it: digits, (area) groups, separated by space . - /
_PHONE = re.compile(r"\+?(?:\(\d{1,5}\)|\d)(?:[ \t.\-/]*(?:\(\d{1,5}\)|\d))*")
_DIGIT = re.compile(r"\d")
# Digits in total for a spaced or bracketed run to be read as one number.
_MIN_SPACED_PHONE = 7


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ( ) AND OR NOT NEG FIELD WORD PHRASE PHONE END
    pos: int
    value: str = ""
    star: bool = False


def _fail(message: str, pos: int) -> InvalidInput:
    return InvalidInput(f"{message} (at character {pos + 1})", field=FIELD)


def _lex(query: str) -> list[_Token]:  # noqa: C901  (road-search splits this)
    out: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            phone = _phone_at(query, i)
            if phone:
                out.append(phone)
                i = phone.pos + len(phone.value) + (1 if phone.star else 0)
                continue
            out.append(_Token(ch, i))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise _fail('unbalanced quote: this " is never closed', i)
            star = end + 1 < n and query[end + 1] == "*"
            out.append(_Token("PHRASE", i, query[i + 1 : end], star))
            i = end + 1 + (1 if star else 0)
        elif (
            ch == "-"
            and (
                (i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")")
                # docs/search.md: `-` with nothing after it (the query's end, or a `)`) is an
                # error, like `NOT`; read as a negation, the parser says so. A `-` between
                # spaces with a term after it stays punctuation (`jean - luc`).
                or query[i + 1 :].lstrip()[:1] in ("", ")")
            )
        ):
            out.append(_Token("NEG", i))
            i += 1
        else:
            phone = _phone_at(query, i)
            if phone:
                out.append(phone)
                i = phone.pos + len(phone.value) + (1 if phone.star else 0)
                continue
            match = _WORD_END.search(query, i)
            end = match.start() if match else n
            word = query[i:end]
            field = _FIELD_PREFIX.match(word)
            if field:
                name = field.group(1).lower()
                if name not in FIELDS:
                    known = ", ".join(f"{f}:" for f in _FIELD_NAMES)
                    raise _fail(f"unknown field '{field.group(1)}:' (known: {known})", i)
                out.append(_Token("FIELD", i, name))
                i += field.end()
                if i >= n or query[i].isspace() or query[i] == ")":
                    raise _fail(f"'{field.group(0)}' needs a value right after the colon", i - 1)
                continue
            if word in _OPERATORS:
                out.append(_Token(word, i))
            else:
                star = word.endswith("*")
                out.append(_Token("WORD", i, word.rstrip("*") if star else word, star))
            i = end
    out.append(_Token("END", n))
    return out


def _phone_at(query: str, i: int) -> _Token | None:
    """A phone number starting at `i`, when what follows reads as one and ends cleanly."""
    match = _PHONE.match(query, i)
    if not match:
        return None
    value = match.group(0)
    end = match.end()
    star = end < len(query) and query[end] == "*"
    after = end + (1 if star else 0)
    if after < len(query) and not (query[after].isspace() or query[after] in ')"'):
        return None  # part of a longer word ("123abc", "10:30")
    digits = len(_DIGIT.findall(value))
    spaced = any(c.isspace() or c in "()" for c in value)
    if digits < (_MIN_SPACED_PHONE if spaced else text.MIN_PHONE_SUFFIX):
        return None
    return _Token("PHONE", i, value, star)


_FIELD_NAMES: tuple[str, ...] = (
    *("firstName", "lastName", "name", "email", "phone", "company", "title"),
    *("city", "country", "notes", "tag"),
)


# -- parsing -----------------------------------------------------------------------------

_STARTS_TERM = {"(", "NOT", "NEG", "FIELD", "WORD", "PHRASE", "PHONE"}


class _Parser:
    def __init__(self, tokens: list[_Token], region: str | None) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0
        self.terms = 0
        self.region = region

    @property
    def next(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        if self.next.kind == "END":
            return None  # an empty query: every contact
        node = self.parse_or(None)
        if self.next.kind == ")":
            raise _fail("unbalanced parenthesis: this ) has no ( before it", self.next.pos)
        return node

    def parse_or(self, field: str | None) -> Node | None:
        items = [self.parse_and(field)]
        while self.next.kind == "OR":
            op = self.take()
            if self.next.kind not in _STARTS_TERM:
                raise _fail("OR has nothing after it", op.pos)
            items.append(self.parse_and(field))
        kept = tuple(i for i in items if i is not None)
        if len(kept) < len(items):
            # "x OR +" : an alternative with nothing searchable cannot narrow anything.
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def parse_and(self, field: str | None) -> Node | None:
        if self.next.kind in ("AND", "OR"):
            raise _fail(f"{self.next.kind} has nothing before it", self.next.pos)
        if self.next.kind not in _STARTS_TERM:
            raise _fail("expected a search term here", self.next.pos)
        items = [self.parse_unary(field)]
        while True:
            if self.next.kind == "AND":
                op = self.take()
                if self.next.kind not in _STARTS_TERM:
                    raise _fail("AND has nothing after it", op.pos)
            elif self.next.kind not in _STARTS_TERM:
                break
            items.append(self.parse_unary(field))
        kept = tuple(i for i in items if i is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(kept)

    def parse_unary(self, field: str | None) -> Node | None:
        if self.next.kind in ("NOT", "NEG"):
            op = self.take()
            if self.next.kind not in _STARTS_TERM:
                word = "NOT" if op.kind == "NOT" else "-"
                raise _fail(f"{word} has nothing after it", op.pos)
            inner = self.parse_unary(field)
            return None if inner is None else Not(inner)
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> Node | None:
        token = self.take()
        if token.kind == "(":
            if self.next.kind == ")":
                raise _fail("empty parentheses", token.pos)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _fail(f"parentheses nest deeper than {MAX_DEPTH}", token.pos)
            node = self.parse_or(field)
            if self.next.kind != ")":
                raise _fail("unbalanced parenthesis: this ( is never closed", token.pos)
            self.take()
            self.depth -= 1
            return node
        if token.kind == "FIELD":
            if self.next.kind not in ("(", "WORD", "PHRASE", "PHONE"):
                raise _fail(f"'{token.value}:' needs a value right after the colon", token.pos)
            return self.parse_primary(token.value)
        if token.kind in ("WORD", "PHRASE", "PHONE"):
            return self.term(token, field)
        raise _fail(f"expected a search term here, not {token.kind}", token.pos)

    def term(self, token: _Token, field: str | None) -> Node | None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise _fail(f"a query can have at most {MAX_TERMS} terms", token.pos)
        if field == TAG:
            name = _clean(token.value.strip())
            return TagTerm(name) if name else None
        found = tuple(text.tokens(token.value))
        if not found:
            return None  # only punctuation: nothing to look for
        # Unquoted words match as prefixes (search as you type: "jo smi"); ranking puts
        # whole-word matches first. A quoted phrase matches exactly unless it ends in *.
        prefix = token.star or token.kind != "PHRASE"
        digits: tuple[str, ...] = ()
        if token.kind == "PHONE" or (field == "phone" and _DIGIT.search(token.value)):
            digits = tuple(phones.digit_forms(token.value, self.region))
        columns = FIELDS[field] if field else None
        return Term(found, columns, prefix, digits)


def parse(query: str, *, region: str | None = None) -> Node | None:
    """The tree of `query`, or None when it asks for nothing (every contact matches)."""
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"must be at most {MAX_QUERY} characters", field=FIELD)
    return _Parser(_lex(query), region).parse()


def _clean(value: str) -> str:
    """Drop what no database accepts in a string (NUL, lone surrogates)."""
    return "".join(ch for ch in value if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)


def restrict(node: Term, columns: tuple[str, ...], *, exact: bool) -> Term:
    """A bare word narrowed to `columns` (used to rank where the words matched)."""
    return replace(node, columns=columns, prefix=node.prefix and not exact)
