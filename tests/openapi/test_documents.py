"""The OpenAPI documents: well formed, served, rendered, and in step with the routes.

`test_every_served_operation_is_documented_and_back` walks the app's routes and the
Contacts+ METHODS table and probes each path with every HTTP method: an operation is
served exactly when the document has it. tests/openapi/test_examples.py checks real
answers against the documents' response schemas.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route
from starlette.testclient import TestClient

from rolodex.api.carddav.routes import routes as carddav_routes
from rolodex.api.contactsplus.photos import METHOD as UPLOAD_PHOTO
from rolodex.api.contactsplus.routes import METHODS
from rolodex.api.contactsplus.routes import routes as method_routes
from rolodex.api.openapi.routes import DOCUMENTS
from rolodex.api.openapi.routes import routes as openapi_routes
from rolodex.oauth.scopes import SCOPES
from rolodex.web.routes import routes as web_routes
from tests.openapi.conformance import document

PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Pages and plumbing, not API operations: the web pages (docs/accounts.md), the health
# check, the documents themselves, the catch-all 404 routes under each API's prefix, and
# CardDAV (a WebDAV protocol, described by its RFCs and docs/carddav.md, not OpenAPI).
NOT_API = {"/healthz"} | {
    getattr(r, "path", "") for r in [*web_routes, *openapi_routes, *carddav_routes]
}


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return found + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_well_formed(name: str) -> None:
    doc = document(name)
    assert doc["openapi"] == "3.1.0"
    schemas = doc["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    for target in _refs(doc):
        assert target.startswith("#/components/schemas/"), target
        assert target.rsplit("/", 1)[1] in schemas, f"{name}: {target} names nothing"
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)), f"{name}: operationIds repeat"
    for item in doc["paths"].values():
        for op in item.values():
            assert any(s.startswith("2") for s in op["responses"]), op["operationId"]
            for link in _links(op):
                assert link["operationId"] in ids, link


def _links(op: dict[str, Any]) -> list[dict[str, Any]]:
    return [link for r in op["responses"].values() for link in r.get("links", {}).values()]


def test_security_schemes() -> None:
    contactsplus = document("contactsplus")["components"]["securitySchemes"]
    assert contactsplus["bearer"] == {**contactsplus["bearer"], "type": "http", "scheme": "bearer"}
    flow = contactsplus["oauth2"]["flows"]["authorizationCode"]
    assert flow["scopes"] == SCOPES
    assert flow["authorizationUrl"] == "/oauth/authorize"
    rest = document("rest")["components"]["securitySchemes"]["apiKey"]
    assert (rest["type"], rest["in"], rest["name"]) == ("apiKey", "header", "x-api-key")
    personal = document("personal")["components"]["securitySchemes"]["bearer"]
    assert (personal["type"], personal["scheme"]) == ("http", "bearer")


def test_each_api_keeps_its_error_shape() -> None:
    shapes = {name: document(name)["components"]["schemas"]["Error"] for name in DOCUMENTS}
    assert shapes["contactsplus"]["required"] == ["error"]
    assert set(shapes["contactsplus"]["properties"]["error"]["properties"]) == {
        "code",
        "message",
        "field",
        "details",
    }
    assert shapes["rest"]["required"] == ["message"]
    assert set(shapes["rest"]["properties"]) == {"message"}
    item = shapes["personal"]["properties"]["errors"]["items"]
    assert item["required"] == ["code", "message", "detail"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_served_at_a_stable_url(client: TestClient, name: str) -> None:
    response = client.get(f"/openapi/{name}.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == document(name)


def test_unknown_document_is_a_404(client: TestClient) -> None:
    assert client.get("/openapi/nothing.json").status_code == 404
    assert client.get("/docs/nothing").status_code == 404


def test_docs_pages_show_every_operation(client: TestClient) -> None:
    index = client.get("/docs")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    for name in DOCUMENTS:
        assert f'href="/docs/{name}"' in index.text
        page = client.get(f"/docs/{name}")
        assert page.status_code == 200
        assert "<script" not in page.text
        for path, item in document(name)["paths"].items():
            for method, op in item.items():
                assert f"<code>{method.upper()} {path}</code>" in page.text
                assert f'id="{op["operationId"]}"' in page.text


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "probe", path)


def _served_paths(client: TestClient) -> set[str]:
    """Every API path template the app routes, the generic method route expanded."""
    paths: set[str] = set()
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or route.path in NOT_API or ":path}" in route.path:
            continue
        if route.path in {r.path for r in method_routes}:  # `/api/v1/{method}`
            paths.update(f"/api/v1/{name}" for name in METHODS)
        else:
            paths.add(route.path)
    return paths


def test_every_served_operation_is_documented_and_back(client: TestClient) -> None:
    documented: set[tuple[str, str]] = set()
    for name in DOCUMENTS:
        for path, item in document(name)["paths"].items():
            documented.update((method.upper(), path) for method in item if method != "head")
    served: set[tuple[str, str]] = set()
    for path in _served_paths(client):
        for method in PROBED:
            # No credential: a served operation refuses it (401/403) or, for a public one,
            # answers; only a method the path does not serve is a 405.
            if client.request(method, _concrete(path)).status_code != 405:
                served.add((method, path))
    assert f"/api/v1/{UPLOAD_PHOTO}" in {p for _, p in served}
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"
