"""How likely two contacts are one person: a score in [0, 1] and its reasons in words.

Each kind of evidence adds or takes away points (a log-odds scale): a shared email or
mobile number is strong, the same name is good, a shared home or work number weaker (a
household, an office). Evidence against counts as much: two different birthdays, two
given names that are not one name (nor a short form of it), or each contact's email at
the same company but a different address. The sum, from a prior that doubts (`PRIOR`),
goes through the logistic function. Only evidence for a match becomes a reason.
The weights were set on the bench generator's books (bench/duplicates.py), never on
the book its figures are reported for.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import phonenumbers
from rapidfuzz.distance import JaroWinkler

from rolodex.duplicates.names import name_similarity
from rolodex.duplicates.profile import Phone, Profile, phones_match

PRIOR = -5.0
DEFAULT_MIN_SCORE = 0.85
# Providers where two addresses say nothing about one employer.
FREE_MAIL = frozenset(
    {
        *("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com"),
        *("icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "proton.me"),
        *("protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com"),
    }
)
# Numbers a household or an office shares.
SHARED_LINES = frozenset({"home", "work", "business", "main", "workfax", "homefax", "fax"})


class Match(NamedTuple):
    score: float
    reasons: tuple[str, ...]


Evidence = tuple[float, str | None]


def _names(a: Profile, b: Profile) -> Evidence:
    if not (a.given or a.family) or not (b.given or b.family):
        return 0.0, None
    similarity, swapped = name_similarity((a.given, a.family), (b.given, b.family))
    if similarity >= 0.97:
        points = 3.0
    elif similarity >= 0.9:
        points = 2.5
    elif similarity >= 0.82:
        points = 0.5
    elif similarity >= 0.7:
        return -2.5, None
    else:
        return -7.0, None
    if a.display.casefold() == b.display.casefold():
        return points, f"same name '{a.display}'"
    how = " (given and family name swapped)" if swapped else ""
    return points, f"names '{a.display}' and '{b.display}'{how}"


def _emails(a: Profile, b: Profile) -> Evidence:
    if not a.emails or not b.emails:
        return 0.0, None
    shared = [e for e in a.emails if e in b.emails]
    if shared:
        return 6.0, f"same email {shared[0]}"
    domains_a = {e.rpartition("@")[2] for e in a.emails} - FREE_MAIL
    domains_b = {e.rpartition("@")[2] for e in b.emails} - FREE_MAIL
    if domains_a & domains_b:
        return -2.0, None  # colleagues: one employer, two addresses
    return -0.5, None


def _written(phone: Phone) -> str:
    try:
        parsed = phonenumbers.parse(phone.digits if phone.digits[0] == "+" else phone.written)
    except phonenumbers.NumberParseException:
        return phone.written
    shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return shown.replace("-", " ")


def _phones(a: Profile, b: Profile, explain: bool = True) -> Evidence:
    if not a.phones or not b.phones:
        return 0.0, None
    for phone in a.phones:
        for other in b.phones:
            if phones_match(phone.digits, other.digits):
                shown = other if other.digits.startswith("+") else phone
                shared_line = phone.type in SHARED_LINES and other.type in SHARED_LINES
                kind = phone.type if phone.type == other.type else "phone"
                points = 4.0 if shared_line else 5.0
                return points, f"same {kind} {_written(shown)}" if explain else kind
    return -1.0, None


def _birthdays(a: Profile, b: Profile) -> Evidence:
    if not a.birthday or not b.birthday:
        return 0.0, None
    if a.birthday == b.birthday:
        return 3.0, f"same birthday {a.birthday}"
    if a.birthday[5:] == b.birthday[5:] and "0000" in (a.birthday[:4], b.birthday[:4]):
        return 2.0, f"same birthday {a.birthday[5:]}"
    return -8.0, None


def _addresses(a: Profile, b: Profile) -> Evidence:
    if not a.postal or not b.postal:
        return 0.0, None
    if a.postal != b.postal:
        return -0.5, None
    if a.street and b.street and JaroWinkler.normalized_similarity(a.street, b.street) >= 0.9:
        return 2.0, f"same address {a.street.title()}, {a.postal}"
    return 1.0, f"same postal code {a.postal}"


def _work(a: Profile, b: Profile) -> Evidence:
    if not a.company or not b.company:
        return 0.0, None
    if JaroWinkler.normalized_similarity(a.company, b.company) < 0.9:
        return -0.3, None
    if a.title and a.title == b.title:
        return 1.5, f"same company and title ({a.company.title()}, {a.title})"
    return 1.0, f"same company {a.company.title()}"


_EVIDENCE = (_emails, _names, _birthdays, _addresses, _work)


# The most two contacts can score with no email, phone, birthday or postal code in
# common: the same name and company. Below this, such pairs need no scoring at all.
WITHOUT_IDENTIFIERS = 1.0 / (1.0 + math.exp(-(PRIOR + 3.0 + 1.5)))


def may_match(a: Profile, b: Profile, min_score: float) -> bool:
    """False when `score(a, b)` is surely below `min_score`: a cheap test for the scan.

    Two numbers that match (profile.phones_match) end in the same seven digits.
    """
    if min_score <= WITHOUT_IDENTIFIERS:
        return True
    if a.emails and b.emails and not set(a.emails).isdisjoint(b.emails):
        return True
    if a.phones and b.phones:
        tails = {p.digits[-7:] for p in a.phones}
        if any(p.digits[-7:] in tails for p in b.phones):
            return True
    if a.birthday and a.birthday[5:] == b.birthday[5:]:
        return True
    return bool(a.postal) and a.postal == b.postal


def score(a: Profile, b: Profile, *, explain: bool = True) -> Match:
    """How likely `a` and `b` are one person, and why (see the module docstring).

    Without `explain` the reasons are not worded (a phone number is not formatted): for
    the scan, which words only the pairs that pass.
    """
    total, reason = _phones(a, b, explain)
    total += PRIOR
    reasons: list[str] = [] if reason is None else [reason]
    for evidence in _EVIDENCE:
        points, reason = evidence(a, b)
        total += points
        if reason is not None:
            reasons.append(reason)
    return Match(1.0 / (1.0 + math.exp(-total)), tuple(reasons))
