"""What a credential's scopes let it do in a book (the `Dav` request context over the services)."""

from __future__ import annotations

import pytest

from rolodex.actors import APP_PASSWORD, Actor
from rolodex.api.carddav.auth import Caller
from rolodex.api.carddav.resources import Dav
from rolodex.books.writes import NotWritable
from rolodex.oauth.credentials import Principal
from rolodex.services import Services
from tests.conftest import MakeUser

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:A B\r\nN:B;A;;;\r\nEND:VCARD\r\n"


def _dav(services: Services, account_id: str, scopes: set[str]) -> Dav:
    principal = Principal(account_id, frozenset(scopes), "app_password", "cred")
    return Dav(services, Caller(principal, Actor(APP_PASSWORD, "phone", account_id)))


def test_a_read_only_credential_reads_but_writes_nothing(
    services: Services, make_user: MakeUser
) -> None:
    user = make_user()
    dav = _dav(services, user.account_id, {"contacts.read"})
    book = dav.book(user.account_id, "default")
    assert not book.writable
    with pytest.raises(NotWritable):
        services.card_writer.put(book, "a.vcf", CARD)
    assert services.books.member(book, "a.vcf") is None


def test_a_credential_without_contact_scopes_sees_no_book(
    services: Services, make_user: MakeUser
) -> None:
    user = make_user()
    dav = _dav(services, user.account_id, {"tags.read"})
    assert dav.books() == []
