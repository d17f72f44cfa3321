"""Checking one real answer against the document that describes it.

Shared by tests/openapi/ and tests/security/: the status must be one the operation lists,
and the body must match the schema the document gives for that status.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from rolodex.api.openapi.routes import DOCUMENTS


@lru_cache(maxsize=len(DOCUMENTS))
def document(name: str) -> dict[str, Any]:
    return DOCUMENTS[name]()


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


def operation(path: str, method: str) -> tuple[str, dict[str, Any]]:
    """(document name, operation) serving `method path`; fails if no document has one."""
    for name in DOCUMENTS:
        for template, item in document(name)["paths"].items():
            # A literal path wins over a template (`sync_tokens` is not an `{id}`).
            if template == path and method.lower() in item:
                return name, item[method.lower()]
    for name in DOCUMENTS:
        for template, item in document(name)["paths"].items():
            if _pattern(template).match(path) and method.lower() in item:
                return name, item[method.lower()]
    raise AssertionError(f"no document describes {method} {path}")


def check(method: str, path: str, status: int, body: bytes, content_type: str | None) -> None:
    """Fail unless the document lists `status` for the operation and `body` fits its schema."""
    name, op = operation(path.split("?", 1)[0], method)
    answers = op["responses"]
    assert str(status) in answers, (
        f"{method} {path} answered {status}, which {name}.json does not list "
        f"({sorted(answers)}): {body[:300]!r}"
    )
    content = answers[str(status)].get("content")
    if not content:
        assert not body, f"{method} {path} {status}: documented without a body, got {body!r}"
        return
    if "application/json" not in content:
        return
    assert content_type is not None
    assert content_type.startswith("application/json"), content_type
    schema = {**content["application/json"]["schema"], "components": document(name)["components"]}
    errors = sorted(
        Draft202012Validator(schema).iter_errors(orjson.loads(body)), key=lambda e: e.path
    )
    assert not errors, f"{method} {path} {status} breaks {name}.json: " + "; ".join(
        f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]
    )


def check_response(response: Any) -> Any:
    """`check` for a TestClient response; returns it for chaining."""
    request = response.request
    check(
        request.method,
        request.url.path,
        response.status_code,
        response.content,
        response.headers.get("content-type"),
    )
    return response
