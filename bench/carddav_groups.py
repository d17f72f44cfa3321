"""What group cards cost CardDAV's listings, and deleting a book in one transaction.

    python -m bench.carddav_groups --size 10000 --tags 20 --members 250

In one process on a fresh SQLite store, through the app (Starlette's test client, no
sockets): a default book of `size` contacts, timed with no tag, then with `tags` tags of
`members` contacts each (each offered as a group card, books/group_listing.py): PROPFIND
Depth 1 of the book, and sync-collection after 10 changed contacts (one of them changing
a group's membership), and addressbook-query FN contains "P77" (the group cards are
tested after the contacts, books/query.py). Then a second book of `size` cards, deleted with one DELETE
(books/collections.py: one transaction, 500 contacts per batch). Medians of `--repeat`.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.books.model import Access
from rolodex.books.repository import BookRepository
from rolodex.contacts.model import Contact
from rolodex.services import Services
from rolodex.settings import Settings

PASSWORD = "bench-password-1"
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"'
PROPFIND = f"<D:propfind {NS}><D:prop><D:getetag/></D:prop></D:propfind>"
QUERY = (
    f"<C:addressbook-query {NS}><D:prop><D:getetag/></D:prop><C:filter>"
    '<C:prop-filter name="FN"><C:text-match match-type="contains">P77</C:text-match>'
    "</C:prop-filter></C:filter></C:addressbook-query>"
)


def sync_body(token: str) -> str:
    return (
        f"<D:sync-collection {NS}><D:sync-token>{token}</D:sync-token><D:sync-level>1"
        "</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"
    )


def median_ms(run: Callable[[], httpx.Response], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = run()
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code in (204, 207), answer.text[:300]
    return statistics.median(times)


def note(contact: Contact) -> None:
    contact.data = {**contact.data, "notes": str(time.time())}


def token_of(answer: httpx.Response) -> str:
    text = answer.text
    start = text.index("<D:sync-token>") + len("<D:sync-token>")
    return text[start : text.index("</D:sync-token>")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=20)
    parser.add_argument("--members", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), carddav_allow_account_password=True)
        services = Services.build(settings)
        account = services.accounts.create("bench@example.com", PASSWORD, "Bench")
        owner = account.account_id
        auth = "Basic " + base64.b64encode(f"bench@example.com:{PASSWORD}".encode()).decode()
        headers = {"Authorization": auth, "Depth": "1"}
        book = f"/dav/books/{owner}/default/"
        with services.store.write(owner_id=owner) as conn:
            made = services.contacts.create_many_in(
                conn, owner, [{"name": {"givenName": f"P{n}"}} for n in range(args.size)]
            )
        ids = [c.contact_id for c in made]
        with TestClient(create_app(services=services)) as client:

            def propfind() -> httpx.Response:
                return client.request("PROPFIND", book, content=PROPFIND, headers=headers)

            def incremental() -> float:
                token = token_of(
                    client.request("REPORT", book, content=sync_body(""), headers=headers)
                )
                for contact_id in ids[:10]:
                    services.contacts.modify(owner, contact_id, note, expected_etag=None)
                return median_ms(
                    lambda: client.request(
                        "REPORT", book, content=sync_body(token), headers=headers
                    ),
                    args.repeat,
                )

            def query() -> httpx.Response:
                return client.request("REPORT", book, content=QUERY, headers=headers)

            client.request("PROPFIND", book, content=PROPFIND, headers=headers)
            plain = (median_ms(propfind, args.repeat), incremental(), median_ms(query, args.repeat))
            for n in range(args.tags):
                tag = services.tags.create(owner, f"Group {n}")
                members = ids[n * args.members : (n + 1) * args.members]
                for start in range(0, len(members), 500):
                    services.tags.manage(
                        owner, members[start : start + 500], add=[tag.tag_id], remove=[]
                    )
            grouped = (
                median_ms(propfind, args.repeat),
                incremental(),
                median_ms(query, args.repeat),
            )
            home = services.books.book(owner, owner, "default", Access())
            work = services.book_admin.create(home, "work", "Work", None)
            with services.store.write(owner_id=owner) as conn:
                datas = [{"name": {"givenName": f"W{n}"}} for n in range(args.size)]
                for contact in services.contacts.create_many_in(conn, owner, datas):
                    BookRepository.place(conn, owner, contact.pk, work.name)
            began = time.perf_counter()
            gone = client.request(
                "DELETE", f"/dav/books/{owner}/work/", headers={"Authorization": auth}
            )
            deleted_ms = (time.perf_counter() - began) * 1000
            assert gone.status_code == 204
        services.close()
    print(f"PROPFIND Depth 1, {args.size} cards, no tag: {plain[0]:.1f} ms")
    print(
        f"PROPFIND Depth 1, {args.tags} tags x {args.members} as group cards: {grouped[0]:.1f} ms"
    )
    print(f"sync-collection after 10 changes, no tag: {plain[1]:.1f} ms")
    print(f"sync-collection after 10 changes, {args.tags} group cards: {grouped[1]:.1f} ms")
    print(f"addressbook-query FN contains P77, no tag: {plain[2]:.1f} ms")
    print(f"addressbook-query FN contains P77, {args.tags} group cards: {grouped[2]:.1f} ms")
    print(f"DELETE of a book of {args.size} cards (one transaction): {deleted_ms:.0f} ms")


if __name__ == "__main__":
    main()
