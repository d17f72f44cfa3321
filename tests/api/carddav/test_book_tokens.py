"""CTags and sync tokens per book: a change in one book moves only that book's state.

Tokens stay points in the owner's change log (they never expire), read through the
book: a sync of one book never reports another's changes, and a token of another book
of the same owner is the `valid-sync-token` precondition. Both stores.
"""

from __future__ import annotations

from xml.etree import ElementTree

from tests.api.carddav.conftest import CS, D, DavUser, multistatus, sync_token, vcard
from tests.api.carddav.test_books import mkcol
from tests.api.carddav.test_reports import sync


def _work(dav: DavUser) -> str:
    work = f"/dav/books/{dav.account_id}/work/"
    assert dav.request("MKCOL", work, mkcol()).status_code == 201
    return work


def _put(dav: DavUser, book: str, name: str, fn: str) -> str:
    response = dav.request(
        "PUT", book + name, vcard(f"uid-{name}", fn), Content_Type="text/vcard; charset=utf-8"
    )
    assert response.status_code in (201, 204), response.text
    return response.headers["etag"]


def _state(dav: DavUser, book: str) -> tuple[str, str]:
    """The book's (getctag, sync-token) properties."""
    found = multistatus(dav.propfind(book, "<CS:getctag/><D:sync-token/>"))[book]["ok"]
    return found[f"{CS}getctag"].text or "", found[f"{D}sync-token"].text or ""


def _changed(dav: DavUser, book: str, token: str) -> tuple[set[str], set[str], str]:
    """(hrefs changed, hrefs gone, the new token) of an incremental sync of the book."""
    response = dav.report(sync(dav, token), path=book)
    found = multistatus(response)
    live = {h for h, v in found.items() if v["ok"]}
    gone = {h for h, v in found.items() if v["status"] and " 404 " in str(v["status"])}
    return live, gone, sync_token(response)


def test_a_change_in_one_book_moves_only_its_ctag_and_token(dav: DavUser) -> None:
    work = _work(dav)
    _put(dav, dav.book, "ada.vcf", "Ada Lovelace")
    _put(dav, work, "boss.vcf", "The Boss")
    default_before, work_before = _state(dav, dav.book), _state(dav, work)
    _put(dav, work, "clerk.vcf", "The Clerk")
    assert _state(dav, dav.book) == default_before
    work_after = _state(dav, work)
    assert work_after[0] != work_before[0]
    assert work_after[1] != work_before[1]
    dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    assert _state(dav, work) == work_after
    assert _state(dav, dav.book) != default_before


def test_a_sync_of_one_book_reports_none_of_anothers_changes(dav: DavUser) -> None:
    work = _work(dav)
    token = sync_token(dav.report(sync(dav)))
    work_token = sync_token(dav.report(sync(dav), path=work))
    _put(dav, work, "boss.vcf", "The Boss")
    live, gone, again = _changed(dav, dav.book, token)
    assert (live, gone) == (set(), set())
    # Nothing of this book changed: the same point, which its sync-token property names.
    assert again == token == _state(dav, dav.book)[1]
    _put(dav, dav.book, "ada.vcf", "Ada Lovelace")
    live, _, _ = _changed(dav, dav.book, token)
    assert live == {dav.book + "ada.vcf"}
    live, _, reached = _changed(dav, work, work_token)
    assert live == {work + "boss.vcf"}
    assert reached == _state(dav, work)[1]


def test_a_deletion_is_reported_to_its_own_book_only(dav: DavUser) -> None:
    work = _work(dav)
    etag = _put(dav, work, "boss.vcf", "The Boss")
    _put(dav, dav.book, "ada.vcf", "Ada Lovelace")
    token = sync_token(dav.report(sync(dav)))
    work_token = sync_token(dav.report(sync(dav), path=work))
    assert dav.request("DELETE", work + "boss.vcf", If_Match=etag).status_code == 204
    assert _changed(dav, dav.book, token)[:2] == (set(), set())
    assert _changed(dav, work, work_token)[:2] == (set(), {work + "boss.vcf"})


def test_an_old_token_of_a_book_stays_valid_past_other_books_changes(dav: DavUser) -> None:
    work = _work(dav)
    work_token = sync_token(dav.report(sync(dav), path=work))
    for i in range(5):
        _put(dav, dav.book, f"p{i}.vcf", f"Person {i}")
    _put(dav, work, "boss.vcf", "The Boss")
    for i in range(5, 10):
        _put(dav, dav.book, f"p{i}.vcf", f"Person {i}")
    live, gone, _ = _changed(dav, work, work_token)
    assert (live, gone) == ({work + "boss.vcf"}, set())


def test_a_token_of_another_book_of_the_same_owner_is_refused(dav: DavUser) -> None:
    work = _work(dav)
    _put(dav, work, "boss.vcf", "The Boss")
    work_token = sync_token(dav.report(sync(dav), path=work))
    default_token = sync_token(dav.report(sync(dav)))
    for token, book in ((work_token, dav.book), (default_token, work)):
        response = dav.report(sync(dav, token), path=book)
        assert response.status_code == 403, response.text
        root = ElementTree.fromstring(response.content)
        assert root.find(f"{D}valid-sync-token") is not None
