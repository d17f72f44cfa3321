"""Schemathesis over the three OpenAPI documents, each operation on its own.

Positive and negative examples (schemathesis's default modes), authenticated as a real
account; every answer must pass `fuzzing.CHECKS`. The documents are the ones the app
serves (tests/openapi/ checks `/openapi/<api>.json` is exactly `build()`); requests go to
the ASGI app in process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from rolodex.api.openapi import contactsplus, personal, rest
from tests.contract.fuzzing import CHECKS, SETTINGS, Target, target

CONTACTSPLUS = schemathesis.openapi.from_dict(contactsplus.build())
REST = schemathesis.openapi.from_dict(rest.build())
PERSONAL = schemathesis.openapi.from_dict(personal.build())


@pytest.fixture(scope="module")
def app_target() -> Iterator[Target]:
    yield from target()


@CONTACTSPLUS.parametrize()
@SETTINGS
def test_contactsplus(case: Any, app_target: Target) -> None:
    case.call_and_validate(app=app_target.app, headers=app_target.bearer, checks=CHECKS)


@REST.parametrize()
@SETTINGS
def test_rest(case: Any, app_target: Target) -> None:
    case.call_and_validate(app=app_target.app, headers=app_target.api_key, checks=CHECKS)


@PERSONAL.parametrize()
@SETTINGS
def test_personal(case: Any, app_target: Target) -> None:
    case.call_and_validate(app=app_target.app, headers=app_target.bearer, checks=CHECKS)
