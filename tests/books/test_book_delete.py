"""Deleting a book is one transaction (books/collections.py): all of it, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rolodex.books import collections
from rolodex.books.groups import GroupCards
from rolodex.books.model import Access, AddressBook
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from rolodex.store.schema import changes, contact_versions
from tests.conftest import MakeUser

SIZE = 7


def _card(uid: str, fn: str, *extra: str) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;", *extra]
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def _book_with_cards(services: Services, owner: str) -> AddressBook:
    home = services.books.book(owner, owner, "default", Access())
    book = services.book_admin.create(home, "work", "Work", None)
    for n in range(SIZE):
        services.card_writer.put(book, f"p{n}.vcf", _card(f"p{n}", f"Person {n}"))
    members = [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p{n}" for n in range(3)]
    group = _card("g", "Team", "X-ADDRESSBOOKSERVER-KIND:group", *members)
    services.card_writer.put(book, "g.vcf", group)
    return book


def _counts(services: Services, owner: str) -> tuple[int, int, int]:
    """(live contacts, change-log rows, kept versions) of the owner."""
    with services.store.read() as conn:
        logged = conn.execute(
            select(func.count()).select_from(changes).where(changes.c.owner_id == owner)
        ).scalar_one()
        kept = conn.execute(
            select(func.count())
            .select_from(contact_versions)
            .where(contact_versions.c.owner_id == owner)
        ).scalar_one()
    return services.contacts.count_live(owner), int(logged), int(kept)


def test_a_failed_book_delete_leaves_everything_and_a_good_one_takes_all(
    services: Services, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_user().account_id
    book = _book_with_cards(services, owner)
    # Pages of 3: the failure comes after several batches inside the one transaction.
    monkeypatch.setattr(collections, "DELETE_PAGE", 3)
    before = _counts(services, owner)
    group_before = services.card_writer.groups.get(book, "g.vcf")
    assert group_before is not None
    assert "urn:uuid:p2" in group_before.text

    def fail(self: GroupCards, conn: object, book: AddressBook) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(GroupCards, "delete_book_groups_in", fail)
        with pytest.raises(RuntimeError):
            services.book_admin.delete(book)
    assert _counts(services, owner) == before
    assert any(b.name == "work" for b in services.books.books_for(owner, Access()))
    group_after = services.card_writer.groups.get(book, "g.vcf")
    assert group_after is not None
    assert (group_after.etag, group_after.text) == (group_before.etag, group_before.text)
    assert sum(len(page) for page in services.books.pages(book)) == SIZE

    with services.store.read() as conn:
        seq = ChangeLog.last_seq(conn, owner)
    assert services.book_admin.delete(book) == SIZE
    live, logged, kept = _counts(services, owner)
    assert live == before[0] - SIZE
    assert kept == before[2] + SIZE  # a deletion each (the group's tag goes after them)
    with services.store.read() as conn:
        after = ChangeLog.since(conn, owner, seq, limit=1000)
    deleted = {c.entity_id for c in after if c.entity == "contact" and c.action == "deleted"}
    assert len(deleted) == SIZE
    assert [c.action for c in after if c.entity == "tag"] == ["deleted"]
    assert not any(b.name == "work" for b in services.books.books_for(owner, Access()))
    # One transaction: every change of the delete is in the log at once, in one run.
    assert logged == before[1] + len(after)


def test_the_default_book_is_never_deleted(services: Services, make_user: MakeUser) -> None:
    owner = make_user().account_id
    home = services.books.book(owner, owner, "default", Access())
    with pytest.raises(collections.NotManager):
        services.book_admin.delete(home)
