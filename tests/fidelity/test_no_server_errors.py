"""No input makes the REST or personal API answer a 5xx (common rules: every error is a 4xx)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.fidelity.rich import Views, views_for

FIELDS = [
    "name",
    "phoneNumber",
    "stage",
    "notes",
    "customFields",
    "location",
    "tags",
    "id",
    "email",
    "mobile_phone2",
    "address",
    "favorite",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=6)
params = st.dictionaries(
    st.sampled_from(
        ["limit", "page", "tags", "locationId", "channel", "searchText", "skip", "top"]
    ),
    st.text(max_size=12),
    max_size=4,
)


@pytest.fixture
def views(user: ApiUser, services: Services) -> Views:
    return views_for(user, services)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, query=params)
def test_random_bodies_and_parameters_are_never_a_server_error(
    views: Views, body: dict[str, Any], query: dict[str, str]
) -> None:
    contact_id = views.rest.create({"name": "Fuzz", "phoneNumber": "1"})["id"]
    answers = [
        views.rest.request("POST", json=body),
        views.rest.request("PUT", f"/{contact_id}", json=body),
        views.rest.request("POST", f"/{contact_id}/tags/add", json=body),
        views.rest.request("GET", params=query),
        views.personal.request("POST", json=body),
        views.personal.request("POST", f"/{contact_id}", json=body),
        views.personal.request("GET", params=query),
    ]
    for response in answers:
        assert response.status_code < 500, response.text
