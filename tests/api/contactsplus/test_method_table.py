"""The method table's one order of errors: a bad token is a 401 whatever the body.

Every method, whether answered in a worker thread or on the event loop (`OnTheLoop`,
`contacts.get`), resolves the token before it reads the body (`Call.of`), so a bad token
and a bad body together answer 401, never 400.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rolodex.api.contactsplus.routes import METHODS

BAD_BODIES = {
    "not JSON": b"{not json",
    "unknown field": b'{"noSuchField": 1}',
    "wrong type": b'{"contactIds": "c_1"}',
    "one id, wrong type": b'{"contactIds": [1]}',
}


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("body", sorted(BAD_BODIES))
def test_a_bad_token_with_a_bad_body_is_a_401(client: TestClient, method: str, body: str) -> None:
    headers = {"Authorization": "Bearer rdx_at_unknown", "Content-Type": "application/json"}
    response = client.post(f"/api/v1/{method}", content=BAD_BODIES[body], headers=headers)
    no_body = client.post(f"/api/v1/{method}", content=b"", headers=headers)

    assert response.status_code == 401, response.text
    assert response.json() == no_body.json(), "the same answer as the bad token alone"
