"""Group cards as listings see them: every group card of a book, and those changed since
a point of the change log (PROPFIND Depth 1, addressbook-multiget, sync-collection).

A book's group cards are the cards clients PUT there (`group_cards`, books/groups.py)
and, in the owner's default book, every other live tag of the owner, offered as a group
card named `group-<tag id>.vcf` (docs/carddav.md says why: DAVx5's default "groups are
separate vCards" and Apple's Contacts read groups only this way). Each is rendered with
the tag's current name and its current members in that book (group_text.py), so the
text and its etag follow changes made through any API: the etag is the stored one while
the card reads back as sent, else a digest of what is served.

What changed since a point is read from the change log: a tag written or deleted (a
group card PUT touches its tag, so it is logged), and the contacts of the book whose
memberships differ from theirs at that point, which the history's kept versions tell
(`VersionRepository.tags_before`; when a version was purged every group card of the
book is reported, which a client only re-reads). Memory holds a chunk of tags and
their members at a time, never the book.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, or_, select

from rolodex.books.group_text import URN, digest, listed, plain_uid, render
from rolodex.books.model import DEFAULT_BOOK, AddressBook
from rolodex.contacts.cards import CardRepository
from rolodex.contacts.repository import ContactRepository
from rolodex.formats.vcard import group_card
from rolodex.history.repository import VersionRepository
from rolodex.store.changelog import CREATED, ChangeLog
from rolodex.store.schema import book_members, contact_cards, contact_tags, contacts, group_cards
from rolodex.store.schema import tags as tags_table
from rolodex.tags.model import Tag
from rolodex.tags.repository import TagRepository
from rolodex.transfer.uids import contact_id_of, derived_uid

# A tag offered as a group card is found at `group-<tag id>.vcf` of the default book.
TAG_PREFIX = "group-"
TAG_SUFFIX = ".vcf"
# Tags rendered per members' read.
CHUNK = 50
_NAMESPACE = uuid.UUID("0b6a4f5e-3c1d-4a8e-9a77-52f1d7c6b2e9")


@dataclass(frozen=True, slots=True)
class GroupView:
    """A group card as served now: its name, etag, time, tag, whether a client PUT it
    (else it is a tag offered as one), and its text (`text`, written when asked: a
    PROPFIND needs only the etag)."""

    name: str
    etag: str
    updated_at: int
    tag_id: str
    stored: bool
    write: Callable[[], str]

    @property
    def text(self) -> str:
        return self.write()


@dataclass(frozen=True, slots=True)
class GroupChanges:
    changed: list[GroupView]
    removed: list[str]


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    raw: str
    etag: str
    tag_id: str
    updated_at: int


def tag_card_name(tag_id: str) -> str:
    return f"{TAG_PREFIX}{tag_id}{TAG_SUFFIX}"


def tag_of_card_name(name: str) -> str | None:
    """The tag id a `group-<tag id>.vcf` name stands for, or None."""
    if name.startswith(TAG_PREFIX) and name.endswith(TAG_SUFFIX):
        tag_id = name[len(TAG_PREFIX) : -len(TAG_SUFFIX)]
        return tag_id or None
    return None


def tag_card_uid(tag_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, tag_id)}"


# -- reads --------------------------------------------------------------------------------


def _rows(conn: Connection, book: AddressBook, names: Sequence[str] | None = None) -> list[_Row]:
    """The book's group card rows (tombstones of deleted groups included), by name."""
    query = select(group_cards).where(
        group_cards.c.owner_id == book.owner_id, group_cards.c.book == book.name
    )
    if names is not None:
        query = query.where(group_cards.c.resource_name.in_(list(names)))
    rows = conn.execute(query.order_by(group_cards.c.resource_name))
    return [_Row(r.resource_name, r.raw, r.etag, r.tag_id, r.updated_at) for r in rows]


