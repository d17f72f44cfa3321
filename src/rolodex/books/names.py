"""The resource name of each contact's card (`<name>.vcf`), and the contact at a name.

A client chooses the name when it PUTs a new card (RFC 6352 §6.3.2.1), and the card is
found there again: the name is kept in `contact_cards.resource_name`. A contact without
one is named after its `UID`: the UID of its file, or, for a contact made through an
API, the UUID of its derived `urn:uuid:` UID (transfer/uids.py), so its name never
changes and costs no write. Names here are decoded path segments; the API quotes them.
"""

from __future__ import annotations

from sqlalchemy import Connection

from rolodex.contacts.cards import CardName, CardRepository, CardRow
from rolodex.transfer.uids import URN, contact_id_of, derived_uid

SUFFIX = ".vcf"


def name_of(contact_id: str, row: CardRow | CardName | None) -> str:
    """The resource name of a contact's card."""
    if row is None:
        return name_from(contact_id, None, None)
    return name_from(contact_id, row.uid, row.resource_name)


def name_from(contact_id: str, uid: str | None, resource_name: str | None) -> str:
    """`name_of` from the card row's two columns (None: no row), as a listing reads them."""
    if resource_name:
        return resource_name
    if uid is None:
        uid = derived_uid(contact_id)
    return uid.removeprefix(URN) + SUFFIX if uid.startswith(URN) else uid + SUFFIX


def candidates(
    conn: Connection, owner_id: str, book: str, name: str
) -> tuple[list[int], list[str]]:
    """The contact keys and ids the card named `name` in `book` may belong to.

    The caller reads them and keeps the one whose `name_of` is `name`: a name a client
    chose, a UID of that name, or a derived UID (each lookup on a unique index; names
    and UIDs are unique per book).
    """
    pks: list[int] = []
    ids: list[str] = []
    row = CardRepository.by_resource_name(conn, owner_id, book, name)
    if row is not None:
        pks.append(row.contact_pk)
    if name.endswith(SUFFIX):
        base = name[: -len(SUFFIX)]
        for uid in (base, URN + base):
            by_uid = CardRepository.by_uid(conn, owner_id, book, uid)
            if by_uid is not None and by_uid.resource_name is None:
                pks.append(by_uid.contact_pk)
        contact_id = contact_id_of(URN + base)
        if contact_id is not None:
            ids.append(contact_id)
    return pks, ids
