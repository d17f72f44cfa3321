"""What an account's email, password and name may be: one set of rules for every way an
account is made (the sign-up page, `rolodex accounts create`, tests' factories) and for
both stores.

A NUL byte is where the stores differ (SQLite keeps it, PostgreSQL refuses the text with
an error), so control characters are refused here, before the store sees them
(rolodex/controls.py).
"""

from __future__ import annotations

import re

from rolodex.controls import has_control_character
from rolodex.errors import InvalidInput

# Deliberately loose: one @, something on each side, a dot in the domain. Deliverability
# is the mail system's business; this only catches typos like a missing @.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 320
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 256


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_plausible_email(email: str) -> bool:
    """Whether a normalised email could belong to an account (so is worth looking up)."""
    return (
        len(email) <= MAX_EMAIL_LENGTH
        and not has_control_character(email)
        and _EMAIL.match(email) is not None
    )


def check_email(email: str) -> str:
    """The email, normalised (trimmed, lower case), or InvalidInput naming `email`."""
    email = normalise_email(email)
    if has_control_character(email):
        raise InvalidInput("may not contain control characters", field="email")
    if not is_plausible_email(email):
        raise InvalidInput("not a valid email address", field="email")
    return email


def check_password(password: str, field: str = "password") -> str:
    """The password, unchanged, or InvalidInput naming `field` (the form's name for it)."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters",
            field=field,
        )
    if has_control_character(password):
        raise InvalidInput("may not contain control characters", field=field)
    return password


def check_name(name: str) -> str:
    """The display name, trimmed, or InvalidInput naming `name`."""
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"must be at most {MAX_NAME_LENGTH} characters", field="name")
    if has_control_character(name):
        raise InvalidInput("may not contain control characters", field="name")
    return name
