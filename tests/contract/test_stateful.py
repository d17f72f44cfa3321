"""Stateful schemathesis runs: sequences that follow the documents' OpenAPI links.

Contacts+ links `contacts.create`, `tags.create` and `webhooks.create` to the methods that
take the new id (runtime expressions in the request body); REST and personal link create -> read, change, tag, favorite, delete by the new id, and
personal's sync token -> its diff. Each run must also reach a linked operation with an
id the server made (a 2xx from it), so the links are known to lead somewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from rolodex.api.openapi import contactsplus, personal, rest
from tests.contract.fuzzing import CHECKS, EXAMPLES, SETTINGS, STEPS, Target, target

HeadersOf = Callable[[Target], dict[str, str]]

# Operations only a link can reach with a real id.
LINKED = {
    "contactsplus": {
        "contacts.get",
        "contacts.update",
        "contacts.delete",
        "tags.get",
        "tags.update",
        "tags.delete",
    },
    "rest": {"getContact", "replaceContact", "deleteContact", "addTags", "removeTags"},
    "personal": {
        "getContact",
        "updateContact",
        "destroyContact",
        "favoriteContact",
        "unfavoriteContact",
        "syncDiff",
    },
}


@pytest.fixture(scope="module")
def app_target() -> Iterator[Target]:
    yield from target()


def _run(
    name: str, document: dict[str, Any], app_target: Target, headers_of: HeadersOf
) -> set[str]:
    reached: set[str] = set()
    base = schemathesis.openapi.from_dict(document).as_state_machine()

    class Machine(base):  # type: ignore[valid-type, misc]
        def __init__(self) -> None:
            super().__init__()
            # Each scenario on an empty account of its own (Target.fresh says why).
            self.headers = headers_of(app_target.fresh())

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": app_target.app, "headers": self.headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            if 200 <= response.status_code < 300:
                reached.add(case.operation.definition.raw["operationId"])
            case.validate_response(response, checks=CHECKS, headers=self.headers)

    Machine.run(settings=settings(SETTINGS, max_examples=EXAMPLES, stateful_step_count=STEPS))
    return reached & LINKED[name]


def test_rest_sequences(app_target: Target) -> None:
    reached = _run("rest", rest.build(), app_target, lambda t: t.api_key)
    assert reached, "no linked REST operation succeeded: the links lead nowhere"


def test_contactsplus_sequences(app_target: Target) -> None:
    reached = _run("contactsplus", contactsplus.build(), app_target, lambda t: t.bearer)
    # A linked call succeeds only with the ids a create made (random ids are unknown).
    assert reached & {"contacts.get", "tags.get"}, "the Contacts+ links lead nowhere"


def test_personal_sequences(app_target: Target) -> None:
    reached = _run("personal", personal.build(), app_target, lambda t: t.bearer)
    assert reached, "no linked personal operation succeeded: the links lead nowhere"
