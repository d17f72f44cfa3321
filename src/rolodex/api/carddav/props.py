"""Properties: the value of each property of each kind of resource, as XML.

`value(dav, resource, name)` is the inner XML of the property, or None when the resource
has no such property (a 404 inside the propstat, RFC 4918 §9.1: never an error).
`ALLPROP` is what `<allprop/>` answers per kind (RFC 4918 §9.1: not every live
property; RFC 6352 §10.4: never `address-data`), `names` what `<propname/>` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formatdate

from rolodex.api.carddav import resources as r
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.tokens import token_of
from rolodex.api.carddav.xml import CARDDAV, CS, DAV, element, href, tag, text
from rolodex.books.model import AddressBook

VCARD = "text/vcard"
Getter = Callable[[Dav, Resource], str | None]


def _D(local: str) -> str:
    return tag(DAV, local)


def _C(local: str) -> str:
    return tag(CARDDAV, local)


def _resourcetype(dav: Dav, res: Resource) -> str | None:
    kinds = {
        r.ROOT: _D("collection"),
        r.PRINCIPALS: _D("collection"),
        r.HOME: _D("collection"),
    }
    if res.kind in kinds:
        return element(kinds[res.kind])
    if res.kind == r.PRINCIPAL:
        return element(_D("collection")) + element(_D("principal"))
    if res.kind == r.BOOK:
        return element(_D("collection")) + element(_C("addressbook"))
    return ""


def _current_user_principal(dav: Dav, res: Resource) -> str:
    return href(r.principal_href(dav.account_id))


def _principal_url(dav: Dav, res: Resource) -> str | None:
    return href(r.principal_href(dav.account_id)) if res.kind == r.PRINCIPAL else None


def _home_set(dav: Dav, res: Resource) -> str | None:
    if res.kind != r.PRINCIPAL:
        return None
    owners = dict.fromkeys(b.owner_id for b in dav.books())
    return "".join(href(r.home_href(o)) for o in owners)


def _principal_collection_set(dav: Dav, res: Resource) -> str:
    return href(r.PRINCIPALS_PATH)


def _displayname(dav: Dav, res: Resource) -> str | None:
    if res.kind == r.BOOK and res.book is not None:
        return text(res.book.display_name)
    if res.kind == r.PRINCIPAL:
        account = dav.services.accounts.get(dav.account_id)
        return text(account.name or account.email)
    if res.kind == r.ROOT:
        return "Rolodex"
    return None


def _book(res: Resource) -> AddressBook | None:
    return res.book if res.kind == r.BOOK else None


def _description(dav: Dav, res: Resource) -> str | None:
    book = _book(res)
    if book is None:
        return None
    if book.description:
        return text(book.description)
    return text("The team's contacts" if book.is_team else "Your contacts in Rolodex")


def _ctag(dav: Dav, res: Resource) -> str | None:
    book = _book(res)
    return None if book is None else str(dav.state(book))


def _sync_token(dav: Dav, res: Resource) -> str | None:
    book = _book(res)
    return None if book is None else text(token_of(book, dav.state(book)))


def _supported_reports(dav: Dav, res: Resource) -> str | None:
    if res.kind != r.BOOK:
        return None
    reports = [_C("addressbook-query"), _C("addressbook-multiget"), _D("sync-collection")]
    return "".join(
        element(_D("supported-report"), element(_D("report"), element(name))) for name in reports
    )


def _address_data_types(dav: Dav, res: Resource) -> str | None:
    if res.kind != r.BOOK:
        return None
    return "".join(
        f'<C:address-data-type content-type="{VCARD}" version="{v}"/>' for v in ("3.0", "4.0")
    )


def _max_size(dav: Dav, res: Resource) -> str | None:
    return str(dav.services.settings.carddav_max_card_bytes) if res.kind == r.BOOK else None


def _usage(dav: Dav, res: Resource) -> tuple[int, int] | None:
    book = _book(res)
    if book is None:
        return None
    key = f"usage:{book.owner_id}"
    if key not in dav.memo:
        dav.memo[key] = dav.services.books.usage(book)
    found: tuple[int, int] = dav.memo[key]
    return found


def _quota_used(dav: Dav, res: Resource) -> str | None:
    usage = _usage(dav, res)
    return None if usage is None else str(usage[1])


def _quota_available(dav: Dav, res: Resource) -> str | None:
    usage = _usage(dav, res)
    if usage is None:
        return None
    # RFC 4331 §3: an estimate. The limit is a number of contacts (docs/limits.md);
    # each one left may take up to the largest card.
    left = max(0, dav.services.contacts.limits.max_contacts_per_owner - usage[0])
    return str(left * dav.services.settings.carddav_max_card_bytes)


def _privileges(dav: Dav, res: Resource) -> str:
    names = ["read", "read-current-user-privilege-set"]
    if res.kind in (r.BOOK, r.CARD) and res.book is not None and res.book.writable:
        names += ["write-content", "bind", "unbind"]
        if res.kind == r.CARD or res.book.manager:
            names += ["write", "write-properties"]
    if res.kind == r.HOME and res.owner_id is not None and dav.home(res.owner_id)[0].manager:
        names += ["bind", "unbind"]
    return "".join(element(_D("privilege"), element(_D(n))) for n in names)


def _owner(dav: Dav, res: Resource) -> str | None:
    if res.book is not None:
        if res.book.is_team:
            return None
        return href(r.principal_href(res.book.owner_id))
    if res.kind in (r.PRINCIPAL, r.HOME) and res.owner_id == dav.account_id:
        return href(r.principal_href(dav.account_id))
    return None


def _etag(dav: Dav, res: Resource) -> str | None:
    if res.group is not None:
        return text(f'"{res.group.etag}"')
    return None if res.member is None else text(f'"{res.member.contact.etag}"')


def _content_type(dav: Dav, res: Resource) -> str | None:
    return f"{VCARD}; charset=utf-8" if res.kind == r.CARD else None


def _last_modified(dav: Dav, res: Resource) -> str | None:
    if res.group is not None:
        return formatdate(res.group.updated_at / 1000, usegmt=True)
    return (
        None
        if res.member is None
        else formatdate(res.member.contact.updated_at / 1000, usegmt=True)
    )


GETTERS: dict[str, Getter] = {
    _D("resourcetype"): _resourcetype,
    _D("current-user-principal"): _current_user_principal,
    _D("principal-URL"): _principal_url,
    _D("principal-collection-set"): _principal_collection_set,
    _C("addressbook-home-set"): _home_set,
    _D("displayname"): _displayname,
    _C("addressbook-description"): _description,
    tag(CS, "getctag"): _ctag,
    _D("sync-token"): _sync_token,
    _D("supported-report-set"): _supported_reports,
    _C("supported-address-data"): _address_data_types,
    _C("max-resource-size"): _max_size,
    _D("quota-used-bytes"): _quota_used,
    _D("quota-available-bytes"): _quota_available,
    _D("current-user-privilege-set"): _privileges,
    _D("owner"): _owner,
    _D("getetag"): _etag,
    _D("getcontenttype"): _content_type,
    _D("getlastmodified"): _last_modified,
}

# What `<allprop/>` answers of each kind (cheap properties only).
ALLPROP: dict[str, list[str]] = {
    r.ROOT: [_D("resourcetype"), _D("displayname")],
    r.PRINCIPALS: [_D("resourcetype")],
    r.PRINCIPAL: [_D("resourcetype"), _D("displayname"), _D("principal-URL")],
    r.HOME: [_D("resourcetype")],
    r.BOOK: [
        _D("resourcetype"),
        _D("displayname"),
        _C("addressbook-description"),
        tag(CS, "getctag"),
        _D("sync-token"),
    ],
    r.CARD: [
        _D("resourcetype"),
        _D("getetag"),
        _D("getcontenttype"),
        _D("getlastmodified"),
    ],
}


def value(dav: Dav, res: Resource, name: str) -> str | None:
    getter = GETTERS.get(name)
    return None if getter is None else getter(dav, res)


def names(dav: Dav, res: Resource) -> list[str]:
    """The properties this resource has (`<propname/>`)."""
    return [name for name, getter in GETTERS.items() if getter(dav, res) is not None]
