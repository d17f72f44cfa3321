"""`account.get`: the caller's own account."""

from __future__ import annotations

from typing import Any

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.timestamps import iso


class AccountGet(Envelope):
    pass


def get(call: Call) -> dict[str, Any]:
    call.parse(AccountGet)
    call.principal.require("account.read")
    account = call.services.accounts.get(call.principal.account_id)
    profile: dict[str, Any] = {"emails": [{"type": "account", "value": account.email}]}
    if account.name:
        given, _, family = account.name.partition(" ")
        name = {"givenName": given}
        if family:
            name["familyName"] = family
        profile["name"] = name
    return {
        "account": {
            "accountId": account.account_id,
            "created": iso(account.created_at),
            "updated": iso(account.updated_at),
            "profileData": profile,
        }
    }
