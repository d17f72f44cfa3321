"""Validation problems in Rolodex's own words, for people: never pydantic's.

Pydantic says "Input should be a valid dictionary or instance of Name"; a person reading
an API's error wants "must be an object". Every API builds its 400s from
`contacts.model.validation_problems`, which asks here for each problem's sentence, so
the wording is the same in the three dialects and each keeps its own error shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/)
# whose sentence needs nothing from the error's context.
_FIXED = {
    "missing": "is required",
    "extra_forbidden": "unknown field",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "set_type": "must be a list",
    "string_type": "must be a string",
    "string_unicode": "must be a string",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "none_required": "must be null",
    "string_pattern_mismatch": "is not in the expected format",
    "url_parsing": "must be a URL",
    "url_type": "must be a URL",
    "url_scheme": "must be an http or https URL",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "datetime_type": "must be a date and time (ISO 8601)",
    "datetime_parsing": "must be a date and time (ISO 8601)",
    "union_tag_invalid": "is not one of the kinds this field takes",
    "union_tag_not_found": "is missing the field that says its kind",
}


def _items(n: object) -> str:
    return "1 item" if n == 1 else f"{n} items"


def sentence(error: Mapping[str, Any]) -> str:
    """The sentence for one pydantic error (an item of `ValidationError.errors()`).

    It is the part after the field's name: "contactData.name: must be an object".
    """
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        low = ctx.get("min_length")
        return "must not be empty" if low == 1 else f"must be at least {low} characters"
    if kind == "too_long":
        return f"must have at most {_items(ctx.get('max_length'))}"
    if kind == "too_short":
        low = ctx.get("min_length")
        return "must not be empty" if low == 1 else f"must have at least {_items(low)}"
    bounds = {
        "greater_than": "must be greater than {gt}",
        "greater_than_equal": "must be at least {ge}",
        "less_than": "must be less than {lt}",
        "less_than_equal": "must be at most {le}",
        "multiple_of": "must be a multiple of {multiple_of}",
    }
    if kind in bounds:
        return bounds[kind].format(**ctx)
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected', 'the allowed values')}"
    message = str(error.get("msg", "is not valid"))
    # A validator's own ValueError reads "Value error, <our words>": keep only ours.
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if message[1:2].isupper():  # an acronym ("URL ...") keeps its capitals
        return message
    return message[:1].lower() + message[1:]
