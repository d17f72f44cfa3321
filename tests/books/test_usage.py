"""quota-used-bytes: the exact sum for a book of up to EXACT_BYTES_UP_TO cards, an
estimate from a fixed number of probes above (the sum read every card of a million)."""

from __future__ import annotations

import pytest

from rolodex.books.model import Access
from rolodex.contacts import cards
from rolodex.contacts.cards import stored_bytes
from rolodex.ids import new_id
from rolodex.services import Services


def _owner(services: Services, contacts: int) -> str:
    owner = services.accounts.create(f"{new_id('u')}@example.com", "pw-long-enough", "T")
    for n in range(contacts):
        services.contacts.create(owner.account_id, {"notes": f"note {n:04d} " + "x" * (n % 7)})
    return owner.account_id


def _exact(services: Services, owner_id: str) -> int:
    with services.store.read() as conn:
        return stored_bytes(conn, owner_id, live=0)


def test_a_small_book_is_summed_exactly(services: Services) -> None:
    owner_id = _owner(services, 12)
    book = services.books.book(owner_id, owner_id, "default", Access())
    live, used = services.books.usage(book)
    assert live == 12
    assert used == _exact(services, owner_id) > 0


def test_a_large_book_is_estimated_from_probes(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner_id = _owner(services, 60)
    exact = _exact(services, owner_id)
    monkeypatch.setattr(cards, "EXACT_BYTES_UP_TO", 10)
    monkeypatch.setattr(cards, "BYTES_PROBES", 8)
    monkeypatch.setattr(cards, "_probes", cards._probes.__wrapped__)
    book = services.books.book(owner_id, owner_id, "default", Access())
    live, used = services.books.usage(book)
    assert live == 60
    assert used != exact, "not the sum: an estimate"
    assert abs(used - exact) <= exact * 0.1
    assert services.books.usage(book) == (live, used), "the same store, the same estimate"
