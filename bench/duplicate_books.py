"""Books with duplicates of known truth: the generator's contacts, some recorded twice.

Each person of `bench.generate` may come back as one or two more records, made the
way duplicates arise: typed again with a typo, filed under a nickname, with fewer
fields, the phone written another way, the email in other case, given and family name
swapped, or exported from another source (a phone's record: name and number only; a
mail account's: name, email, company). Households add the hard negatives: a relative
at the same address with the same home phone and family name, who is not a duplicate.
Each record is `(entity, contactData)`; records of one entity are duplicates.

    python -m bench.generate --count 100000 --seed 11 --duplicates truth.json > book.jsonl
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from typing import Any

from bench.generate import GIVEN, contact

# The bench's own short forms (not rolodex's table): some it knows, some it may not.
NICKNAMES = {
    "John": ["Johnny", "Jack", "Jon"],
    "Michael": ["Mike", "Mick"],
    "David": ["Dave"],
    "Jessica": ["Jess", "Jessie"],
    "James": ["Jim", "Jimmy", "Jamie"],
    "Emily": ["Em", "Emmy"],
    "Sarah": ["Sally"],
    "Olivia": ["Liv"],
    "Chris": ["Christopher"],
    "Emma": ["Em"],
    "José": ["Pepe"],
    "Małgorzata": ["Gosia"],
    "Wojciech": ["Wojtek"],
    "Maximilian": ["Max"],
}
COUNTRY_CODES = ("234", "1", "44", "49", "33", "34", "91", "55", "81", "84", "90")
NO_TRUNK = ("1", "34", "55")
_DIGITS = re.compile(r"\D+")


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped or replaced."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    return text[:i] + rng.choice("aeiounrst") + text[i + 1 :]


def rewritten_phone(value: str, rng: random.Random) -> str:
    """The same number written another way: national for international and back, regrouped."""
    digits = _DIGITS.sub("", value)
    if value.startswith("+"):
        code = next(c for c in COUNTRY_CODES if digits.startswith(c))
        rest = digits[len(code) :]
        digits = rest if code in NO_TRUNK else "0" + rest
    sep = rng.choice([" ", "-", ".", ""])
    chunks: list[str] = []
    i = 0
    while i < len(digits):
        size = rng.choice([2, 3, 4])
        chunks.append(digits[i : i + size])
        i += size
    return sep.join(chunks)


def _name(data: dict[str, Any]) -> tuple[str, str]:
    return data["name"]["givenName"], data["name"]["familyName"]


def _set_name(data: dict[str, Any], given: str, family: str) -> None:
    data["name"] = {"givenName": given, "familyName": family}
    data["displayName"] = f"{given} {family}"


def _vary_name(data: dict[str, Any], rng: random.Random) -> None:
    given, family = _name(data)
    roll = rng.random()
    if roll < 0.3 and given in NICKNAMES:
        given = rng.choice(NICKNAMES[given])
    elif roll < 0.55:
        if rng.random() < 0.5:
            given = typo(given, rng)
        else:
            family = typo(family, rng)
    elif roll < 0.65:
        given, family = family, given
    elif roll < 0.7:
        given = given[0] + "."
    _set_name(data, given, family)


def _fewer_fields(data: dict[str, Any], rng: random.Random) -> None:
    for field in ("organizations", "addresses", "birthday", "notes", "urls"):
        if field in data and rng.random() < 0.5:
            del data[field]
    if len(data["emails"]) > 1 and rng.random() < 0.5:
        data["emails"] = data["emails"][:1]
    if len(data["phoneNumbers"]) > 1 and rng.random() < 0.5:
        data["phoneNumbers"] = data["phoneNumbers"][:1]


def _other_formats(data: dict[str, Any], rng: random.Random) -> None:
    if rng.random() < 0.5:
        for phone in data["phoneNumbers"]:
            phone["value"] = rewritten_phone(phone["value"], rng)
    if rng.random() < 0.4:
        for email in data["emails"]:
            local, _, domain = email["value"].partition("@")
            email["value"] = (local.title() if rng.random() < 0.5 else local.upper()) + "@" + domain
    if "birthday" in data and rng.random() < 0.2:
        data["birthday"] = {k: v for k, v in data["birthday"].items() if k != "year"}


def _from_a_phone(original: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    given, family = _name(original)
    phone = rng.choice(original["phoneNumbers"])
    data: dict[str, Any] = {
        "phoneNumbers": [{"type": phone["type"], "value": rewritten_phone(phone["value"], rng)}],
        "emails": [],
    }
    _set_name(data, rng.choice(NICKNAMES.get(given, [given])), family)
    return data


def _from_mail(original: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {"emails": [dict(rng.choice(original["emails"]))], "phoneNumbers": []}
    _set_name(data, *_name(original))
    if "organizations" in original:
        data["organizations"] = [{"name": original["organizations"][0]["name"]}]
    return data


def _own_home_email(data: dict[str, Any], entity: int) -> dict[str, Any]:
    """The generator's home address is a cut name and a number from 1 to 99, so two
    namesakes may draw one address; here each person's is their own, as in life."""
    for email in data["emails"]:
        if email["type"] == "home":
            local = email["value"].partition("@")[0].rstrip("0123456789")
            email["value"] = f"{local}{entity}@home.example"
    return data


def duplicate(original: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A second record of the person `original` describes."""
    original = {"emails": [], "phoneNumbers": [], **original}
    roll = rng.random()
    if roll < 0.12 and original["phoneNumbers"]:
        made = _from_a_phone(original, rng)
    elif roll < 0.24 and original["emails"]:
        made = _from_mail(original, rng)
    else:
        made = copy.deepcopy(original)
        _vary_name(made, rng)
        _fewer_fields(made, rng)
        _other_formats(made, rng)
    return {k: v for k, v in made.items() if v != []}


def relative(original: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    """Someone else at the same home: same family name, address and home phone."""
    made = contact(rng, index)
    given = rng.choice([g for names in GIVEN.values() for g in names])
    _set_name(made, given, _name(original)[1])
    home = [p for p in original.get("phoneNumbers", []) if p["type"] == "home"]
    if home:
        made["phoneNumbers"].append(dict(home[0]))
    if "addresses" in original:
        made["addresses"] = copy.deepcopy(original["addresses"])
    return made


def book(
    count: int, seed: int, *, twice: float = 0.1, thrice: float = 0.02, households: float = 0.03
) -> Iterator[tuple[int, dict[str, Any]]]:
    """About `count` records `(entity, contactData)`, duplicates spread through the book."""
    rng = random.Random(seed)
    made = 0
    entity = 0
    pending: list[tuple[int, dict[str, Any]]] = []
    while made < count:
        original = _own_home_email(contact(rng, entity), entity)
        records = [(entity, original)]
        roll = rng.random()
        copies = 2 if roll < thrice else 1 if roll < twice + thrice else 0
        records += [(entity, duplicate(original, rng)) for _ in range(copies)]
        if rng.random() < households:
            entity += 1
            records.append((entity, relative(original, rng, entity)))
        entity += 1
        # A duplicate arrives later than its original, not next to it.
        pending.extend(records[1:])
        yield records[0]
        made += 1
        if len(pending) > 50 or (pending and rng.random() < 0.3):
            out = pending.pop(rng.randrange(len(pending)))
            yield out
            made += 1
    yield from pending
