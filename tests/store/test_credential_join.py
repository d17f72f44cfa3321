"""The credential join (store/credential_join.py): a bearer-token lookup and an account's
rows in one statement. Its credential columns are the lookup's, in the lookup's order,
so oauth reads a joined row exactly as it reads its own; the contacts repository's
`contacts.get` joined read is the one in use."""

from __future__ import annotations

import asyncio

from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.repository.rows import joined_contacts
from rolodex.oauth.credentials import ACCESS_TOKEN, hash_secret
from rolodex.services import Services
from rolodex.store.credential_join import BY_SECRET, CREDENTIAL_COLUMNS, CredentialJoin
from tests.conftest import ApiUser

JOIN = ContactRepository.LIVE_BY_ID_WITH_CREDENTIAL


def test_a_joined_row_starts_with_the_lookups_own_row(services: Services, user: ApiUser) -> None:
    made = user.create({"name": {"givenName": "Ada"}})
    quick = services.store.quick
    (alone,) = quick.rows(BY_SECRET, hash_secret(user.token))
    rows = quick.rows(JOIN.statement, made["contactId"], hash_secret(user.token))
    credential, rest = CredentialJoin.split(rows)

    assert len(alone) == len(CREDENTIAL_COLUMNS)
    assert credential == [tuple(alone)]
    assert [c.contact_id for c in joined_contacts(rest)] == [made["contactId"]]


def test_the_join_resolves_as_the_plain_lookup_does(services: Services, user: ApiUser) -> None:
    made = user.create({"name": {"givenName": "Grace"}})
    credentials = services.credentials
    plain = asyncio.run(credentials.resolve_async(user.token, kinds=(ACCESS_TOKEN,)))
    joined, rows = asyncio.run(
        credentials.resolve_with_async(
            user.token, kinds=(ACCESS_TOKEN,), join=JOIN, params=(made["contactId"],)
        )
    )
    assert plain is not None
    assert joined == plain
    assert [c.contact_id for c in joined_contacts(rows)] == [made["contactId"]]


def test_an_unknown_contact_joins_as_no_contact(services: Services, user: ApiUser) -> None:
    principal, rows = asyncio.run(
        services.credentials.resolve_with_async(
            user.token, kinds=(ACCESS_TOKEN,), join=JOIN, params=("c_nobody",)
        )
    )
    assert principal is not None
    assert principal.account_id == user.account_id
    assert joined_contacts(rows) == []


def test_an_unknown_secret_gives_no_principal_and_no_rows(
    services: Services, user: ApiUser
) -> None:
    made = user.create({"name": {"givenName": "Hidden"}})
    principal, rows = asyncio.run(
        services.credentials.resolve_with_async(
            "rdx_at_unknown", kinds=(ACCESS_TOKEN,), join=JOIN, params=(made["contactId"],)
        )
    )
    assert principal is None
    assert rows == []
