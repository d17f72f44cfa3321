"""`teams.get`: the teams the caller belongs to."""

from __future__ import annotations

from typing import Any

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.contactsplus_objects import render_team


class TeamsGet(Envelope):
    pass


def get(call: Call) -> dict[str, Any]:
    call.parse(TeamsGet)
    call.principal.require("teams.read")
    teams = call.services.teams.teams_of(call.principal.account_id)
    return {"teams": [render_team(t) for t in teams]}
