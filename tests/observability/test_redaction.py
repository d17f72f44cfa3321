"""What redaction takes out of text, query strings and log records."""

from __future__ import annotations

import pytest

from rolodex.observability.redaction import REDACTED, redact_path, redact_query, scrub


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer rdx_at_abcdefghijklmnop", "abcdefghijklmnop"),
        ("header was bearer s3cr3t-t0ken.value", "s3cr3t-t0ken.value"),
        ("Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
        ("key rdx_key_Zm9vYmFyYmF6cXV4 leaked", "Zm9vYmFyYmF6cXV4"),
        ("POST /x?code=rdx_code_123456&state=ok", "123456"),
        ("password=hunter22&email=a@example.com", "hunter22"),
        ("client_secret=abc123xyz", "abc123xyz"),
        ('{"refresh_token": "tok-9876", "name": "x"}', "tok-9876"),
        ("cookie: rolodex_session=eyJhIjoiYiJ9.sig", "eyJhIjoiYiJ9.sig"),
        ("x-api-key=plain-key-value", "plain-key-value"),
    ],
)
def test_credentials_are_scrubbed_from_any_text(text: str, secret: str) -> None:
    cleaned = scrub(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_ordinary_text_is_left_alone() -> None:
    text = "GET /api/v1/contacts.scroll 200 in 3 ms for 10.0.0.1"
    assert scrub(text) == text


def test_secret_query_parameters_are_redacted_and_others_kept() -> None:
    query = "client_id=app1&code=abc&state=xyz&access_token=t1&countryCode=US&page=2"
    cleaned = redact_query(query)
    for secret in ("abc", "t1"):
        assert f"={secret}" not in cleaned
    for kept in ("client_id=app1", "state=xyz", "countryCode=US", "page=2"):
        assert kept in cleaned


def test_photo_ids_are_cut_short_in_paths() -> None:
    photo_id = "p_" + "A" * 30
    assert photo_id not in redact_path(f"/photos/{photo_id}")
    assert redact_path("/v1/contacts/abc") == "/v1/contacts/abc"
