"""Accounts: creating, reading, changing them (name, email, password).

Deleting one is `rolodex.accounts.deletion`; sessions are `rolodex.accounts.sessions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from rolodex.accounts.passwords import hash_password, verify_password
from rolodex.accounts.sessions import SessionService
from rolodex.accounts.validation import (
    check_email,
    check_name,
    check_password,
    is_plausible_email,
    normalise_email,
)
from rolodex.errors import Conflict, InvalidInput, NotFound
from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.store.schema import accounts
from rolodex.timestamps import now_ms


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    email: str
    name: str
    created_at: int
    updated_at: int


def _row_to_account(row: object) -> Account:
    m = row._mapping  # type: ignore[attr-defined]
    return Account(
        account_id=m["account_id"],
        email=m["email"],
        name=m["name"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


class AccountService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, email: str, password: str, name: str = "") -> Account:
        """Create an account; the email is unique (case-insensitively), the password stored as
        argon2. Bad input (a control character in any field, NUL included) is InvalidInput
        naming the field, on SQLite and PostgreSQL alike."""
        # One validation for every way in and both stores (accounts/validation.py).
        email = check_email(email)
        password = check_password(password)
        name = check_name(name)
        now = now_ms()
        account = Account(new_id("a_"), email, name, now, now)
        try:
            with self.store.write() as conn:
                conn.execute(
                    insert(accounts).values(
                        account_id=account.account_id,
                        email=email,
                        name=name,
                        password_hash=hash_password(password),
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError as exc:
            raise Conflict("an account with this email exists", field="email") from exc
        return account

    def get(self, account_id: str) -> Account:
        with self.store.read() as conn:
            return self.get_in(conn, account_id)

    @staticmethod
    def get_in(conn: Connection, account_id: str) -> Account:
        row = conn.execute(select(accounts).where(accounts.c.account_id == account_id)).first()
        if row is None:
            raise NotFound("no such account")
        return _row_to_account(row)

    def find_by_email(self, email: str) -> Account:
        if not is_plausible_email(normalise_email(email)):
            raise NotFound("no account with this email", field="email")
        with self.store.read() as conn:
            row = conn.execute(
                select(accounts).where(accounts.c.email == normalise_email(email))
            ).first()
        if row is None:
            raise NotFound("no account with this email", field="email")
        return _row_to_account(row)

    def authenticate(self, email: str, password: str) -> Account | None:
        """The account whose email and password these are, or None (same answer for either mistake)."""
        if not is_plausible_email(normalise_email(email)):
            return None
        with self.store.read() as conn:
            row = conn.execute(
                select(accounts).where(accounts.c.email == normalise_email(email))
            ).first()
        if row is None or not verify_password(password, row._mapping["password_hash"]):
            return None
        return _row_to_account(row)

    def list_all(self) -> list[Account]:
        """Every account, oldest first (the operator's `rolodex accounts list`)."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(accounts).order_by(accounts.c.created_at, accounts.c.account_id)
            ).all()
        return [_row_to_account(r) for r in rows]

    def check_password(self, account_id: str, password: str, *, field: str) -> None:
        """Refuse (InvalidInput naming `field`) unless this is the account's password."""
        with self.store.read() as conn:
            row = conn.execute(
                select(accounts.c.password_hash).where(accounts.c.account_id == account_id)
            ).first()
        if row is None:
            raise NotFound("no such account")
        if not verify_password(password, row.password_hash):
            raise InvalidInput("is not your current password", field=field)

    def set_password(
        self,
        account_id: str,
        password: str,
        *,
        keep_session: str | None = None,
        field: str = "password",
    ) -> None:
        """Set a new password and end every web session of the account but `keep_session`.

        One transaction: no moment exists where the new password works and an old
        session (perhaps the reason for the change) still does.
        """
        check_password(password, field)
        digest = hash_password(password)  # slow: before the write transaction, not in it
        with self.store.write() as conn:
            changed = conn.execute(
                update(accounts)
                .where(accounts.c.account_id == account_id)
                .values(password_hash=digest, updated_at=now_ms())
            )
            if not changed.rowcount:
                raise NotFound("no such account", field="email")
            SessionService.end_all_in(conn, account_id, except_id=keep_session)

    def update_profile(self, account_id: str, *, name: str, email: str) -> Account:
        """Change the account's name and email (unique, case-insensitively)."""
        email = check_email(email)
        name = check_name(name)
        try:
            with self.store.write() as conn:
                taken = conn.execute(
                    select(accounts.c.account_id).where(
                        accounts.c.email == email, accounts.c.account_id != account_id
                    )
                ).first()
                if taken is not None:
                    raise Conflict("another account has this email", field="email")
                conn.execute(
                    update(accounts)
                    .where(accounts.c.account_id == account_id)
                    .values(email=email, name=name, updated_at=now_ms())
                )
                return self.get_in(conn, account_id)
        except IntegrityError as exc:
            raise Conflict("another account has this email", field="email") from exc
