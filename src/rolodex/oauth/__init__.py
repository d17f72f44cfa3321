"""Credentials and scopes: how a bearer secret becomes a principal."""
