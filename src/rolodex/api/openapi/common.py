"""Pieces the three documents share: schemas from pydantic models, responses, operations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

Schema = dict[str, Any]

REF = "#/components/schemas/{model}"
STRING: Schema = {"type": "string"}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}


def ref(name: str) -> Schema:
    return {"$ref": REF.format(model=name)}


def model_schemas(models: Iterable[type[BaseModel]]) -> tuple[dict[str, Schema], Schema]:
    """(model name -> `$ref` to its schema, every schema by name) in validation mode.

    Validation mode is what the handler checks a request against, so the document states
    exactly the types, limits and required fields the server enforces.
    """
    chosen = list(models)
    refs, top = models_json_schema([(m, "validation") for m in chosen], ref_template=REF)
    by_name = {model.__name__: refs[(model, "validation")] for model in chosen}
    return by_name, dict(top.get("$defs", {}))


def obj(
    properties: dict[str, Schema], required: Iterable[str] = (), *, closed: bool = True
) -> Schema:
    """A JSON object schema; `closed` forbids properties not listed (the server adds none)."""
    out: Schema = {"type": "object", "properties": properties, "required": list(required)}
    if closed:
        out["additionalProperties"] = False
    return out


def json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def response(description: str, schema: Schema | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = json_content(schema)
    out.update(extra)
    return out


# What each status means, shared by the three documents (each with its own error shape).
STATUS_TEXT: dict[int, str] = {
    400: "Invalid input: a field of the wrong type, out of its limits, unknown or missing",
    401: "No credential, or one that is unknown, expired or revoked",
    403: "The credential lacks the scope this operation needs",
    404: "Nothing of that id for this caller (another account's ids answer the same)",
    405: "The path names another operation, which takes another method (Allow says which)",
    409: "The object changed since the etag sent, or the change conflicts with another object",
    412: "If-Match names an etag that is not the current one",
    413: "The body is larger than the server accepts",
    415: "The body is not of the media type this operation takes",
    429: "Too many requests; Retry-After says when to try again",
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request",
        "schema": {"type": "integer", "minimum": 0},
    }
}


def errors(statuses: Iterable[int], error_ref: str) -> dict[str, Any]:
    """Error responses for `statuses`, all in the API's one error shape."""
    out: dict[str, Any] = {}
    for status in sorted(set(statuses)):
        extra: dict[str, Any] = {"headers": RETRY_AFTER} if status == 429 else {}
        out[str(status)] = response(STATUS_TEXT[status], ref(error_ref), **extra)
    return out


def document(title: str, version: str, description: str, **parts: Any) -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        **parts,
    }
