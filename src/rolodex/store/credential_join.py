"""The bearer-token lookup's columns, and how another read joins them: one named contract.

Every authenticated request reads the credential of a presented secret's hash
(`BY_SECRET`). The busiest call, `contacts.get` of one id, reads that credential and
the account's contact in one statement (on PostgreSQL one round trip instead of two):
a `CredentialJoin`. oauth/credentials.py reads the credential's part of such a row and
the contacts repository builds the statement; both take the columns from here, so
neither depends on the other and the column order is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from rolodex.store.quick_read import Statement

# The credential's columns a lookup reads, in this order (oauth/credentials.py reads them so).
CREDENTIAL_COLUMNS = ("credential_id", "account_id", "kind", "scopes", "expires_at", "revoked_at")

BY_SECRET = Statement.same(
    f"SELECT {', '.join(CREDENTIAL_COLUMNS)} FROM credentials WHERE secret_hash = ?"
)


@dataclass(frozen=True, slots=True)
class CredentialJoin:
    """A read that resolves a secret and fetches the account's rows in one statement.

    Its SQL is `SELECT <CREDENTIAL_COLUMNS of cr>, <select list> FROM credentials cr LEFT
    JOIN <joined> WHERE cr.secret_hash = ?`: `joined` names its table and its join
    condition on `cr.account_id`. Its parameters are the join's, then the secret's hash.
    Each row is the credential's columns, then the select list's (NULLs when the account
    has no such row).
    """

    statement: Statement

    @classmethod
    def of(cls, select_list: Statement, joined: str) -> CredentialJoin:
        """The join of `select_list` (each dialect's, without `SELECT`) over `joined`."""
        return cls(
            Statement(_sql(select_list.sqlite, joined), _sql(select_list.postgresql, joined))
        )

    @staticmethod
    def split(rows: Sequence[Sequence[Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The credential's part of the first row (none when no row), and every row's rest."""
        width = len(CREDENTIAL_COLUMNS)
        return [tuple(row[:width]) for row in rows[:1]], [tuple(row[width:]) for row in rows]


def _sql(select_list: str, joined: str) -> str:
    columns = ", ".join(f"cr.{name}" for name in CREDENTIAL_COLUMNS)
    return (
        f"SELECT {columns}, {select_list} FROM credentials cr"
        f" LEFT JOIN {joined} WHERE cr.secret_hash = ?"
    )


P_co = TypeVar("P_co", covariant=True)


class JoinResolver(Protocol[P_co]):
    """Who resolves a secret with a `CredentialJoin` (oauth's `CredentialService`).

    Named here so that a repository's caller can ask for it without importing oauth/.
    """

    async def resolve_with_async(
        self, secret: str, *, kinds: tuple[str, ...], join: CredentialJoin, params: tuple[Any, ...]
    ) -> tuple[P_co | None, list[tuple[Any, ...]]]: ...
