"""Clients with names, as the history names them: a Contacts+ app, an API key."""

from __future__ import annotations

from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import RestClient


def app_client(services: Services, user: ApiUser, name: str) -> ApiUser:
    """The same account, calling Contacts+ through an OAuth app called `name`."""
    made = services.apps.create(user.account_id, name, ["https://app.example/cb"])
    issued = services.credentials.issue(user.account_id, ALL_SCOPES, client_id=made.app.client_id)
    return ApiUser(user.client, user.account_id, user.email, issued.secret)


def rest_client(services: Services, user: ApiUser, name: str) -> RestClient:
    """The same account, calling the REST API with an API key called `name`."""
    secret = services.credentials.issue(user.account_id, ALL_SCOPES, kind=API_KEY, name=name).secret
    return RestClient(user.client, secret)


def credential_of(services: Services, user: ApiUser) -> str:
    """The credential id behind a user's token."""
    principal = services.credentials.resolve(user.token, kinds=("access_token",))
    assert principal is not None
    return principal.credential_id
