"""The team service: teams, their members, who may act on a team's data, and contact owners.

Membership is read from the store on every call that names a team (no cache), so
removing a member takes their access away at once. A team that does not exist and a
team the caller is not a member of are refused with the same NotFound.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import Conflict, InvalidInput, NotFound
from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.teams.model import (
    ADMIN,
    OWNER,
    TEAM_ID_PREFIX,
    Team,
    check_role,
    clean_team_name,
)
from rolodex.teams.repository import TeamRepository
from rolodex.timestamps import now_ms


def _no_such_team() -> NotFound:
    return NotFound("no such team", field="teamId")


class TeamService:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts
        self.repo = TeamRepository

    # -- access ------------------------------------------------------------------------

    def require_member(self, team_id: str, account_id: str) -> None:
        """Refuse (as an unknown team) unless the account is a member of the team now."""
        with self.store.read() as conn:
            if self.repo.role_of(conn, team_id, account_id) is None:
                raise _no_such_team()

    def require_manager(self, team_id: str, account_id: str) -> None:
        """Refuse unless the account may change the team's members (an owner or an admin).

        A non-member gets the same NotFound as for an unknown team, so it learns nothing.
        """
        with self.store.read() as conn:
            role = self.repo.role_of(conn, team_id, account_id)
        if role is None:
            raise _no_such_team()
        if role not in (OWNER, ADMIN):
            raise InvalidInput(
                "only the team's owners and admins can change its members", field="teamId"
            )

    # -- reads -------------------------------------------------------------------------

    def teams_of(self, account_id: str) -> list[Team]:
        """The teams the account belongs to, oldest first, each with its members."""
        with self.store.read() as conn:
            ids = self.repo.team_ids_of(conn, account_id)
            found = self.repo.by_ids(conn, ids)
        return [found[i] for i in ids if i in found]

    def get(self, team_id: str) -> Team:
        with self.store.read() as conn:
            found = self.repo.by_ids(conn, [team_id])
        if team_id not in found:
            raise _no_such_team()
        return found[team_id]

    # -- management (the CLI and the web page; not in the Contacts+ API) ----------------

    def create(self, owner_account_id: str, name: str) -> Team:
        """A new team whose first member, with the role `owner`, is the given account."""
        now = now_ms()
        team = Team(new_id(TEAM_ID_PREFIX), clean_team_name(name), now, now)
        with self.store.write(owner_id=team.team_id) as conn:
            self.repo.insert(conn, team)
            self.repo.add_member(conn, team.team_id, owner_account_id, OWNER, now)
        return self.get(team.team_id)

    def add_member(
        self, team_id: str, account_id: str, role: str = "member", *, actor_id: str | None = None
    ) -> Team:
        """Add an account to the team with a role (owner, admin or member).

        With `actor_id` (the web page), the one asking must be an owner or admin of the
        team; without it (the operator's CLI) no one is asking on a member's behalf.
        """
        if actor_id is not None:
            self.require_manager(team_id, actor_id)
        check_role(role)
        self.get(team_id)
        now = now_ms()
        try:
            with self.store.write(owner_id=team_id) as conn:
                if self.repo.role_of(conn, team_id, account_id) is not None:
                    raise Conflict("already a member of this team", field="email")
                self.repo.add_member(conn, team_id, account_id, role, now)
                self.repo.touch(conn, team_id, now)
        except IntegrityError:
            raise Conflict("already a member of this team", field="email") from None
        return self.get(team_id)

    def remove_member(self, team_id: str, account_id: str, *, actor_id: str | None = None) -> Team:
        """Take an account out of the team; its access to the team's data ends at once.

        A team keeps at least one owner. The contacts the member owned keep `ownedBy`
        until someone changes it (contacts.changeOwner), so the history is not rewritten.
        With `actor_id`, the one asking must be an owner or admin (as for add_member).
        """
        if actor_id is not None:
            self.require_manager(team_id, actor_id)
        self.get(team_id)
        with self.store.write(owner_id=team_id) as conn:
            role = self.repo.role_of(conn, team_id, account_id)
            if role is None:
                raise NotFound("not a member of this team", field="email")
            if role == OWNER and self.repo.count_role(conn, team_id, OWNER) == 1:
                raise Conflict("a team keeps at least one owner", field="email")
            self.repo.remove_member(conn, team_id, account_id)
            self.repo.touch(conn, team_id, now_ms())
        return self.get(team_id)

    # -- team contacts -----------------------------------------------------------------

    def change_owner(
        self, team_id: str, contact_ids: Sequence[str], owner_id: str | None
    ) -> list[Contact]:
        """Set (or, with None, clear) `ownedBy` on many team contacts, atomically.

        The owner must be a member of the team now (400 otherwise), and every id a live
        contact of the team (400 naming the others); then nothing changes. Contacts whose
        owner changes get a new etag and `updated` and an `updated` change; the answer is
        every named contact, in the order asked.
        """
        limit = self.contacts.limits.max_ids_per_get
        if len(contact_ids) > limit:
            raise InvalidInput(f"at most {limit} ids per call", field="contactIds")
        wanted = list(dict.fromkeys(contact_ids))
        with self.store.write(owner_id=team_id) as conn:
            if owner_id is not None and self.repo.role_of(conn, team_id, owner_id) is None:
                raise InvalidInput("not a member of this team", field="ownerId")
            found = ContactRepository.by_ids(conn, team_id, wanted, for_update=True)
            missing = [i for i in wanted if i not in found]
            if missing:
                raise InvalidInput(
                    f"unknown contact id(s): {', '.join(missing)}",
                    field="contactIds",
                    details=[
                        {"field": "contactIds", "problem": f"unknown contact id: {i}"}
                        for i in missing
                    ],
                )
            for contact_id in wanted:
                self._set_owner(conn, found[contact_id], owner_id)
        return [found[i] for i in wanted]

    def _set_owner(self, conn: Connection, contact: Contact, owner_id: str | None) -> None:
        if contact.meta.get("ownedBy") == owner_id:
            return
        if owner_id is None:
            contact.meta.pop("ownedBy", None)
        else:
            contact.meta["ownedBy"] = owner_id
        self.contacts.record_in(conn, contact)
