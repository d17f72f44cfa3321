"""The `FN` of a contact without `displayName`, and how the reader knows it was derived.

`FN` is required (RFC 6350 §6.2.1, RFC 2426 §3.1.1), so a contact with no display name
gets one derived from its name, else its organisation, else its email. Read back, an
`FN` that merely repeats the structured name is dropped (the name says it already), but
one that repeats the organisation or the email could also be a display name a person
chose: the writer marks the derived ones so that export then import gives back the same
contact (issue 22). An organisation's is marked as Apple marks a company card,
`X-ABShowAs:COMPANY` (so Apple Contacts shows it as the company it is); an email's by an
`X-ROLODEX-DERIVED=email` parameter on the `FN`, which other readers ignore (RFC 6350
§5: unknown `X-` parameters are ignored).
"""

from __future__ import annotations

from typing import Any

from rolodex.contacts.mapping_common import compose_name

SHOW_AS = "X-ABShowAs"
COMPANY = "COMPANY"
DERIVED_PARAM = "X-ROLODEX-DERIVED"
EMAIL = "email"
ORGANIZATION = "organization"


def derived(data: dict[str, Any]) -> tuple[str, str | None]:
    """`FN` for a contact without `displayName`, and where it came from: None for the
    structured name (or nothing at all), else `organization` or `email`."""
    name = compose_name(data.get("name"))
    if name:
        return name, None
    for org in data.get("organizations") or []:
        if isinstance(org, dict) and org.get("name"):
            return str(org["name"]), ORGANIZATION
    for email in data.get("emails") or []:
        if isinstance(email, dict) and email.get("value"):
            return str(email["value"]), EMAIL
    return "", None


def derived_display_name(data: dict[str, Any]) -> str:
    """`FN` for a contact without `displayName`: its name, organisation or email."""
    return derived(data)[0]


def is_show_as_company(kept: dict[str, Any]) -> bool:
    """Whether a kept property is a plain `X-ABShowAs:COMPANY`, the organisation's mark."""
    return (
        str(kept.get("name", "")).upper() == SHOW_AS.upper()
        and str(kept.get("value", "")).strip().upper() == COMPANY
        and not kept.get("group")
        and not kept.get("params")
    )


def derived_mark(data: dict[str, Any], fn_params: dict[str, list[str]]) -> str | None:
    """The source the reader's `displayName` was derived from, by the writer's rules, when
    the card carries the matching mark; None when it is a display name of its own.

    `data` is the read contact with its `displayName`; `fn_params` the `FN`'s parameters.
    """
    display = data.get("displayName")
    rest = {k: v for k, v in data.items() if k != "displayName"}
    text, source = derived(rest)
    if source is None or display != text:
        return None
    if source == EMAIL:
        marked = [v.lower() for v in fn_params.get(DERIVED_PARAM, [])] == [EMAIL]
        return EMAIL if marked and len(fn_params) == 1 else None
    return ORGANIZATION if not fn_params else None
