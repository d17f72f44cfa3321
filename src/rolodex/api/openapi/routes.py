"""Serving the documents: `/openapi/<api>.json`, and pages at `/docs` and `/docs/<api>`.

The pages are rendered on the server from the same document the JSON URL serves (no
script, no CDN), so what a reader sees is what the contract tests check. Descriptions in
an OpenAPI document are CommonMark (OpenAPI 3.1 §4.8.1: "CommonMark syntax MAY be used
for rich text"), so they are rendered as such (markdown-it-py, raw HTML off), not shown
with their backticks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from rolodex.api.contactsplus.errors import error_response
from rolodex.api.openapi import contactsplus, personal, rest

DOCUMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "contactsplus": contactsplus.build,
    "rest": rest.build,
    "personal": personal.build,
}

_METHODS = ("get", "put", "post", "delete", "patch", "head")


# CommonMark without raw HTML: a description's `<method>` is text, never markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_block(text: object) -> Markup:
    """A description as HTML paragraphs (lists, code, emphasis), escaped where it must be."""
    return Markup(_MARKDOWN.render(str(text or "")))


def markdown_inline(text: object) -> Markup:
    """A short description (a summary, a table cell) as inline HTML: no paragraph around it."""
    return Markup(_MARKDOWN.renderInline(str(text or "")))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rolodex.api.openapi", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_block
    env.filters["md_inline"] = markdown_inline
    return env


@lru_cache(maxsize=len(DOCUMENTS))
def _json(name: str) -> bytes:
    return orjson.dumps(DOCUMENTS[name]())


def _unknown(name: str) -> Response:
    return error_response(404, "not_found", f"there is no API named '{name}'", field="api")


async def document_json(request: Request) -> Response:
    name = request.path_params["api"]
    if name not in DOCUMENTS:
        return _unknown(name)
    return Response(_json(name), media_type="application/json")


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` followed (one level) to the schema it names."""
    target = schema.get("$ref")
    if isinstance(target, str):
        found: dict[str, Any] = doc["components"]["schemas"][target.rsplit("/", 1)[1]]
        return found
    return schema


def _type_text(schema: dict[str, Any]) -> str:
    """A short reading of a field's schema: its type and limits."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[1]
    if "anyOf" in schema:
        return " or ".join(_type_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "any")
    text = "/".join(kind) if isinstance(kind, list) else str(kind)
    if kind == "array" and isinstance(schema.get("items"), dict):
        text = f"array of {_type_text(schema['items'])}"
    limits = [
        f"{label} {schema[key]}"
        for key, label in (
            ("minLength", "min length"),
            ("maxLength", "max length"),
            ("minItems", "min items"),
            ("maxItems", "max items"),
            ("minimum", "min"),
            ("maximum", "max"),
        )
        if key in schema
    ]
    return f"{text} ({', '.join(limits)})" if limits else text


def _fields(doc: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    resolved = _resolve(doc, schema)
    required = set(resolved.get("required", []))
    return [
        {"name": name, "type": _type_text(prop), "required": name in required}
        for name, prop in resolved.get("properties", {}).items()
    ]


def _body_text(doc: dict[str, Any], schema: dict[str, Any]) -> str:
    """What a body without listed fields is: `{}` only, or its shape (no empty table)."""
    resolved = _resolve(doc, schema)
    if resolved.get("properties"):
        return ""
    if resolved.get("type") == "object" and resolved.get("additionalProperties") is False:
        return "an empty JSON object, `{}`"
    if resolved.get("type") == "object" or _type_text(schema) == "object":
        return "a JSON object with no documented fields"
    return _type_text(schema)


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in doc["paths"].items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {})
            media, content = next(iter(body.items()), (None, cast(dict[str, Any], {})))
            responses = []
            for status, answer in op["responses"].items():
                answer_media: dict[str, Any] = next(iter(answer.get("content", {}).values()), {})
                shape = answer_media.get("schema")
                responses.append(
                    {
                        "status": status,
                        "description": answer["description"],
                        "shape": _type_text(shape) if shape else "no body",
                    }
                )
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op["operationId"],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "media": media,
                    "fields": _fields(doc, content["schema"]) if content else [],
                    "body": _body_text(doc, content["schema"]) if content else "",
                    "body_required": bool(op.get("requestBody", {}).get("required")),
                    "responses": responses,
                }
            )
    return out


def _page(name: str, context: dict[str, Any]) -> HTMLResponse:
    html = _environment().get_template(name).render(**context)
    return HTMLResponse(html, headers={"Content-Security-Policy": "default-src 'self'"})


async def docs_index(request: Request) -> Response:
    apis = [{"name": n, "info": build()["info"]} for n, build in DOCUMENTS.items()]
    return _page("index.html", {"apis": apis})


async def docs_page(request: Request) -> Response:
    name = request.path_params["api"]
    if name not in DOCUMENTS:
        return _unknown(name)
    doc = DOCUMENTS[name]()
    context = {
        "name": name,
        "info": doc["info"],
        "operations": _operations(doc),
        "security": doc["components"].get("securitySchemes", {}),
        "schemas": {
            key: _fields(doc, schema)
            for key, schema in doc["components"]["schemas"].items()
            if schema.get("properties")
        },
    }
    return _page("api.html", context)


routes = [
    Route("/openapi/{api}.json", document_json, methods=["GET", "HEAD"]),
    Route("/docs", docs_index, methods=["GET", "HEAD"]),
    Route("/docs/{api}", docs_page, methods=["GET", "HEAD"]),
]