def _live_tags(conn: Connection, owner_id: str, tag_ids: Iterable[str] | None) -> dict[str, Tag]:
    """tag id -> the owner's live tag (all of them when `tag_ids` is None)."""
    if tag_ids is not None:
        return TagRepository.by_ids(conn, owner_id, list(tag_ids))
    found: dict[str, Tag] = {}
    after = 0
    while True:
        page = TagRepository.page(conn, owner_id, after_pk=after, limit=1000, include_deleted=False)
        found.update((t.tag_id, t) for t in page)
        if len(page) < 1000:
            return found
        after = page[-1].pk


def members_of(conn: Connection, book: AddressBook, tag_ids: Sequence[str]) -> dict[str, list[str]]:
    """tag id -> the UIDs of the book's live contacts carrying it, in key order."""
    if not tag_ids:
        return {}
    in_book = (
        or_(book_members.c.book.is_(None), book_members.c.book == DEFAULT_BOOK)
        if book.is_default
        else book_members.c.book == book.name
    )
    rows = conn.execute(
        select(contact_tags.c.tag_id, contacts.c.contact_id, contact_cards.c.uid)
        .join(contacts, contacts.c.pk == contact_tags.c.contact_pk)
        .outerjoin(contact_cards, contact_cards.c.contact_pk == contacts.c.pk)
        .outerjoin(book_members, book_members.c.contact_pk == contacts.c.pk)
        .where(
            contact_tags.c.tag_id.in_(list(tag_ids)),
            contacts.c.owner_id == book.owner_id,
            contacts.c.deleted_at.is_(None),
            in_book,
        )
        .order_by(contact_tags.c.tag_id, contacts.c.pk)
    )
    found: dict[str, list[str]] = {t: [] for t in tag_ids}
    for row in rows:
        found[row.tag_id].append(row.uid or derived_uid(row.contact_id))
    return found


def unknown_uids(conn: Connection, owner_id: str, uids: Iterable[str]) -> frozenset[str]:
    """Those of these member UIDs (without `urn:uuid:`) that no contact of the owner, live
    or deleted, has ever had: a member not yet sent, kept in the card as listed."""
    plain = list(dict.fromkeys(uids))
    if not plain:
        return frozenset()
    held = CardRepository.holders(conn, owner_id, [*plain, *(URN + u for u in plain)])
    known = {plain_uid(u) for u in held}
    derived = {u: i for u in plain if u not in known and (i := contact_id_of(URN + u))}
    found = ContactRepository.by_ids_with_tombstones(conn, owner_id, list(derived.values()))
    known |= {u for u, i in derived.items() if i in found}
    return frozenset(u for u in plain if u not in known)


def _stored_view(row: _Row, tag: Tag, members: list[str], unknown: frozenset[str]) -> GroupView:
    text = render(row.raw, tag.name, members, unknown)
    etag = row.etag if text == row.raw else digest(row.etag, text)
    updated = max(row.updated_at, tag.updated_at)
    return GroupView(row.name, etag, updated, tag.tag_id, True, lambda: text)


def _tag_view(tag: Tag, members: list[str], version: str) -> GroupView:
    uids = [plain_uid(m) for m in members]
    etag = digest(tag.tag_id, tag.name, *uids)

    def write() -> str:
        values = [URN + u for u in uids]
        return group_card(tag.name, values, tag_card_uid(tag.tag_id), version)

    return GroupView(tag_card_name(tag.tag_id), etag, tag.updated_at, tag.tag_id, False, write)


def _views(
    conn: Connection,
    book: AddressBook,
    rows: list[_Row],
    offered: list[Tag],
    version: str,
) -> Iterator[GroupView]:
    """The rows with a live tag, and the tags offered, rendered a chunk at a time."""
    tags = _live_tags(conn, book.owner_id, {r.tag_id for r in rows})
    live_rows = [r for r in rows if r.tag_id in tags]
    for start in range(0, len(live_rows), CHUNK):
        chunk = live_rows[start : start + CHUNK]
        members = members_of(conn, book, [r.tag_id for r in chunk])
        unknown = unknown_uids(conn, book.owner_id, (u for r in chunk for u in listed(r.raw)))
        for row in chunk:
            yield _stored_view(row, tags[row.tag_id], members[row.tag_id], unknown)
    for start in range(0, len(offered), CHUNK):
        chunk_tags = offered[start : start + CHUNK]
        members = members_of(conn, book, [t.tag_id for t in chunk_tags])
        for tag in chunk_tags:
            yield _tag_view(tag, members[tag.tag_id], version)


