"""Contacts: the canonical contact, its rules and its service."""
