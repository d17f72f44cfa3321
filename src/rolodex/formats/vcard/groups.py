"""Group cards <-> tags: Apple's (`X-ADDRESSBOOKSERVER-KIND:group`) and vCard 4.0's (`KIND:group`).

iCloud and macOS Contacts keep a group as a card of its own listing its members' UIDs
(`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:...`); RFC 6350 §6.1.4/§6.6.5 says the same with
`KIND:group` and `MEMBER`. Rolodex keeps groups as tags: the importer asks `group_of`
for each card it reads and tags the members with the group's name instead of storing
the group as a contact; the exporter (and CardDAV, for Apple clients) writes a tag back
as `group_card`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rolodex.contacts.mapping_common import compose_name
from rolodex.formats.card import Card
from rolodex.formats.vcard.extras import EXTRAS_KEY
from rolodex.formats.vcard.values import unescape
from rolodex.formats.vcard.write import write_card

_KIND = {"X-ADDRESSBOOKSERVER-KIND", "KIND"}
_MEMBER = {"X-ADDRESSBOOKSERVER-MEMBER", "MEMBER"}
_URN = "urn:uuid:"


@dataclass(frozen=True, slots=True)
class Group:
    """A group card: its name (the tag), its members' UIDs, its own UID and line."""

    name: str
    members: list[str]
    uid: str | None
    line: int


def _member_uid(value: str) -> str:
    value = unescape(value).strip()
    return value[len(_URN) :] if value.lower().startswith(_URN) else value


def group_of(card: Card) -> Group | None:
    """The group `card` is, or None when it is a person's (or an organisation's) card."""
    kept = card.extras.get(EXTRAS_KEY)
    props = kept.get("properties") if isinstance(kept, dict) else None
    if not isinstance(props, list):
        return None
    names = [(str(p.get("name", "")).upper(), str(p.get("value", ""))) for p in props]
    if not any(
        name in _KIND and unescape(value).strip().lower() == "group" for name, value in names
    ):
        return None
    members = [_member_uid(value) for name, value in names if name in _MEMBER]
    data = card.contact_data
    title = data.get("displayName") or compose_name(data.get("name")) or ""
    return Group(str(title), [m for m in members if m], card.uid, card.line)


def group_card(name: str, member_uids: list[str], uid: str, version: str = "3.0") -> str:
    """A tag as a group card: Apple's form in 3.0, `KIND:group` and `MEMBER` in 4.0."""
    kind, member = (
        ("X-ADDRESSBOOKSERVER-KIND", "X-ADDRESSBOOKSERVER-MEMBER")
        if version == "3.0"
        else ("KIND", "MEMBER")
    )
    props: list[dict[str, object]] = [{"group": None, "name": kind, "params": {}, "value": "group"}]
    props += [
        {"group": None, "name": member, "params": {}, "value": _URN + m if ":" not in m else m}
        for m in member_uids
    ]
    card = Card(
        contact_data={"name": {"familyName": name}, "displayName": name},
        uid=uid,
        extras={EXTRAS_KEY: {"properties": props}},
    )
    return write_card(card, version)
