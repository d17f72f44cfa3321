"""The Contacts+ API (specs/contactsplus-api.txt): `POST /api/v1/<method>` with JSON bodies.

The method table is in `routes.py`; each method's code is in the module named after its
first word (`contacts.get` is in `contacts.py`, `account.get` in `account.py`).
"""
