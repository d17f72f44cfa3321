"""A contact made rich through the Contacts+ API, and ways to look at all three views of it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import PersonalClient, RestClient, personal_for, rest_for

RICH: dict[str, Any] = {
    "name": {"prefix": "Dr.", "givenName": "Ada", "middleName": "Augusta", "familyName": "King"},
    "displayName": "Ada King",
    "emails": [
        {"type": "work", "value": "ada@engines.example"},
        {"type": "home", "value": "ada@home.example"},
        {"type": "other", "value": "countess@lovelace.example"},
    ],
    "phoneNumbers": [
        {"type": "Work", "value": "+44 20 1000 0001"},
        {"type": "mobile", "value": "+44 7700 000001"},
        {"type": "home", "value": "+44 20 1000 0003"},
        {"type": "business", "value": "+44 20 1000 0002"},
        {"type": "Cell", "value": "+44 7700 000002"},
        {"type": "home", "value": "+44 20 1000 0004"},
        {"type": "other", "value": "+44 20 1000 0005"},
        {"type": "workFax", "value": "+44 20 1000 0006"},
        {"type": "homeFax", "value": "+44 20 1000 0007"},
        {"type": "pager", "value": "+44 20 1000 0008"},
        {"type": "mobile", "value": "+44 7700 000003"},
    ],
    "addresses": [
        {
            "type": "home",
            "street": "12 St James's Square",
            "city": "London",
            "postalCode": "SW1Y 4JH",
            "country": "UK",
        },
        {"type": "work", "formatted": "1 Engine Row, Cambridge"},
    ],
    "organizations": [
        {"name": "Analytical Engines", "title": "Programmer", "department": "Notes"},
        {"name": "Royal Society", "title": "Guest"},
    ],
    "urls": [{"type": "blog", "value": "https://ada.example"}],
    "ims": [{"type": "xmpp", "value": "ada@jabber.example"}],
    "relatedPeople": [{"type": "mentor", "value": "Charles Babbage"}],
    "dates": [{"type": "anniversary", "month": 7, "day": 8, "year": 1835}],
    "birthday": {"month": 12, "day": 10, "year": 1815},
    "notes": "Wrote the first program.",
    "items": [
        {"type": "shoe size", "value": "38"},
        {"type": "pet", "value": "cat"},
        {"value": "an untyped item"},
        {"type": "pet", "value": "second pet"},
    ],
}


@dataclass
class Views:
    """One account, reachable through all three APIs."""

    user: ApiUser
    personal: PersonalClient
    rest: RestClient

    def canonical(self, contact_id: str) -> dict[str, Any]:
        [contact] = self.user.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
        return dict(contact)

    def tag_names(self, contact_id: str) -> list[str]:
        tag_ids = self.canonical(contact_id)["contactMetadata"]["tagIds"]
        if not tag_ids:
            return []
        tags = self.user.ok("tags.get", {"tagIds": tag_ids})["tags"]
        return sorted((t["tagData"]["name"] for t in tags), key=str.casefold)

    def make_rich(self) -> str:
        """A rich contact made through Contacts+, tagged, with stage, location and favorite."""
        contact = self.user.create(copy.deepcopy(RICH))
        tag_ids = [
            self.user.ok("tags.create", {"tag": {"tagData": {"name": name}}})["tag"]["tagId"]
            for name in ("Friends", "Mathematics")
        ]
        self.user.ok(
            "contacts.manageTags", {"contactIds": [contact["contactId"]], "addTagIds": tag_ids}
        )
        put = self.rest.request(
            "PUT",
            f"/{contact['contactId']}",
            json={
                "name": "Ada King",
                "phoneNumber": "+44 20 1000 0001",
                "stage": "Customer",
                "location": {"id": "ldn", "title": "London"},
            },
        )
        assert put.status_code == 200, put.text
        fav = self.personal.request("POST", f"/{contact['contactId']}/favorite")
        assert fav.status_code == 200
        after = self.canonical(contact["contactId"])
        assert after["contactData"] == RICH
        return str(contact["contactId"])


def views_for(user: ApiUser, services: Services) -> Views:
    return Views(user, personal_for(user), rest_for(user, services))
