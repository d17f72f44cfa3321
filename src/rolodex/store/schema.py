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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

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

# --- OAuth 2.0 authorization server and web sessions (revision 0006_oauth) ---

# Apps registered by developers. `redirect_uris` is a JSON list; the client secret is
# stored as SHA-256 (it is 256-bit random, like the bearer secrets above).
oauth_apps = Table(
    "oauth_apps",
    metadata,
    Column("client_id", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.account_id"), nullable=False),
    Column("name", String(256), nullable=False),
    Column("redirect_uris", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Index("ix_oauth_apps_account", "account_id"),
)

# Authorization codes (RFC 6749 §4.1.2): stored hashed, short-lived, single use.
# `grant_id` ties the tokens the code's exchange issued (and every access token later
# refreshed from them) together, so that a replayed code can revoke them all.
oauth_codes = Table(
    "oauth_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("grant_id", String(64), nullable=False, unique=True),
    Column("client_id", String(64), nullable=False),
    Column("account_id", String(64), ForeignKey("accounts.account_id"), nullable=False),
    Column("redirect_uri", Text, nullable=True),
    Column("scopes", Text, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
)

# Which grant each OAuth-issued credential belongs to (see oauth_codes.grant_id): the
# grant is a token family. A refresh token used once is `rotated_at` and `replaced_by`
# its successor (revision 0017_refresh_rotation); presenting it again revokes the family.
oauth_token_grants = Table(
    "oauth_token_grants",
    metadata,
    Column("credential_id", String(64), primary_key=True),
    Column("grant_id", String(64), nullable=False),
    Column("rotated_at", BigInteger, nullable=True),
    Column("replaced_by", String(64), nullable=True),
    Index("ix_oauth_token_grants_grant", "grant_id"),
)

# Server-wide secrets (the session-signing key) kept in the database, so that every
# process behind a load balancer signs and checks cookies with the same key.
server_secrets = Table(
    "server_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# Login attempts counted as failures, per key (a hash of the client address, or of the
# address and the email), for throttling across processes (accounts/login_throttle.py).
login_failures = Table(
    "login_failures",
    metadata,
    Column("pk", SerialKey, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("failed_at", BigInteger, nullable=False),
    Index("ix_login_failures_key_time", "key", "failed_at"),
    # Revision 0017_refresh_rotation: dropping rows past the throttle's memory.
    Index("ix_login_failures_time", "failed_at"),
)

# Bulk imports (`rolodex import`): how far each import got, advanced in the same
# transaction as each batch it commits, so an interrupted import resumes exactly there.
imports = Table(
    "imports",
    metadata,
    Column("import_key", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("lines_done", BigInteger, nullable=False),
    Column("contacts_created", BigInteger, nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger, nullable=True),
)

# Contact photos (rolodex.photos): one row per uploaded photo. `photo_id` is the
# unguessable (128-bit random) id in the photo's URL; owner and contact say whose it is,
# so that removing it from that contact (or deleting the contact) deletes it.
photos = Table(
    "photos",
    metadata,
    Column("photo_id", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("contact_id", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("thumb_content_type", String(32), nullable=False),
    Column("thumb_digest", String(64), nullable=False),
    Index("ix_photos_owner_contact", "owner_id", "contact_id"),
)

# The bytes of photos when ROLODEX_PHOTO_STORAGE=database (the default).
photo_blobs = Table(
    "photo_blobs",
    metadata,
    Column("blob_key", String(128), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# Personal API sync tokens: each names a point in one owner's change log, so a diff is
# "the changes after `seq`". Not a credential (the caller authenticates separately), so
# the token is stored as is.
sync_tokens = Table(
    "sync_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# -- webhooks (revision 0004_webhooks) -------------------------------------------------

# A webhook belongs to an owner (account or team). `cursor_seq` is the last change-log
# sequence number already turned into batches: batches are built from the change log
# after it, so no event is lost or made twice. `secret` is the signing secret itself
# (HMAC needs it; a hash could not sign), see docs/webhooks.md.
webhooks = Table(
    "webhooks",
    metadata,
    Column("webhook_id", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("account_id", String(64), nullable=False),
    Column("team_id", String(64), nullable=True),
    Column("url", Text, nullable=False),
    Column("triggers", Text, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("cursor_seq", BigInteger, nullable=False),
    Column("disabled_at", BigInteger, nullable=True),
    Column("disabled_reason", Text, nullable=True),
    Index("ix_webhooks_owner", "owner_id", "created_at"),
)

# One delivery: a fixed list of events (the JSON sent, so every retry sends the same
# ids) for the change-log range first_seq..last_seq. A worker claims a batch by setting
# `lease_owner`/`lease_until`; an expired lease can be claimed again.
webhook_batches = Table(
    "webhook_batches",
    metadata,
    Column("batch_id", String(64), primary_key=True),
    Column("webhook_id", String(64), nullable=False),
    Column("owner_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("events", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", BigInteger, nullable=True),
    Column("last_attempt_at", BigInteger, nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", BigInteger, nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", BigInteger, nullable=True),
    Index("ix_webhook_batches_webhook_seq", "webhook_id", "first_seq"),
    Index("ix_webhook_batches_due", "status", "next_attempt_at"),
    Index("ix_webhook_batches_created", "created_at"),
)

# -- contact search (revision 0002_search, docs/search.md) ----------------------------

# One search document per live contact. PostgreSQL: `document` is a tsvector, under a
# GIN index. SQLite: `document` is the JSON of the text indexed for each field, and the
# index is the contentless FTS5 table `contact_search_fts` (rowid = contact_pk), which
# Core cannot describe: migration 0002_search creates it with the DDL in
# `contacts/search/fts5.py`.
contact_search = Table(
    "contact_search",
    metadata,
    Column("contact_pk", BigInteger, primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("document", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
    Index(
        "ix_contact_search_document",
        "document",
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},  # migration 0015 says why
    ),
)

# -- the address book (revision 0009_book, rolodex.contacts.sort_names) ----------------

# The key the web address book lists contacts by (the shown name, accent-free and
# case-folded), in byte order on both databases; kept in step by ContactRepository.
contacts.append_column(
    Column(
        "sort_key",
        String(256).with_variant(String(256, collation="C"), "postgresql"),
        nullable=False,
        server_default="~",
    )
)
Index("ix_contacts_owner_sort", contacts.c.owner_id, contacts.c.sort_key, contacts.c.pk)
# Live contacts only (revision 0018_book_letters): the A-Z index's probes. `deleted_at`
# (always NULL here) is a column too so that SQLite answers from the index alone.
Index(
    "ix_contacts_owner_live_sort",
    contacts.c.owner_id,
    contacts.c.sort_key,
    contacts.c.pk,
    contacts.c.deleted_at,
    sqlite_where=contacts.c.deleted_at.is_(None),
    postgresql_where=contacts.c.deleted_at.is_(None),
)

# -- API key tiers (revision 0010_ratelimit, rolodex.ratelimit.tiers) -----------------

# API keys only: "trial" gets the REST API's trial rate limit; NULL is a normal key.
credentials.append_column(Column("tier", String(16), nullable=True))

# How many contacts each owner (account or team) has stored, tombstones included, kept in
# the same transaction as every insert: the contacts-per-owner limit is then one row
# read, not a count over a million rows.
owner_counts = Table(
    "owner_counts",
    metadata,
    Column("owner_id", String(64), primary_key=True),
    Column("contacts", BigInteger, nullable=False),
    # The live ones among them (revision 0018_book_letters): the address book's count.
    Column("live", BigInteger, nullable=False, server_default="0"),
)

# -- web sessions (revision 0019_web_sessions, rolodex.accounts.sessions) --------------

# One row per logged-in browser. The cookie holds a random secret; only its SHA-256 is
# kept, as for the bearer secrets. Deleting the row ends the session at once.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("account_id", String(64), ForeignKey("accounts.account_id"), nullable=False),
    Column("user_agent", String(256), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Index("ix_web_sessions_account", "account_id"),
)

# -- contact cards (revision 0020_contact_cards, rolodex.contacts.cards) ---------------

# A contact's file identity (`UID`) and the extras its file carried with no canonical
# field, for contacts imported from vCard, CSV or JSON lines. A deleted contact keeps its
# row (docs/import-export.md, "Where Rolodex keeps a card's UID and extras").
contact_cards = Table(
    "contact_cards",
    metadata,
    Column("contact_pk", SerialKey, primary_key=True, autoincrement=False),
    Column("owner_id", String(64), nullable=False),
    Column("uid", Text, nullable=False),
    # JSON text of `Card.extras`.
    Column("extras", Text, nullable=False),
    # The resource name a CardDAV client chose for the card (`<name>.vcf`, revision
    # 0023_carddav, rolodex.books): the card is found there again. NULL: the name is
    # derived from the UID (rolodex.books.names).
    Column("resource_name", Text, nullable=True),
    # The card exactly as a CardDAV client last PUT it, and the contact's etag then: served
    # as it was sent while the contact is unchanged (rolodex.books), re-written through
    # the vCard mapping once anything changed it.
    Column("raw", Text, nullable=True),
    Column("raw_etag", String(64), nullable=True),
    # The book of the card's contact (revision 0029_book_uids): a UID and a resource name
    # are unique per address book (RFC 6352 §6.3.2.1), so a client may copy a card into
    # another book of the owner. A contact never changes book.
    Column("book", String(255), nullable=False, server_default="default"),
    Index("ux_contact_cards_book_uid", "owner_id", "book", "uid", unique=True),
    Index("ux_contact_cards_book_resource", "owner_id", "book", "resource_name", unique=True),
)

# -- address books (revision 0023_carddav, rolodex.books) -----------------------------

# The books an owner made beyond its default one (CardDAV extended MKCOL, RFC 5689), and
# the default book's name and description once a client set them (PROPPATCH). The
# default book needs no row: every owner has it.
address_books = Table(
    "address_books",
    metadata,
    Column("owner_id", String(64), primary_key=True),
    # The book's URL segment, decoded: /dav/books/<owner_id>/<name>/ (widened to 255 by
    # revision 0025_book_names: clients choose any name).
    Column("name", String(255), primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# The book of each contact that is not in its owner's default book. A contact without a
# row (every contact made through the other APIs) is in the default book; a deleted
# contact keeps its row, so a book's sync reports its deletion.
book_members = Table(
    "book_members",
    metadata,
    Column("contact_pk", SerialKey, primary_key=True, autoincrement=False),
    Column("owner_id", String(64), nullable=False),
    Column("book", String(255), nullable=False),
    Index("ix_book_members_book", "owner_id", "book", "contact_pk"),
)

# -- CardDAV group cards (revision 0027_carddav_fixes, rolodex.books.groups) -------------

# A group card a client PUT into a book (Apple's `X-ADDRESSBOOKSERVER-KIND:group`, vCard
# 4.0 `KIND:group`): the tag it is, and its text as sent, read back at its name.
group_cards = Table(
    "group_cards",
    metadata,
    Column("owner_id", String(64), primary_key=True),
    Column("resource_name", Text, primary_key=True),
    Column("book", String(255), nullable=False),
    Column("tag_id", String(64), nullable=False),
    Column("uid", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("etag", String(64), nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# -- app passwords' last use (revision 0022_app_passwords, rolodex.oauth.app_passwords) --

# When an app password was last used (ms) and the User-Agent that used it, written at most
# once a minute per credential; NULL until the first use and for the other kinds.
credentials.append_column(Column("last_used_at", BigInteger, nullable=True))
credentials.append_column(Column("last_client", String(256), nullable=True))

# -- history (revision 0024_history, rolodex.history) ----------------------------------

# One row per write to a contact, appended in the write's transaction: who made the
# change and when, the etag it gave the contact, and the version it replaced (its etag,
# `updated`, deleted time, data, metadata and tag ids; all NULL for a creation, which
# replaced nothing). docs/history.md.
contact_versions = Table(
    "contact_versions",
    metadata,
    Column("pk", SerialKey, primary_key=True, autoincrement=True),
    Column("owner_id", String(64), nullable=False),
    Column("contact_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changed_at", BigInteger, nullable=False),
    Column("etag", String(32), nullable=False),
    Column("account_id", String(64), nullable=True),
    Column("credential_id", String(64), nullable=True),
    Column("source_kind", String(16), nullable=False),
    Column("source_name", String(256), nullable=False),
    Column("before_etag", String(32), nullable=True),
    Column("before_updated", BigInteger, nullable=True),
    Column("before_deleted", BigInteger, nullable=True),
    Column("data", Text, nullable=True),
    Column("meta", Text, nullable=True),
    # JSON list of tag ids.
    Column("tag_ids", Text, nullable=True),
    Index("ix_contact_versions_contact", "owner_id", "contact_id", "pk"),
    Index("ix_contact_versions_source", "owner_id", "source_name", "changed_at"),
)

# -- history indexes (revision 0026_history_indexes) -----------------------------------

# An undo by credential id alone (`contacts.undoCredential`): the owner's changes by one
# credential since a moment, without reading the owner's other versions. Rows with no
# credential (the address book, an import) are never looked up by it.
Index(
    "ix_contact_versions_credential",
    contact_versions.c.owner_id,
    contact_versions.c.credential_id,
    contact_versions.c.changed_at,
    sqlite_where=contact_versions.c.credential_id.is_not(None),
    postgresql_where=contact_versions.c.credential_id.is_not(None),
)
# The trash page: an owner's deleted contacts, newest deletion first, read in that order
# from the index (live contacts, most of the table, are not in it).
Index(
    "ix_contacts_owner_deleted",
    contacts.c.owner_id,
    contacts.c.deleted_at,
    contacts.c.pk,
    sqlite_where=contacts.c.deleted_at.is_not(None),
    postgresql_where=contacts.c.deleted_at.is_not(None),
)

# The search document of each contact in the trash, moved here from `contact_search` at
# its deletion with a digest of the data it was built from: undeleting the contact with
# that same data moves it back instead of building it again (contacts/search/index.py).
# Never searched; dropped when the contact is written again or leaves the trash.
contact_search_trash = Table(
    "contact_search_trash",
    metadata,
    Column("contact_pk", BigInteger, primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("data_digest", String(32), nullable=False),
    Column("document", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
    Index("ix_contact_search_trash_owner", "owner_id"),
)

# A person's confirmation that the mass-deletion guard may let a credential go on
# deleting: deletions before `released_at` no longer count against it.
deletion_holds = Table(
    "deletion_holds",
    metadata,
    Column("owner_id", String(64), primary_key=True),
    Column("source_key", String(320), primary_key=True),
    Column("source_name", String(256), nullable=False),
    Column("tripped_at", BigInteger, nullable=False),
    Column("released_at", BigInteger, nullable=True),
)

# -- duplicates (revision 0025_duplicates, rolodex.duplicates) --------------------------

# Each live or deleted contact's blocking keys (duplicates/keys.py), rewritten in every
# write that saves its data: contacts that share a key are compared. Reads join
# `contacts` for liveness, so a delete leaves the rows (a restore needs them again).
duplicate_keys = Table(
    "duplicate_keys",
    metadata,
    Column("owner_id", String(64), primary_key=True),
    Column("block_key", String(160), primary_key=True),
    Column("contact_pk", SerialKey, primary_key=True, autoincrement=False),
    Index("ix_duplicate_keys_contact", "contact_pk"),
)

# What the score reads of each contact (duplicates/profile.py), as a JSON array.
duplicate_profiles = Table(
    "duplicate_profiles",
    metadata,
    Column("contact_pk", SerialKey, primary_key=True, autoincrement=False),
    Column("owner_id", String(64), nullable=False),
    Column("profile", Text, nullable=False),
    Index("ix_duplicate_profiles_owner", "owner_id"),
)

# -- merges (revision 0028_merges, rolodex.duplicates.merge) -----------------------------

# One row per merge: the survivor, the merged ids, each contact as it was before (its
# stored data, metadata and tags, JSON) and the etags the merge gave them, so an unmerge
# puts every one back and can tell whether anything changed since.
merges = Table(
    "merges",
    metadata,
    Column("merge_id", String(64), primary_key=True),
    Column("owner_id", String(64), nullable=False),
    Column("survivor_id", String(64), nullable=False),
    Column("contact_ids", Text, nullable=False),
    Column("befores", Text, nullable=False),
    Column("after_etags", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("undone_at", BigInteger, nullable=True),
    Index("ix_merges_owner", "owner_id"),
)
