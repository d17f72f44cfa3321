"""Control characters in text a person types: names, emails, passwords.

PostgreSQL refuses a NUL byte in any text value and SQLite stores it, so without one
check of our own the same input made an account on one store and a 500 on the other.
Other C0/C1 controls (a tab, an escape, a newline in an email) are never meant either:
they are refused too, with a message that says so, before anything reaches the store.
"""

from __future__ import annotations

import re

# Unicode category Cc: U+0000-U+001F and U+007F-U+009F.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_character(value: str) -> bool:
    """Whether `value` holds a control character (category Cc), NUL included."""
    return _CONTROL.search(value) is not None
