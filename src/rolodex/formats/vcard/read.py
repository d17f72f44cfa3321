"""One content line -> a `Property` (group, name, parameters, value), for every vCard version.

The line itself is split as vobject's `parseLine` splits it (group, name, parameters
with quoted values, value): by vobject itself for lines with quoted parameters, by
`split_line`, which gives the same answer faster, for the others. What vobject leaves to its per-version behaviours, and does not do for
vCard 2.1 or 4.0 the way old phones and RFC 6350 need, is done here:
- vCard 2.1 bare parameters (`TEL;CELL;PREF:`) become `TYPE` values, and bare
  `QUOTED-PRINTABLE` / `BASE64` become `ENCODING`.
- Quoted-printable values are decoded with their `CHARSET` (vobject only knows it for
  2.1 and guesses the character set), and `ENCODING`/`CHARSET` are then dropped: the
  value is plain text from here on, and Rolodex writes only UTF-8 3.0 and 4.0.
- Parameter values are decoded per RFC 6868 (`^n`, `^^`, `^'`).
- `TYPE=a,b` and repeated `TYPE` parameters become one list.
"""

from __future__ import annotations

import codecs
import quopri
import re
from dataclasses import dataclass, field

from vobject.base import ParseError, parseLine

from rolodex.formats.vcard.values import decode_param

# vCard 2.1 §2.1 bare parameter words that are encodings, not types.
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"}


@dataclass(slots=True)
class Property:
    """One vCard property. `name` and parameter names are upper case; `value` is as written
    (escaped), except that quoted-printable has been decoded."""

    name: str
    value: str
    params: dict[str, list[str]] = field(default_factory=dict)
    group: str | None = None
    line: int = 0
    original_name: str = ""

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def types(self) -> list[str]:
        return self.params.get("TYPE", [])


class PropertyError(ValueError):
    """A content line that is not a vCard property; the message says why."""


# vobject's grammar (vobject.base.patterns): names are ASCII letters, digits, - and _.
_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)\Z")
_PARAM_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")


def split_line(text: str) -> tuple[str, list[list[str]], str, str | None] | None:
    """vobject's `parseLine` for a line without quoted parameters, or None for the others.

    Splitting lines is the reader's hottest path, and most lines are simple: this gives
    what `parseLine` gives for them (a property test checks it against vobject) with
    `str` methods instead of its regular expressions; anything else goes to vobject.
    """
    colon = text.find(":")
    if colon < 0:
        return None
    head = text[:colon]
    if '"' in head:
        return None
    parts = head.split(";")
    match = _NAME.match(parts[0])
    if match is None:
        return None
    params: list[list[str]] = []
    for part in parts[1:]:
        key, equals, values = part.partition("=")
        if not _PARAM_NAME.match(key):
            return None
        params.append([key, *(v for v in values.split(",") if v)] if equals else [key])
    return match.group(2).replace("_", "-"), params, text[colon + 1 :], match.group(1)


def parse_property(text: str, line: int) -> Property:
    split = split_line(text)
    if split is None:
        try:
            split = parseLine(text, line)
        except ParseError:
            raise PropertyError(f"line {line}: not a vCard property (name:value)") from None
    name, raw_params, value, group = split
    params: dict[str, list[str]] = {}
    for entry in raw_params:
        key = entry[0].upper()
        values = [decode_param(v) for v in entry[1:]]
        if not values:
            # vCard 2.1: a bare word is a type or an encoding.
            key, values = ("ENCODING", [key]) if key in _ENCODINGS else ("TYPE", [entry[0]])
        if key == "TYPE":
            values = [part.strip() for v in values for part in v.split(",") if part.strip()]
        params.setdefault(key, []).extend(values)
    prop = Property(name.upper(), value, params, group, line, name)
    encodings = [v.upper() for v in params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in encodings:
        prop.value = _decode_quoted_printable(value, prop.param("CHARSET"))
        rest = [v for v in params["ENCODING"] if v.upper() != "QUOTED-PRINTABLE"]
        if rest:
            params["ENCODING"] = rest
        else:
            del params["ENCODING"]
        params.pop("CHARSET", None)
    elif "CHARSET" in params and not {"B", "BASE64"} & set(encodings):
        # The text was decoded by the caller already; the label no longer applies.
        del params["CHARSET"]
    return prop


def _decode_quoted_printable(value: str, charset: str | None) -> str:
    data = quopri.decodestring(value.encode("utf-8", "surrogateescape"))
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        # Old phones label Windows-1252 text as UTF-8 (or not at all).
        text = data.decode("cp1252", "replace")
    # From here on the value is in its 3.0 form: a line break inside it (=0D=0A) is
    # written `\n`, as 3.0 and 4.0 write it; the rest needs no escaping to be read back.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
