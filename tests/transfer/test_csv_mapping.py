"""The column mapping the upload preview shows comes from the CSV readers themselves."""

from __future__ import annotations

import io

from rolodex.transfer.csv_mapping import IGNORED, column_mapping
from tests.formats.samples import sample_bytes


def test_outlook_columns_map_to_their_fields_with_their_types() -> None:
    found = dict(column_mapping(io.BytesIO(sample_bytes("outlook-windows1252.csv")), "outlook-csv"))
    assert found["Business Phone"] == "phoneNumbers.value (work)"
    assert found["Home City"] == "addresses.city (home)"
    assert found["E-mail Address"].startswith("emails.value")
    assert found["Categories"] == "tags"
    assert found["Birthday"] == "birthday"


def test_a_column_no_reader_knows_is_kept_as_a_custom_field_or_ignored() -> None:
    text = b"First Name,E-mail 1 - Value,Shoe Size\r\nAda,a@x.test,38\r\n"
    found = dict(column_mapping(io.BytesIO(text), "google-csv"))
    assert found["First Name"] == "name.givenName"
    assert found["Shoe Size"] in ("custom field", IGNORED)
