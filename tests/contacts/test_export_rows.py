"""An export's pages (`ContactRepository.export_page`): the owner's live contacts in key
order, cut by count and by bytes (never empty while contacts remain), on both stores."""

from __future__ import annotations

from rolodex.contacts.repository import ContactRepository
from rolodex.ids import new_id
from rolodex.services import Services


def _walk(services: Services, owner: str, limit: int, max_bytes: int) -> list[list[str]]:
    pages: list[list[str]] = []
    after = 0
    while True:
        rows = ContactRepository.export_page(
            services.store.quick, owner, after_pk=after, limit=limit, max_bytes=max_bytes
        )
        if not rows:
            return pages
        after = rows[-1][0]
        pages.append([row[1] for row in rows])


def test_pages_hold_every_live_contact_once_in_key_order(services: Services) -> None:
    owner, other = new_id("a_"), new_id("a_")
    made = [services.contacts.create(owner, {"displayName": f"C{i}"}) for i in range(7)]
    services.contacts.create(other, {"displayName": "not theirs"})
    services.contacts.delete(owner, made[3].contact_id, etag=None)
    expected = [c.contact_id for c in made if c is not made[3]]
    pages = _walk(services, owner, limit=2, max_bytes=1 << 20)
    assert [len(p) for p in pages] == [2, 2, 2]
    assert [cid for page in pages for cid in page] == expected


def test_a_page_is_cut_by_bytes_but_never_empty(services: Services) -> None:
    owner = new_id("a_")
    made = [services.contacts.create(owner, {"notes": "x" * 3000}) for _ in range(4)]
    # Each row counts its data (3,012 characters) and 128 more; a page ends with the row
    # that reaches the budget, so a tiny budget still takes one row.
    by_bytes = _walk(services, owner, limit=100, max_bytes=3000)
    assert [len(p) for p in by_bytes] == [1, 1, 1, 1]
    assert _walk(services, owner, limit=100, max_bytes=1) == [[c.contact_id] for c in made]
    assert [len(p) for p in _walk(services, owner, limit=100, max_bytes=7000)] == [3, 1]


def test_a_row_carries_its_tags_and_its_file_uid(services: Services) -> None:
    owner = new_id("a_")
    made = services.contacts.create(owner, {"displayName": "Plain"})
    (row,) = ContactRepository.export_page(
        services.store.quick, owner, after_pk=0, limit=10, max_bytes=1 << 20
    )
    assert row[1] == made.contact_id
    assert row[3] == "[]"
    assert (row[4], row[5]) == (None, None)
