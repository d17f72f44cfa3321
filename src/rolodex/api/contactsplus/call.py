"""One Contacts+ call: the parsed body, the caller, and the services to answer with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request

from rolodex.api.json_body import parse_object
from rolodex.contacts.model import invalid_from
from rolodex.errors import Unauthenticated
from rolodex.oauth.credentials import ACCESS_TOKEN, Principal
from rolodex.services import Services

M = TypeVar("M", bound=BaseModel)


class Envelope(BaseModel):
    """Base of every request body: strict types, unknown fields refused (docs/api-notes.md)."""

    model_config = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True, slots=True)
class OnTheLoop:
    """A method-table entry (routes.py) answered on the event loop, not in a worker thread.

    `answer` is given the services, the bearer token and the request with its raw body,
    and authenticates the call itself: through `Call.on_the_loop` (or, for a body it has
    already found well-formed, `Call.of_valid`), so its errors come in the order every
    method's do: 401 before 400.
    """

    answer: Callable[[Services, str, Request, bytes], Awaitable[dict[str, Any]]]


def authenticated(principal: Principal | None) -> Principal:
    """The principal a token resolved to; none is a 401."""
    if principal is None:
        raise Unauthenticated("the access token is unknown, expired or revoked")
    return principal


@dataclass(frozen=True, slots=True)
class Call:
    body: dict[str, Any]
    principal: Principal
    services: Services

    @classmethod
    def of(
        cls, principal: Principal | None, services: Services, request: Request, raw: bytes
    ) -> Call:
        """The call, once the token is known good: an unknown token is a 401 before the body
        is looked at, so a bad token and a bad body together answer 401."""
        principal = authenticated(principal)
        return cls(parse_object(request, raw, empty_is_object=True), principal, services)

    @classmethod
    async def on_the_loop(
        cls, services: Services, token: str, request: Request, raw: bytes
    ) -> Call:
        """`of`, for a method answered on the event loop: the token resolved there too."""
        principal = await services.credentials.resolve_async(token, kinds=(ACCESS_TOKEN,))
        return cls.of(principal, services, request, raw)

    @classmethod
    def of_valid(
        cls, principal: Principal | None, services: Services, body: dict[str, Any]
    ) -> Call:
        """`of`, for a body already parsed and found valid: so only a 401 can come here."""
        return cls(body, authenticated(principal), services)

    def parse(self, model: type[M]) -> M:
        """The body as `model`, or a 400 naming each field that is wrong."""
        try:
            return model.model_validate(self.body)
        except ValidationError as exc:
            raise invalid_from(exc, "") from None

    def owner(self, team_id: str | None, *, scope: str, team_scope: str) -> str:
        """Whose data the call acts on: the caller's own, or a team's when `teamId` is given.

        Checks the scope that goes with that choice, then, for a team, that the caller is a
        member right now (read on every call, so a removed member loses access at once).
        A non-member gets exactly the answer an unknown team gets (404, field `teamId`).
        The scope is checked first: a 403 says nothing about which teams exist.
        """
        if team_id is None:
            self.principal.require(scope)
            return self.principal.account_id
        self.principal.require(team_scope)
        self.services.teams.require_member(team_id, self.principal.account_id)
        return team_id
