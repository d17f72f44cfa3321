"""`/docs` renders the API documents as pages a person reads: markdown rendered (no literal
backticks), no empty field tables, and no repository paths that lead nowhere on a server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from rolodex.api.openapi.routes import DOCUMENTS

PAGES = ["/docs", *(f"/docs/{name}" for name in DOCUMENTS)]
# A path in the repository (src/rolodex/..., docs/x.md, tests/...), or any Markdown file.
REPO_PATH = re.compile(r"\b(?:src|docs|tests)/[\w./-]+|\b[\w-]+\.md\b")


class _Page(HTMLParser):
    """The visible text of a page, and the number of data rows of each table."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tables: list[int] = []
        self._rows_with_td = 0
        self._in_row_tds = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head"):
            self._hidden += 1
        elif tag == "table":
            self.tables.append(0)
        elif tag == "td" and self.tables:
            self._in_row_tds += 1
        elif tag == "tr":
            self._in_row_tds = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head"):
            self._hidden -= 1
        elif tag == "tr" and self.tables and self._in_row_tds:
            self.tables[-1] += 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _read(client: TestClient, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200
    page = _Page()
    page.feed(response.text)
    return page


@pytest.mark.parametrize("url", PAGES)
def test_docs_show_no_literal_backticks(client: TestClient, url: str) -> None:
    text = "".join(_read(client, url).text)
    assert "`" not in text, text[max(0, text.find("`") - 80) : text.find("`") + 80]


@pytest.mark.parametrize("url", PAGES)
def test_docs_have_no_empty_tables(client: TestClient, url: str) -> None:
    page = _read(client, url)
    assert all(rows > 0 for rows in page.tables), page.tables


@pytest.mark.parametrize("url", PAGES)
def test_docs_name_no_repository_paths(client: TestClient, url: str) -> None:
    text = "".join(_read(client, url).text)
    assert REPO_PATH.findall(text) == []


def test_docs_render_markdown_as_html(client: TestClient) -> None:
    html = client.get("/docs/contactsplus").text
    # The document's description: `POST /api/v1/<method>` becomes code, escaped.
    assert "<code>POST /api/v1/&lt;method&gt;</code>" in html
    # A body with no fields says what it is instead of an empty table.
    account = html[html.index('id="account.get"') :]
    account = account[: account.index("</section>")]
    assert "an empty JSON object, <code>{}</code>" in account


def test_the_json_documents_name_no_repository_paths(client: TestClient) -> None:
    for name in DOCUMENTS:
        assert REPO_PATH.findall(client.get(f"/openapi/{name}.json").text) == []