def _offered(
    conn: Connection, book: AddressBook, rows: list[_Row], tag_ids: Iterable[str] | None = None
) -> list[Tag]:
    """The tags offered as group cards in this book: in the default book, the live tags
    no group card of the book is (among `tag_ids` when given); elsewhere none."""
    if not book.is_default:
        return []
    taken = {r.tag_id for r in rows}
    found = _live_tags(conn, book.owner_id, tag_ids)
    return sorted((t for t in found.values() if t.tag_id not in taken), key=lambda t: t.pk)


def group_cards_of(
    conn: Connection, book: AddressBook, version: str = "3.0"
) -> Iterator[GroupView]:
    """Every group card of the book, as served now (listings chain it after the cards)."""
    rows = _rows(conn, book)
    yield from _views(conn, book, rows, _offered(conn, book, rows), version)


def group_heads(conn: Connection, book: AddressBook, version: str) -> Iterator[tuple[str, str]]:
    """(name, text without member lines) of every group card of the book: what a query
    tests when its filter names no member property, with no member read."""
    rows = _rows(conn, book)
    tags = _live_tags(conn, book.owner_id, {r.tag_id for r in rows})
    for row in rows:
        if row.tag_id in tags:
            yield row.name, render(row.raw, tags[row.tag_id].name, [])
    for tag in _offered(conn, book, rows):
        yield tag_card_name(tag.tag_id), group_card(tag.name, [], tag_card_uid(tag.tag_id), version)


def groups_named(
    conn: Connection, book: AddressBook, names: Sequence[str], version: str = "3.0"
) -> dict[str, GroupView]:
    """name -> the group card of the book at that name, for the names that have one."""
    if not names:
        return {}
    rows = _rows(conn, book, names)
    tag_ids = [t for n in names if (t := tag_of_card_name(n)) is not None]
    offered: list[Tag] = []
    if tag_ids and book.is_default:
        taken = conn.execute(
            select(group_cards.c.tag_id).where(
                group_cards.c.owner_id == book.owner_id,
                group_cards.c.book == book.name,
                group_cards.c.tag_id.in_(tag_ids),
            )
        )
        offered = _offered(conn, book, [_Row("", "", "", t, 0) for t in taken.scalars()], tag_ids)
    return {v.name: v for v in _views(conn, book, rows, offered, version)}


# -- changes ------------------------------------------------------------------------------


def group_changes_since(
    conn: Connection, book: AddressBook, seq: int, until: int, version: str = "3.0"
) -> GroupChanges:
    """The book's group cards changed after `seq` up to `until` (the point the contacts'
    part of the answer reached), and the names of those gone."""
    if until <= seq:
        return GroupChanges([], [])
    entries = [
        c
        for c in ChangeLog.since(conn, book.owner_id, seq, limit=max(0, min(until - seq, 20_000)))
        if c.seq <= until
    ]
    touched = {c.entity_id for c in entries if c.entity == "tag"}
    first: dict[str, tuple[str, str | None]] = {}
    for c in entries:
        if c.entity == "contact" and c.entity_id not in first:
            first[c.entity_id] = (c.action, c.etag)
    rows = _rows(conn, book)
    if not rows and not touched and not (book.is_default and _any_live_tag(conn, book)):
        # No group card in the book, and none came or went: the usual sync costs this.
        return GroupChanges([], [])
    moved, unknown = _memberships_moved(conn, book, first)
    if unknown:
        views = list(group_cards_of(conn, book, version))
    else:
        wanted = touched | moved
        mine = [r for r in rows if r.tag_id in wanted]
        offered = _offered(conn, book, rows, wanted) if wanted else []
        views = list(_views(conn, book, mine, offered, version))
    names = {v.name for v in views}
    live = {v.tag_id for v in views}
    gone = [r.name for r in rows if r.tag_id in touched and r.tag_id not in live]
    if book.is_default:
        # A tag deleted, or now a card a client PUT: its offered card is gone (unless
        # the tag is newer than the token; a client that never saw it ignores the 404).
        made = {c.entity_id for c in entries if c.entity == "tag" and c.action == CREATED}
        gone += [
            tag_card_name(t) for t in sorted(touched - made) if t not in live or _is_row(t, rows)
        ]
    removed = list(dict.fromkeys(n for n in gone if n not in names))
    return GroupChanges(views, removed)


