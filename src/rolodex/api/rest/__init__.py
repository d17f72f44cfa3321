"""The REST contacts API (specs/rest-contacts-api.txt) at `/v1/contacts`.

Routes are in `routes.py`, the handlers in `contacts.py`, the error shape in `errors.py`;
the field mapping onto the canonical contact is `rolodex.contacts.mapping_rest`.
"""
