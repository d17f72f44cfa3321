"""Building blocks of the two resource-style documents (REST and personal)."""

from __future__ import annotations

from typing import Any

from rolodex.api.openapi.common import STRING, Schema, errors, json_content, ref, response

NULLABLE_STRING: Schema = {"type": ["string", "null"]}

ETAG_HEADER = {"ETag": {"description": "The contact's current etag", "schema": STRING}}


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": STRING}


def int_query(name: str, low: int, high: int, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "minimum": low, "maximum": high},
    }


def text_query(name: str, description: str, max_length: int) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "maxLength": max_length},
    }


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "Refuse the change (412) unless the contact's etag is this one",
    "schema": STRING,
}


def operation(
    op_id: str,
    summary: str,
    *,
    security: list[dict[str, list[str]]],
    error: str,
    statuses: tuple[int, ...],
    ok: dict[str, Any],
    body: Schema | None = None,
    body_required: bool = False,
    parameters: list[dict[str, Any]] | None = None,
    links: dict[str, Any] | None = None,
    scope: str,
) -> dict[str, Any]:
    """One operation; `ok` maps its success status to its response object."""
    out: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "description": f"Scope: {scope}.",
        "security": security,
        "parameters": parameters or [],
        "responses": {**ok, **errors(statuses, error)},
    }
    if body is not None:
        out["requestBody"] = {"required": body_required, "content": json_content(body)}
    if links:
        [status] = list(ok)
        out["responses"][status] = {**out["responses"][status], "links": links}
    return out


def links(expression: str, param: str, *op_ids: str) -> dict[str, Any]:
    """OpenAPI links to `op_ids`, their path parameter `param` taken from this answer.

    They let the stateful fuzzer (tests/contract/) follow create -> read/change/delete.
    """
    return {op: {"operationId": op, "parameters": {param: expression}} for op in op_ids}


def no_body(description: str, **extra: Any) -> dict[str, Any]:
    return response(description, None, **extra)


def answer(description: str, name: str, **extra: Any) -> dict[str, Any]:
    return response(description, ref(name), **extra)
