"""The tables, as SQLAlchemy Core metadata.

Core rather than the ORM: the hot paths (`contacts.get`, `scroll`, `search`) read rows
and hand the stored JSON straight to the wire, and Core keeps that path short. The
Alembic migrations in `migrations/versions/` create exactly these tables.

Timestamps are integer milliseconds (UTC). A contact's `contactData` is stored as the
JSON the client sent (validated, nulls removed), so nothing a client wrote is lost.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# SQLite only gives an auto-incrementing key to `INTEGER PRIMARY KEY`.
SerialKey = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(256), nullable=False, default=""),
    Column("password_hash", String(256), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# Every bearer secret (access token, refresh token, API key) is stored as the SHA-256 of
# the secret: the secrets are 256-bit random, so a fast hash is enough and keeps the
# per-request lookup cheap (a slow KDF is for low-entropy passwords).
credentials = Table(
    "credentials",
    metadata,
    Column("credential_id", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.account_id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),
    Column("client_id", String(64), nullable=True),
    Column("name", String(256), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=True),
    Column("revoked_at", BigInteger, nullable=True),
    Index("ix_credentials_account", "account_id"),
)

contacts = Table(
    "contacts",
    metadata,
    # The internal key orders scrolls: it only grows, so a walk never repeats or skips.
    Column("pk", SerialKey, primary_key=True, autoincrement=True),
    Column("contact_id", String(64), nullable=False, unique=True),
    # The account or team the contact belongs to.
    Column("owner_id", String(64), nullable=False),
    Column("etag", String(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("deleted_at", BigInteger, nullable=True),
    Column("data", Text, nullable=False),
    Column("meta", Text, nullable=False),
    Index("ix_contacts_owner_pk", "owner_id", "pk"),
)

tags = Table(
    "tags",
    metadata,
    Column("pk", SerialKey, primary_key=True, autoincrement=True),
    Column("tag_id", String(64), nullable=False, unique=True),
    Column("owner_id", String(64), nullable=False),
    Column("name", String(256), nullable=False),
    Column("name_key", String(256), nullable=False),
    Column("etag", String(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("deleted_at", BigInteger, nullable=True),
    Index("ix_tags_owner_pk", "owner_id", "pk"),
    Index("ix_tags_owner_name", "owner_id", "name_key"),
)

contact_tags = Table(
    "contact_tags",
    metadata,
    Column("contact_pk", BigInteger, nullable=False, primary_key=True),
    Column("tag_id", String(64), nullable=False, primary_key=True),
    Index("ix_contact_tags_tag", "tag_id"),
)

# The change log (outbox, DESIGN.md): every write appends here in its own transaction.
# `seq` orders changes; writes of one owner are serialised, so within an owner the
# sequence is also commit order, which webhooks and sync tokens rely on.
changes = Table(
    "changes",
    metadata,
    Column("seq", SerialKey, primary_key=True, autoincrement=True),
    Column("owner_id", String(64), nullable=False),
    Column("entity", String(16), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("etag", String(32), nullable=True),
    Column("occurred_at", BigInteger, nullable=False),
    Index("ix_changes_owner_seq", "owner_id", "seq"),
)

# -- tags and teams (revision 0003_tags_teams) -----------------------------------------

# At most one live tag of a name per owner, even under concurrent writers: the service
# checks first, and this partial unique index (SQLite and PostgreSQL both have them) is
# the backstop. Deleted tags keep their names, so a deleted name can be used again.
Index(
    "ux_tags_owner_live_name",
    tags.c.owner_id,
    tags.c.name_key,
    unique=True,
    sqlite_where=tags.c.deleted_at.is_(None),
    postgresql_where=tags.c.deleted_at.is_(None),
)

# A team's id ("t_...") is also the `owner_id` of its contacts and tags.
teams = Table(
    "teams",
    metadata,
    Column("team_id", String(64), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

team_members = Table(
    "team_members",
    metadata,
    Column("team_id", String(64), ForeignKey("teams.team_id"), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.account_id"), primary_key=True),
    # owner | admin | member
    Column("role", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Index("ix_team_members_account", "account_id"),
)
