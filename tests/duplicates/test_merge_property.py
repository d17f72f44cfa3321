"""Merge and unmerge through the store over random contacts (Hypothesis), on both stores:
the survivor holds every normalised value of every record, the metadata and tags united;
the unmerge puts each record back byte for byte (data, metadata and tags as stored)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.duplicates.merging import LIST_KEYS, folded, fullest_name
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


def _keys(data: dict[str, Any], field: str) -> set[str]:
    return {LIST_KEYS[field](e) for e in data.get(field, [])}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(_RECORD, min_size=2, max_size=4))
def test_merge_keeps_every_value_and_unmerge_restores_every_byte(
    services: Services, user: ApiUser, records: list[tuple[dict[str, Any], bool, set[str]]]
) -> None:
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

    services.merges.unmerge(owner, merge_id)
    assert stored(services, owner, ids) == before
