"""App passwords: the HTTP Basic passwords CardDAV clients sign in with.

A phone or a desktop address book signs in with the account's email and an app
password (DESIGN.md, "Address books, vCard and CardDAV"; docs/carddav.md): a named,
revocable secret made on `/settings/app-passwords`, the connect page or with
`rolodex app-passwords create`, shown once. It is a row of `credentials` of kind
`app_password`, stored as the SHA-256 of the secret like every other credential: the
secret is 256 bits of randomness, so a fast hash is enough, and checking one is a
single indexed lookup by that hash, with no argon2 per request (a sync is dozens of
requests). A read-only password gets the read scopes alone (`APP_PASSWORD_READ_SCOPES`).

The account's own password is refused over Basic unless `carddav_allow_account_password`
is set; then it is checked with argon2 once and the success remembered for a few
minutes (`PasswordMemory`), never past a password change.

Failures go through the web login's throttle (`LoginThrottle`, per client address and
per address and account; its counts are shared with `/login`, since both are guesses at
one account). A live app password is accepted before the throttle is consulted: nobody
guesses 256 bits, and the owner's phone keeps syncing while a stranger on the same
network guesses. When the use is more than a minute after the last one written, the
time and the client's User-Agent are written (`last_used_at`, `last_client`), so a
sync burst does not make a write per request.

The protocol layer (api/carddav/) answers a refused request 401 with
`WWW-Authenticate: Basic realm="Rolodex"`, or 429 with `Retry-After` when
`check_basic` says to wait. `verify_basic` and `check_basic` are synchronous (argon2,
store writes): call them from a worker thread, not on the event loop.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from rolodex.accounts.login_throttle import LoginThrottle
from rolodex.accounts.passwords import verify_password
from rolodex.accounts.validation import MAX_PASSWORD_LENGTH, is_plausible_email, normalise_email
from rolodex.controls import has_control_character
from rolodex.errors import InvalidInput, NotFound
from rolodex.oauth.credentials import APP_PASSWORD, CredentialService, Principal, hash_secret
from rolodex.oauth.password_memory import PasswordMemory, memory_key
from rolodex.oauth.scopes import (
    APP_PASSWORD_READ_SCOPES,
    APP_PASSWORD_WRITE_SCOPES,
    stored_scopes,
)
from rolodex.store import Store
from rolodex.store.quick_read import Statement
from rolodex.store.schema import credentials
from rolodex.timestamps import now_ms

# The kind of principal the account's own password gives (no credential row behind it).
ACCOUNT_PASSWORD = "account_password"
MAX_NAME_LENGTH = 100
MAX_CLIENT_LENGTH = 256
# The last use is written at most this often per password.
TOUCH_INTERVAL_SECONDS = 60
# Longer than any secret Rolodex makes: not worth hashing.
_MAX_SECRET_LENGTH = 256

# Run on every CardDAV request, so straight on the driver (store/quick_read.py): the
# credential of a secret's hash, with its account's email, in one indexed lookup.
_BY_SECRET = Statement.same(
    "SELECT cr.credential_id, cr.account_id, cr.kind, cr.scopes, cr.revoked_at,"
    " cr.last_used_at, a.email, cr.name FROM credentials cr"
    " JOIN accounts a ON a.account_id = cr.account_id WHERE cr.secret_hash = ?"
)
_ACCOUNT_BY_EMAIL = Statement.same("SELECT account_id, password_hash FROM accounts WHERE email = ?")


@dataclass(frozen=True, slots=True)
class IssuedAppPassword:
    """An app password just made: the only time its `password` is visible."""

    credential_id: str
    password: str
    name: str
    read_only: bool
    created_at: int


@dataclass(frozen=True, slots=True)
class AppPasswordInfo:
    """A live app password as its owner sees it: never the secret."""

    credential_id: str
    name: str
    read_only: bool
    created_at: int
    last_used_at: int | None
    last_client: str | None


@dataclass(frozen=True, slots=True)
class BasicCheck:
    """The outcome of one Basic sign-in: a principal, or none (and then, when the client
    must wait before trying again, `retry_after` seconds)."""

    principal: Principal | None
    retry_after: int = 0
    # The app password's name, which a kept version names as who made a change.
    name: str | None = None


def check_name(name: str) -> str:
    """A password's name, trimmed, or InvalidInput naming `name`: one is needed to tell
    devices apart on the list."""
    name = name.strip()
    if not name:
        raise InvalidInput("give the password a name (the device it is for)", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"must be at most {MAX_NAME_LENGTH} characters", field="name")
    if has_control_character(name):
        raise InvalidInput("may not contain control characters", field="name")
    return name


def client_label(user_agent: str) -> str:
    """What is kept of a User-Agent: its printable characters, at most 256."""
    return "".join(ch for ch in user_agent if ch.isprintable())[:MAX_CLIENT_LENGTH]


class AppPasswordService:
    def __init__(
        self,
        store: Store,
        throttle: LoginThrottle,
        *,
        allow_account_password: bool | Callable[[], bool] = False,
        memory: PasswordMemory | None = None,
    ) -> None:
        self.store = store
        self.throttle = throttle
        # A callable reads the setting at each sign-in (the wiring passes the settings'),
        # so that changing it needs no rebuild of the services.
        self._allow = allow_account_password
        self.memory = memory if memory is not None else PasswordMemory()

    @property
    def allow_account_password(self) -> bool:
        """Whether the account's own password is accepted over Basic now."""
        return self._allow() if callable(self._allow) else self._allow

    def create(self, account_id: str, name: str, read_only: bool = False) -> IssuedAppPassword:
        """Make an app password for the account, in one transaction; InvalidInput naming
        `name` for a missing, long or control-character name (nothing is written)."""
        name = check_name(name)
        scopes = APP_PASSWORD_READ_SCOPES if read_only else APP_PASSWORD_WRITE_SCOPES
        with self.store.write() as conn:
            issued = CredentialService.issue_in(
                conn, account_id, scopes, kind=APP_PASSWORD, ttl_seconds=None, name=name
            )
        return IssuedAppPassword(
            issued.credential_id, issued.secret, name, read_only, issued.created_at
        )

    def list(self, account_id: str) -> builtins.list[AppPasswordInfo]:
        """The account's live app passwords, newest first (a revoked one is gone)."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(credentials)
                .where(
                    credentials.c.account_id == account_id,
                    credentials.c.kind == APP_PASSWORD,
                    credentials.c.revoked_at.is_(None),
                )
                .order_by(credentials.c.created_at.desc(), credentials.c.credential_id)
            ).all()
        return [
            AppPasswordInfo(
                credential_id=r.credential_id,
                name=r.name or "",
                read_only="contacts.write" not in stored_scopes(r.scopes),
                created_at=r.created_at,
                last_used_at=r.last_used_at,
                last_client=r.last_client,
            )
            for r in rows
        ]

    def revoke(self, account_id: str, credential_id: str) -> None:
        """Revoke one of the account's live app passwords: the next request with it is
        refused. NotFound (naming `id`) when the account has no such password, another
        account's included, so nobody learns which ids exist."""
        with self.store.write() as conn:
            result = conn.execute(
                update(credentials)
                .where(
                    credentials.c.account_id == account_id,
                    credentials.c.credential_id == credential_id,
                    credentials.c.kind == APP_PASSWORD,
                    credentials.c.revoked_at.is_(None),
                )
                .values(revoked_at=now_ms())
            )
        if not result.rowcount:
            raise NotFound("no such app password", field="id")

    def verify_basic(
        self, email: str, password: str, *, client_address: str, user_agent: str
    ) -> Principal | None:
        """The principal of a Basic sign-in (kind `app_password`, or `account_password`
        when the setting allows it), or None. `check_basic` also says how long to wait."""
        return self.check_basic(
            email, password, client_address=client_address, user_agent=user_agent
        ).principal

    def check_basic(
        self, email: str, password: str, *, client_address: str, user_agent: str
    ) -> BasicCheck:
        """A Basic sign-in: a live app password of this email's account first (one
        lookup, no throttle); then, if allowed, a remembered account password; then a
        throttled attempt (refused with `retry_after` while the client must wait)."""
        email = normalise_email(email)
        found = self._by_app_password(email, password, user_agent)
        if found is not None:
            return BasicCheck(found[0], name=found[1])
        principal = self._remembered(email, password) if self.allow_account_password else None
        if principal is not None:
            return BasicCheck(principal)
        attempt = self.throttle.begin(email, client_address)
        if not attempt.allowed:
            return BasicCheck(None, attempt.retry_after)
        if self.allow_account_password:
            principal = self._by_account_password(email, password)
            if principal is not None:
                self.throttle.succeeded(attempt)
                return BasicCheck(principal)
        return BasicCheck(None)

    def _by_app_password(
        self, email: str, password: str, user_agent: str
    ) -> tuple[Principal, str] | None:
        if not email or not password or len(password) > _MAX_SECRET_LENGTH:
            return None
        rows = self.store.quick.rows(_BY_SECRET, hash_secret(password))
        if not rows:
            return None
        credential_id, account_id, kind, scope_list, revoked_at, last_used_at, owner, name = rows[0]
        # Another account's password under this email is no password at all.
        if kind != APP_PASSWORD or revoked_at is not None or owner != email:
            return None
        self._touch(credential_id, last_used_at, user_agent)
        principal = Principal(account_id, stored_scopes(scope_list), APP_PASSWORD, credential_id)
        return principal, str(name or "app password")

    def _touch(self, credential_id: str, last_used_at: int | None, user_agent: str) -> None:
        """Write the use, unless one was written less than a minute ago (by any process:
        the condition is in the UPDATE, so two racing processes write once)."""
        now = now_ms()
        due = now - TOUCH_INTERVAL_SECONDS * 1000
        if last_used_at is not None and last_used_at > due:
            return
        with self.store.write() as conn:
            conn.execute(
                update(credentials)
                .where(
                    credentials.c.credential_id == credential_id,
                    or_(credentials.c.last_used_at.is_(None), credentials.c.last_used_at <= due),
                )
                .values(last_used_at=now, last_client=client_label(user_agent))
            )

    def _account_row(self, email: str) -> tuple[str, str] | None:
        if not is_plausible_email(email):
            return None
        rows = self.store.quick.rows(_ACCOUNT_BY_EMAIL, email)
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def _remembered(self, email: str, password: str) -> Principal | None:
        key = memory_key(email, password)
        if key not in self.memory:
            return None
        row = self._account_row(email)
        account_id = self.memory.recall(key, row[1] if row else None)
        if account_id is None:
            return None
        return Principal(account_id, APP_PASSWORD_WRITE_SCOPES, ACCOUNT_PASSWORD, "")

    def _by_account_password(self, email: str, password: str) -> Principal | None:
        if not password or len(password) > MAX_PASSWORD_LENGTH:
            return None
        row = self._account_row(email)
        if row is None or not verify_password(password, row[1]):
            return None
        account_id, password_hash = row
        self.memory.remember(memory_key(email, password), account_id, password_hash)
        return Principal(account_id, APP_PASSWORD_WRITE_SCOPES, ACCOUNT_PASSWORD, "")
