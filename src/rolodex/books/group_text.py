"""A group card's text as served: the client's own card with its member list current.

A client PUT a group card once (books/groups.py); its tag's members and name may change
since, through any API. `render` writes the stored text again with the member lines of
the tag's current members and `FN` (and `N`) of the tag's current name, keeping every
other line byte for byte (`X-` properties, parameters, the client's order and line
endings), so a card whose members and name did not change reads back exactly as sent.
A tag no client PUT a card for is written by `formats.vcard.group_card`.
"""

from __future__ import annotations

import hashlib

from rolodex.formats.vcard.values import escape, unescape

MEMBER_PROPS = ("X-ADDRESSBOOKSERVER-MEMBER", "MEMBER")
URN = "urn:uuid:"


def plain_uid(value: str) -> str:
    """A UID or a member's URI as DAVx5 and Apple compare them: without `urn:uuid:`."""
    value = value.strip()
    return value[len(URN) :] if value[: len(URN)].lower() == URN else value


def member_value(uid: str) -> str:
    """The member URI of a card with this UID (Apple's form, read by every client)."""
    return URN + plain_uid(uid)


def _logical(raw: str) -> list[str]:
    """The card's lines, each with its folded continuations (RFC 6350 §3.2), as written."""
    lines: list[str] = []
    for physical in raw.splitlines(keepends=True):
        if lines and physical[:1] in (" ", "\t"):
            lines[-1] += physical
        else:
            lines.append(physical)
    return lines


def _name_and_value(line: str) -> tuple[str, str]:
    """(property name without group or parameters, unfolded value) of a line."""
    unfolded = line.rstrip("\r\n").replace("\r\n ", "").replace("\r\n\t", "")
    unfolded = unfolded.replace("\n ", "").replace("\n\t", "")
    head, _, value = unfolded.partition(":")
    name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
    return name, value


def listed(raw: str) -> list[str]:
    """The member UIDs a stored group card lists (without `urn:uuid:`), in order."""
    found = []
    for line in _logical(raw):
        prop, value = _name_and_value(line)
        if prop in MEMBER_PROPS:
            found.append(plain_uid(unescape(value)))
    return found


def render(raw: str, name: str, members: list[str], unknown: frozenset[str] = frozenset()) -> str:
    """The stored card `raw` with the group's current `name` and `members` (UIDs).

    A listed UID in `unknown` (no card of the owner has it yet: a client may send a group
    before its new members) keeps its line, so the group does not lose it meanwhile."""
    lines = _logical(raw)
    newline = "\r\n" if "\r\n" in raw else "\n"
    wanted = {plain_uid(m): m for m in members}
    member_prop = "MEMBER"
    written: set[str] = set()
    out: list[str] = []
    fn_value: str | None = None
    for line in lines:
        prop, value = _name_and_value(line)
        if prop == "FN":
            fn_value = unescape(value).strip()
    renamed = fn_value is not None and fn_value != name
    for line in lines:
        prop, value = _name_and_value(line)
        if prop in MEMBER_PROPS:
            member_prop = prop
            uid = plain_uid(unescape(value))
            if (uid in wanted or uid in unknown) and uid not in written:
                written.add(uid)
                out.append(line)
            continue
        if prop == "X-ADDRESSBOOKSERVER-KIND":
            member_prop = "X-ADDRESSBOOKSERVER-MEMBER"
        if renamed and prop == "FN":
            out.append(f"FN:{escape(name)}{newline}")
            continue
        if renamed and prop == "N":
            out.append(f"N:{escape(name)};;;;{newline}")
            continue
        if prop == "END":
            out += [
                f"{member_prop}:{member_value(uid)}{newline}"
                for uid in wanted
                if uid not in written
            ]
        out.append(line)
    return "".join(out)


def digest(*parts: str) -> str:
    """An etag standing for exactly these parts (32 hex digits, as the others)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()[:32]
