"""Deleting an account and everything it owns, in one transaction.

What goes (docs/administration.md): the account's contacts (with their tags, search
documents, photos, kept versions, change log, sync tokens and import records), its tags and webhooks
(with their deliveries), its developer apps (and every token those apps were given,
whoever gave it), its credentials of every kind (access and refresh tokens, API keys),
its authorization codes, its web sessions and its team memberships. Every credential
stops working on the next request, since each request reads its credential's row.

Teams: a team whose only owner is this account is deleted with it when the account is
its only member (its contacts go too); when it has other members the deletion is
refused until someone else is made an owner, so that no team is left without one and no
member's shared data disappears behind their back.

A photo's bytes may live outside the database (ROLODEX_PHOTO_STORAGE=filesystem): they
are removed through the photo service right after the transaction commits. A crash in
between leaves files that no row names any more: nobody can reach them (a photo's random
id is its only address), and they only take space until removed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from rolodex.accounts.sessions import SessionService
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.search.backend import backend_for
from rolodex.duplicates.repository import DuplicateRepository
from rolodex.errors import Conflict, NotFound
from rolodex.store import Store
from rolodex.store.schema import (
    accounts,
    address_books,
    book_members,
    changes,
    contact_cards,
    contact_versions,
    credentials,
    deletion_holds,
    group_cards,
    imports,
    oauth_apps,
    oauth_codes,
    oauth_token_grants,
    owner_counts,
    photos,
    sync_tokens,
    tags,
    team_members,
    teams,
    webhook_batches,
    webhooks,
)
from rolodex.teams.model import OWNER

PhotoDiscard = Callable[[Sequence[str]], None]


@dataclass(frozen=True, slots=True)
class DeletedAccount:
    """What the deletion removed, for the CLI's answer."""

    account_id: str
    email: str
    contacts: int
    teams_deleted: list[str]
    teams_left: list[str]


def _teams_of(conn: Connection, account_id: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        select(team_members.c.team_id, team_members.c.role).where(
            team_members.c.account_id == account_id
        )
    ).all()
    return [(r.team_id, r.role) for r in rows]


def _count(conn: Connection, team_id: str, *conditions: object) -> int:
    statement = (
        select(func.count()).select_from(team_members).where(team_members.c.team_id == team_id)
    )
    for condition in conditions:
        statement = statement.where(condition)  # type: ignore[arg-type]
    return int(conn.execute(statement).scalar_one())


def _drop_owner_data(conn: Connection, owner_id: str) -> tuple[int, list[str]]:
    """Remove everything an owner (account or team) holds; its contact count and photo ids."""
    photo_ids = list(
        conn.execute(select(photos.c.photo_id).where(photos.c.owner_id == owner_id)).scalars()
    )
    backend_for(conn.dialect.name).forget_owner(conn, owner_id)
    count = ContactRepository.delete_all_of(conn, owner_id)
    DuplicateRepository.forget_owner(conn, owner_id)
    conn.execute(delete(photos).where(photos.c.owner_id == owner_id))
    conn.execute(delete(tags).where(tags.c.owner_id == owner_id))
    conn.execute(delete(webhook_batches).where(webhook_batches.c.owner_id == owner_id))
    conn.execute(delete(webhooks).where(webhooks.c.owner_id == owner_id))
    conn.execute(delete(changes).where(changes.c.owner_id == owner_id))
    conn.execute(delete(sync_tokens).where(sync_tokens.c.owner_id == owner_id))
    conn.execute(delete(imports).where(imports.c.owner_id == owner_id))
    conn.execute(delete(owner_counts).where(owner_counts.c.owner_id == owner_id))
    conn.execute(delete(contact_cards).where(contact_cards.c.owner_id == owner_id))
    conn.execute(delete(address_books).where(address_books.c.owner_id == owner_id))
    conn.execute(delete(book_members).where(book_members.c.owner_id == owner_id))
    conn.execute(delete(group_cards).where(group_cards.c.owner_id == owner_id))
    # Its contacts' kept versions and the guard's holds (docs/history.md).
    conn.execute(delete(contact_versions).where(contact_versions.c.owner_id == owner_id))
    conn.execute(delete(deletion_holds).where(deletion_holds.c.owner_id == owner_id))
    return count, photo_ids


def _drop_credentials(conn: Connection, account_id: str) -> None:
    """Every credential of the account, and every one issued to the account's apps."""
    app_ids = select(oauth_apps.c.client_id).where(oauth_apps.c.account_id == account_id)
    doomed = select(credentials.c.credential_id).where(
        (credentials.c.account_id == account_id) | credentials.c.client_id.in_(app_ids)
    )
    conn.execute(delete(oauth_token_grants).where(oauth_token_grants.c.credential_id.in_(doomed)))
    conn.execute(
        delete(credentials).where(
            (credentials.c.account_id == account_id) | credentials.c.client_id.in_(app_ids)
        )
    )
    conn.execute(
        delete(oauth_codes).where(
            (oauth_codes.c.account_id == account_id) | oauth_codes.c.client_id.in_(app_ids)
        )
    )
    conn.execute(delete(oauth_apps).where(oauth_apps.c.account_id == account_id))


class AccountDeletion:
    def __init__(self, store: Store, discard_photos: PhotoDiscard) -> None:
        self.store = store
        self.discard_photos = discard_photos

    def delete(self, account_id: str) -> DeletedAccount:
        """Delete the account and all it owns atomically (see the module docstring).

        Refused with Conflict, changing nothing, while the account is the only owner of
        a team that has other members.
        """
        with self.store.write(owner_id=account_id) as conn:
            row = conn.execute(
                select(accounts.c.email).where(accounts.c.account_id == account_id)
            ).first()
            if row is None:
                raise NotFound("no such account", field="email")
            doomed_teams: list[str] = []
            left: list[str] = []
            for team_id, role in _teams_of(conn, account_id):
                sole_owner = (
                    role == OWNER and _count(conn, team_id, team_members.c.role == OWNER) == 1
                )
                if not sole_owner:
                    left.append(team_id)
                elif _count(conn, team_id) > 1:
                    raise Conflict(
                        f"the account is the only owner of team {team_id}, which has other "
                        "members: make one of them an owner first",
                        field="email",
                    )
                else:
                    doomed_teams.append(team_id)
            total, photo_ids = _drop_owner_data(conn, account_id)
            conn.execute(delete(team_members).where(team_members.c.account_id == account_id))
            for team_id in doomed_teams:
                team_total, team_photos = _drop_owner_data(conn, team_id)
                total += team_total
                photo_ids += team_photos
                conn.execute(delete(teams).where(teams.c.team_id == team_id))
            _drop_credentials(conn, account_id)
            SessionService.end_all_in(conn, account_id)
            conn.execute(delete(accounts).where(accounts.c.account_id == account_id))
        self.discard_photos(photo_ids)
        return DeletedAccount(account_id, row.email, total, doomed_teams, left)
