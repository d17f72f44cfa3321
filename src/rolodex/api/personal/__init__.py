"""The personal contacts API (specs/personal-contacts-api.txt) at `/api/user/contacts`.

Routes are in `routes.py`, the handlers in `contacts.py`, the error shape in `errors.py`;
the field mapping onto the canonical contact is `rolodex.contacts.mapping_personal`.
"""
