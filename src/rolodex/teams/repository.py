"""SQL for teams and their members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from rolodex.store.schema import accounts, team_members, teams
from rolodex.teams.model import Member, Team


class TeamRepository:
    @staticmethod
    def insert(conn: Connection, team: Team) -> None:
        conn.execute(
            insert(teams).values(
                team_id=team.team_id,
                name=team.name,
                created_at=team.created_at,
                updated_at=team.updated_at,
            )
        )

    @staticmethod
    def touch(conn: Connection, team_id: str, now: int) -> None:
        conn.execute(update(teams).where(teams.c.team_id == team_id).values(updated_at=now))

    @staticmethod
    def role_of(conn: Connection, team_id: str, account_id: str) -> str | None:
        """The account's role in the team, or None when it is not a member (or no such team)."""
        return conn.execute(
            select(team_members.c.role).where(
                team_members.c.team_id == team_id, team_members.c.account_id == account_id
            )
        ).scalar()

    @staticmethod
    def add_member(conn: Connection, team_id: str, account_id: str, role: str, now: int) -> None:
        conn.execute(
            insert(team_members).values(
                team_id=team_id, account_id=account_id, role=role, created_at=now
            )
        )

    @staticmethod
    def remove_member(conn: Connection, team_id: str, account_id: str) -> None:
        conn.execute(
            delete(team_members).where(
                team_members.c.team_id == team_id, team_members.c.account_id == account_id
            )
        )

    @staticmethod
    def count_role(conn: Connection, team_id: str, role: str) -> int:
        rows = conn.execute(
            select(team_members.c.account_id).where(
                team_members.c.team_id == team_id, team_members.c.role == role
            )
        )
        return len(rows.all())

    @staticmethod
    def team_ids_of(conn: Connection, account_id: str) -> list[str]:
        rows = conn.execute(
            select(team_members.c.team_id)
            .join(teams, teams.c.team_id == team_members.c.team_id)
            .where(team_members.c.account_id == account_id)
            .order_by(teams.c.created_at, teams.c.team_id)
        )
        return [row.team_id for row in rows]

    @staticmethod
    def by_ids(conn: Connection, team_ids: Iterable[str]) -> dict[str, Team]:
        """Teams with their members (oldest member first), in one query each (no N+1)."""
        ids = list(team_ids)
        if not ids:
            return {}
        found = {
            row.team_id: Team(row.team_id, row.name, row.created_at, row.updated_at)
            for row in conn.execute(select(teams).where(teams.c.team_id.in_(ids)))
        }
        members: dict[str, list[Member]] = defaultdict(list)
        rows = conn.execute(
            select(
                team_members.c.team_id,
                team_members.c.account_id,
                team_members.c.role,
                accounts.c.name,
                accounts.c.email,
            )
            .join(accounts, accounts.c.account_id == team_members.c.account_id)
            .where(team_members.c.team_id.in_(ids))
            .order_by(team_members.c.created_at, team_members.c.account_id)
        )
        for row in rows:
            members[row.team_id].append(Member(row.account_id, row.name, row.email, row.role))
        for team_id, team in found.items():
            team.members = members.get(team_id, [])
        return found
