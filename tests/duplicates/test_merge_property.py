"""Merge and unmerge through the store over random contacts (Hypothesis), on both stores:
the survivor holds every normalised value of every record, the metadata and tags united,
and every card's kept vCard extras once (a value's details with their value); the
unmerge puts each record back byte for byte (data, metadata, tags and card row)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.contacts.cards import CardRepository, CardRow
from rolodex.duplicates.merging import LIST_KEYS, folded, fullest_name
from rolodex.formats.vcard.extras import value_key
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.duplicates.test_merge_api import stored

_WORD = st.text(alphabet="abcéABCÉ", min_size=1, max_size=6)
_ASCII = st.text(alphabet="abcABC", min_size=1, max_size=6)
# Emails in other case meet: Ab@c.example and ab@C.example are one email.
_EMAIL = st.builds(lambda local, host: f"{local}@{host}.example", _ASCII, _ASCII)
_PHONE = st.sampled_from(
    ["+1 415 555 0100", "(415) 555-0100", "415.555.0100", "+44 20 7946 0018", "020 7946 0018"]
)
_TYPED = st.sampled_from(["work", "home", "mobile"])
_DATA = st.fixed_dictionaries(
    {},
    optional={
        "name": st.fixed_dictionaries(
            {}, optional={"givenName": _WORD, "middleName": _WORD, "familyName": _WORD}
        ),
        "emails": st.lists(st.fixed_dictionaries({"type": _TYPED, "value": _EMAIL}), max_size=3),
        "phoneNumbers": st.lists(
            st.fixed_dictionaries({"type": _TYPED, "value": _PHONE}), max_size=3
        ),
        "addresses": st.lists(
            st.fixed_dictionaries({"type": _TYPED, "street": _WORD, "city": _WORD}), max_size=2
        ),
        "organizations": st.lists(st.fixed_dictionaries({"name": _WORD}), max_size=2),
        "birthday": st.fixed_dictionaries({"month": st.integers(1, 12), "day": st.integers(1, 28)}),
        "notes": _WORD,
    },
)
_RECORD = st.tuples(_DATA, st.booleans(), st.sets(st.sampled_from(["A", "B", "C"])))
# A card's extras: properties from a small pool (cards share some), and whether its first
# email has a parameter Rolodex has no field for; None: the contact has no card row.
_PROPS = [
    {"group": None, "name": name, "params": params, "value": value}
    for name, params, value in [
        ("X-A", {}, "1"),
        ("X-A", {}, "2"),
        ("X-A", {"TYPE": ["x"]}, "1"),
        ("X-SOCIALPROFILE", {"TYPE": ["twitter"]}, "ann"),
    ]
]
_EXTRAS = st.none() | st.tuples(st.lists(st.sampled_from(_PROPS), max_size=3), st.booleans())


def _card_rows(
    services: Services, owner: str, made: list[Any], extras: list[Any]
) -> dict[int, dict[str, Any]]:
    rows = []
    for index, (contact, spec) in enumerate(zip(made, extras, strict=True)):
        if spec is None:
            continue
        props, pref = spec
        section: dict[str, Any] = {"properties": props} if props else {}
        emails = contact.data.get("emails") or []
        if pref and emails:
            key = value_key(emails[0])
            section["values"] = [{"field": "emails", "key": key, "params": {"X-P": [str(index)]}}]
        uid = f"uid-{contact.contact_id}"
        rows.append(CardRow(contact.pk, owner, uid, {"vcard": section} if section else {}))
    with services.store.write(owner_id=owner) as conn:
        CardRepository.put(conn, rows)
    return {row.contact_pk: row.extras for row in rows}


def _rows(services: Services, made: list[Any]) -> dict[int, dict[str, Any]]:
    with services.store.read() as conn:
        return {pk: r.extras for pk, r in CardRepository.by_pks(conn, [c.pk for c in made]).items()}


def _keys(data: dict[str, Any], field: str) -> set[str]:
    return {LIST_KEYS[field](e) for e in data.get(field, [])}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(st.tuples(_RECORD, _EXTRAS), min_size=2, max_size=4))
def test_merge_keeps_every_value_and_unmerge_restores_every_byte(
    services: Services,
    user: ApiUser,
    cases: list[tuple[tuple[dict[str, Any], bool, set[str]], Any]],
) -> None:
    records = [record for record, _ in cases]
    cards = [spec for _, spec in cases]
    owner = user.account_id
    tags = {name: services.tags.create(owner, name).tag_id for name in "ABC"}
    made = [
        services.contacts.create(
            owner, data, {"favorite": True} if favourite else {}, tag_ids=[tags[t] for t in names]
        )
        for data, favourite, names in records
    ]
    ids = [c.contact_id for c in made]
    before = stored(services, owner, ids)
    _card_rows(services, owner, made, cards)
    rows_before = _rows(services, made)

    _, merge_id = services.merges.merge(owner, ids)
    assert merge_id is not None
    [kept] = services.contacts.get_many(owner, ids)
    assert kept.contact_id == ids[0]
    datas = [data for data, _, _ in records]
    for field in LIST_KEYS:
        union = set().union(*(_keys(d, field) for d in datas))
        assert _keys(kept.data, field) == union, field
        assert len(kept.data.get(field, [])) == len(union), field
    assert kept.data.get("name") == fullest_name(datas)
    births = [d["birthday"] for d in datas if "birthday" in d]
    assert kept.data.get("birthday") == (births[0] if births else None)
    notes = {folded(d["notes"]) for d in datas if d.get("notes", "").strip()}
    assert {folded(n) for n in kept.data.get("notes", "").split("\n\n") if n} == notes
    assert bool(kept.meta.get("favorite")) == any(f for _, f, _ in records)
    assert set(kept.tag_ids) == {tags[t] for _, _, names in records for t in names}

    _check_extras(
        kept.data,
        [c.data for c in made],
        [rows_before.get(c.pk) for c in made],
        _rows(services, made).get(made[0].pk),
    )

    services.merges.unmerge(owner, merge_id)
    assert stored(services, owner, ids) == before
    assert _rows(services, made) == rows_before


def _check_extras(
    merged: dict[str, Any],
    datas: list[dict[str, Any]],
    extras: list[dict[str, Any] | None],
    survivor: dict[str, Any] | None,
) -> None:
    """The survivor's extras: its own first, every other card's property once, and every
    card's email detail while its email is the merged contact's (and not an earlier one's)."""
    if not any(extras):
        assert survivor == extras[0]
        return
    assert survivor is not None
    section = [(e or {}).get("vcard", {}) for e in extras]
    wanted: list[str] = []
    seen: set[str] = set()
    for kept in section:
        lines = [_text(p) for p in kept.get("properties", [])]
        wanted += [line for line in lines if line not in seen]  # a card's own repeats stay
        seen |= set(lines)
    assert [_text(p) for p in survivor.get("vcard", {}).get("properties", [])] == wanted
    present = {value_key(e) for e in merged.get("emails", [])}
    earlier: set[str] = set()
    details = survivor.get("vcard", {}).get("values", [])
    for index, (data, kept) in enumerate(zip(datas, section, strict=True)):
        for detail in kept.get("values", []):
            carried = detail["key"] in present and (index == 0 or detail["key"] not in earlier)
            assert (detail in details) == carried
        earlier |= {value_key(e) for e in data.get("emails", [])}


def _text(prop: Any) -> str:
    return (
        prop
        if isinstance(prop, str)
        else f"{prop['name']};{sorted(prop['params'].items())}:{prop['value']}"
    )
