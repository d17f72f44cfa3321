"""A contact's derived `UID` (transfer/uids.py) and its way back to the contact id."""

from __future__ import annotations

import base64
import binascii
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from rolodex.ids import new_id
from rolodex.transfer.uids import contact_id_of, derived_uid

_NAMESPACE = uuid.UUID("6f1d3a52-5c6e-4b9a-9a43-3f0c2f8e7d10")


def _reference(contact_id: str) -> str:
    """The rule as first written: the id's 16 bytes as a UUID when the id is their
    canonical URL-safe base64 after `c_`, else a name-based UUID."""
    if contact_id.startswith("c_"):
        raw = contact_id[2:]
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            data = b""
        canonical = "c_" + base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        if len(data) == 16 and canonical == contact_id:
            return "urn:uuid:" + str(uuid.UUID(bytes=data))
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, contact_id))


def test_a_new_contacts_uid_turns_back_into_its_id() -> None:
    for _ in range(200):
        contact_id = new_id("c_")
        assert derived_uid(contact_id) == _reference(contact_id)
        assert contact_id_of(derived_uid(contact_id)) == contact_id


@settings(max_examples=500)
@given(
    st.one_of(
        st.binary(min_size=16, max_size=16).map(
            lambda b: "c_" + base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        ),
        st.text(alphabet="AQgwxyz+/=-_c", min_size=0, max_size=26).map(lambda t: "c_" + t),
        st.text(max_size=30),
    )
)
def test_any_id_gets_the_uid_of_the_rule(contact_id: str) -> None:
    assert derived_uid(contact_id) == _reference(contact_id)
