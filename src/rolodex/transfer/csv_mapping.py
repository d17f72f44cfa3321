"""Which canonical field each column of a CSV file goes to: the upload preview's table.

Worked out from the readers themselves rather than from a second table that could drift
from them: each column is read alone, holding a probe value, through the format's own
`card_of_row`, and the place the probe lands is that column's field. A column that
lands in `items` is kept as a custom field; one that lands nowhere is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from rolodex.formats.card import Card
from rolodex.formats.csv_rows import Row
from rolodex.formats.detect import GOOGLE_CSV, header_columns, open_text
from rolodex.formats.encodings import ByteSource
from rolodex.formats.google_csv import card_of_row as google_card
from rolodex.formats.outlook_csv import card_of_row as outlook_card

# A word for text columns and a date for date columns: the first to land outside `items`.
_PROBES = ("Probe", "1990-05-17")
_DATE = {"year": 1990, "month": 5, "day": 17}
IGNORED = "(not imported)"
_LABEL = re.compile(r"^(.+ \d+) - (Label|Type)$")


def column_mapping(stream: ByteSource, fmt: str) -> list[tuple[str, str]]:
    """(column, where it goes) for each column of the CSV file's header, in order."""
    _, lines = open_text(stream, fmt)
    header = header_columns(islice(lines, 50))
    read = google_card if fmt == GOOGLE_CSV else outlook_card
    return [(column, _place(read, column)) for column in header if column]


def _place(read: Callable[[Row], Card], column: str) -> str:
    group = _LABEL.match(column)
    if group:
        # Google's label column says the type of the value in its group.
        return f"the type of {group.group(1)}"
    found = IGNORED
    for probe in _PROBES:
        try:
            card = read(Row(2, {column: probe}))
        except Exception:  # a reader that refuses the probe: the column is shown as ignored
            continue
        if probe in card.tags:
            return "tags"
        where = next(_paths(card.contact_data, probe, ""), None)
        if where is None:
            continue
        if not where.startswith("items"):
            return where
        found = "custom field"
    return found


def _paths(value: Any, probe: str, at: str) -> Iterator[str]:
    """Where `probe` (or the probe date) sits in `value`, as `field` or `field (type)`."""
    if value == probe or (isinstance(value, str) and probe in value.split(" ::: ")):
        yield at
    elif isinstance(value, dict):
        if all(value.get(k) == v for k, v in _DATE.items()):
            yield at
            return
        for key, inner in value.items():
            for path in _paths(inner, probe, f"{at}.{key}" if at else key):
                kind = value.get("type")
                yield f"{path} ({kind})" if isinstance(kind, str) and kind else path
    elif isinstance(value, list):
        for inner in value:
            yield from _paths(inner, probe, at)
