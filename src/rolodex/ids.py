"""Identifiers: random, URL-safe, unguessable, so that ids never leak counts or order."""

from __future__ import annotations

import secrets


def new_id(prefix: str = "") -> str:
    """A fresh 128-bit random identifier, URL-safe, with an optional readable prefix."""
    return prefix + secrets.token_urlsafe(16)


def new_etag() -> str:
    """A fresh etag; random rather than a counter so that it says nothing about history."""
    return secrets.token_hex(8)