def _any_live_tag(conn: Connection, book: AddressBook) -> bool:
    found = conn.execute(
        select(tags_table.c.pk)
        .where(tags_table.c.owner_id == book.owner_id, tags_table.c.deleted_at.is_(None))
        .limit(1)
    ).first()
    return found is not None


def _is_row(tag_id: str, rows: list[_Row]) -> bool:
    return any(r.tag_id == tag_id for r in rows)


def _memberships_moved(
    conn: Connection, book: AddressBook, first: dict[str, tuple[str, str | None]]
) -> tuple[set[str], bool]:
    """The tags whose members in this book changed, from each changed contact's tags then
    (its first write's kept version) and now; True when a version is missing."""
    if not first:
        return set(), False
    mine = _tags_now(conn, book, list(first))
    asked = [(i, etag) for i, (action, etag) in first.items() if i in mine and action != CREATED]
    before = VersionRepository.tags_before(conn, book.owner_id, [(i, e or "") for i, e in asked])
    moved: set[str] = set()
    for contact_id, now in mine.items():
        action, _ = first[contact_id]
        if action == CREATED:
            then: set[str] = set()
        elif contact_id in before:
            then = set(before[contact_id])
        else:
            return set(), True
        moved |= then ^ now
    return moved, False


def _tags_now(conn: Connection, book: AddressBook, contact_ids: list[str]) -> dict[str, set[str]]:
    """contact id -> its tags now, for those of the contacts (deleted ones included) that
    are in this book: one statement, no contact's data read."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(contact_ids), 1000):
        rows = conn.execute(
            select(contacts.c.contact_id, book_members.c.book, contact_tags.c.tag_id)
            .outerjoin(book_members, book_members.c.contact_pk == contacts.c.pk)
            .outerjoin(contact_tags, contact_tags.c.contact_pk == contacts.c.pk)
            .where(
                contacts.c.owner_id == book.owner_id,
                contacts.c.contact_id.in_(contact_ids[start : start + 1000]),
            )
        )
        for row in rows:
            if (row.book or DEFAULT_BOOK) != book.name:
                continue
            tags = found.setdefault(row.contact_id, set())
            if row.tag_id is not None:
                tags.add(row.tag_id)
    return found


def live_group_names(conn: Connection, owner_id: str, name: str) -> list[str]:
    """The books in which a live group card (one a client PUT) has this name."""
    rows = conn.execute(
        select(group_cards.c.book)
        .join(tags_table, and_(tags_table.c.tag_id == group_cards.c.tag_id))
        .where(
            group_cards.c.owner_id == owner_id,
            group_cards.c.resource_name == name,
            tags_table.c.deleted_at.is_(None),
        )
    )
    return [r.book for r in rows]


def groups_awaiting(conn: Connection, book: AddressBook, uid: str) -> list[str]:
    """The tags of the book's live group cards that list `uid` (a card being made now):
    a client may PUT a group before its new member, whose contact then joins it."""
    plain = plain_uid(uid)
    pattern = "%" + plain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        select(group_cards.c.tag_id, group_cards.c.raw).where(
            group_cards.c.owner_id == book.owner_id,
            group_cards.c.book == book.name,
            group_cards.c.raw.like(pattern, escape="\\"),
        )
    )
    wanted = [r.tag_id for r in rows if plain in listed(r.raw)]
    return sorted(_live_tags(conn, book.owner_id, wanted))
