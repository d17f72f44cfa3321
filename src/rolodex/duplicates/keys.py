"""Blocking keys: the few strings under which two records of one person likely meet.

Only contacts that share a key are ever compared, so the keys decide recall and the
cost. A contact's keys: each email (lower case), each phone number's last 8 digits
(whatever its format), and its name "stem" (the family name's metaphone and the given
name's initial, read through the short-form table so Bob files under R), straight and
swapped, alone and together with the birthday's day, the postal code, or the company.
A key many contacts share (a common name in a big book) is passed over when the book
is scanned (`BLOCK_CAP`): its members meet under a more specific key or not at all.
"""

from __future__ import annotations

import hashlib

import jellyfish

from rolodex.duplicates.nicknames import first_formal
from rolodex.duplicates.profile import Profile

PHONE_KEY_DIGITS = 8
# Keys are indexed: a longer one (an email of a kilobyte) is kept as its digest.
MAX_KEY = 120


def _stem(family: str, given: str) -> str:
    if not family or not given:
        return ""
    sound = jellyfish.metaphone(family.replace(" ", "")) or family
    return f"{sound[:6]}|{first_formal(given.split()[0])[0]}"


def _bounded(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return key[:2] + hashlib.sha256(key.encode()).hexdigest()


def keys_of(profile: Profile) -> list[str]:
    """The profile's blocking keys, each once."""
    found = [f"e:{email}" for email in profile.emails]
    found += [f"p:{phone.digits[-PHONE_KEY_DIGITS:]}" for phone in profile.phones]
    stem = _stem(profile.family, profile.given)
    if stem:
        found.append(f"n:{stem}")
        swapped = _stem(profile.given, profile.family)
        if swapped:
            found.append(f"n:{swapped}")
        if profile.birthday:
            found.append(f"b:{profile.birthday[5:]}|{stem}")
        if profile.postal:
            found.append(f"z:{profile.postal}|{stem}")
        if profile.company:
            found.append(f"o:{profile.company[:40]}|{stem}")
    return list(dict.fromkeys(_bounded(k) for k in found))
