"""The services one process runs, built once from the settings and shared by every API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from rolodex.accounts.deletion import AccountDeletion
from rolodex.accounts.login_throttle import LoginThrottle
from rolodex.accounts.secret_key import SecretKeyService
from rolodex.accounts.service import AccountService
from rolodex.accounts.sessions import SessionService
from rolodex.books.collections import BookAdmin
from rolodex.books.groups import GroupCards
from rolodex.books.query import BookQuery
from rolodex.books.service import BookService
from rolodex.books.writes import CardWriter
from rolodex.contacts import phones
from rolodex.contacts.cursors import CursorCodec
from rolodex.contacts.model import Contact
from rolodex.contacts.search.service import SearchService
from rolodex.contacts.service import ContactLimits, ContactService
from rolodex.contacts.sync import SyncService
from rolodex.duplicates.merge import MergeService
from rolodex.duplicates.service import DuplicateService
from rolodex.history.guard import DeletionGuard
from rolodex.history.purge import HistoryPurge
from rolodex.history.recorder import Recorder
from rolodex.history.service import HistoryService
from rolodex.oauth.app_passwords import AppPasswordService
from rolodex.oauth.apps import AppService
from rolodex.oauth.authorization import AuthorizationService
from rolodex.oauth.credentials import CredentialService
from rolodex.oauth.grants import GrantService
from rolodex.oauth.tokens import TokenService
from rolodex.photos.budget import process_budget
from rolodex.photos.images import ImageLimits
from rolodex.photos.service import PhotoService
from rolodex.photos.storage import load_storage
from rolodex.settings import Settings
from rolodex.store import Store
from rolodex.store.migrate import upgrade
from rolodex.tags.by_name import TagsByName
from rolodex.tags.service import TagService
from rolodex.teams.service import TeamService
from rolodex.transfer.exporter import ContactExporter
from rolodex.transfer.extras import (
    merge_kept,
    reconcile_kept,
    reconcile_kept_many,
    restore_kept,
)
from rolodex.transfer.importer import CardImporter
from rolodex.webhooks.service import WebhookService


@dataclass
class Services:
    settings: Settings
    store: Store
    accounts: AccountService
    sessions: SessionService
    account_deletion: AccountDeletion
    credentials: CredentialService
    app_passwords: AppPasswordService
    contacts: ContactService
    sync: SyncService
    apps: AppService
    authorization: AuthorizationService
    tokens: TokenService
    grants: GrantService
    secret_key: SecretKeyService
    login_throttle: LoginThrottle
    tags: TagService
    teams: TeamService
    photos: PhotoService
    webhooks: WebhookService
    search: SearchService
    tags_by_name: TagsByName
    card_import: CardImporter
    export: ContactExporter
    books: BookService
    book_query: BookQuery
    book_admin: BookAdmin
    card_writer: CardWriter
    history: HistoryService
    history_purge: HistoryPurge
    duplicates: DuplicateService
    merges: MergeService

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool | None = None) -> Services:
        """Open the store named by the settings (migrating it first) and wire the services."""
        store = Store(
            settings.resolved_database_url(), sqlite_synchronous=settings.sqlite_synchronous
        )
        # Before migrating: migration 0002_search indexes phone numbers in this region.
        phones.set_default_region(settings.default_phone_region)
        if settings.migrate_on_start if migrate is None else migrate:
            upgrade(store)
        limits = ContactLimits(
            default_page_size=settings.scroll_default_size,
            max_page_size=settings.scroll_max_size,
            page_max_bytes=settings.page_max_bytes,
            max_ids_per_get=settings.contacts_get_max_ids,
            max_contacts_per_owner=settings.max_contacts_per_owner,
        )
        secret_key = SecretKeyService(store, settings.secret_key)
        # Paging cursors are signed under a key derived from the server's (read on first use).
        contacts = ContactService(store, limits, CursorCodec(secret_key.get))
        photos = PhotoService(
            store,
            load_storage(settings, store),
            contacts,
            ImageLimits(
                max_bytes=settings.photo_max_bytes,
                max_pixels=settings.photo_max_pixels,
                max_side=settings.photo_max_side,
            ),
            process_budget(settings.photo_decode_budget_bytes),
        )
        contacts.photos_removed = photos.forget
        duplicates = DuplicateService(store, contacts.cursors)

        def data_saved(conn: Connection, contact: Contact) -> None:
            reconcile_kept(conn, contact)
            duplicates.saved(conn, contact)

        def data_saved_many(conn: Connection, saved: Sequence[Contact]) -> None:
            reconcile_kept_many(conn, saved)
            for contact in saved:
                duplicates.saved(conn, contact)

        contacts.data_saved = data_saved
        contacts.data_saved_many = data_saved_many
        contacts.contacts_created = duplicates.created
        # Every write keeps the version it replaced (docs/history.md); the trash keeps a
        # deleted contact's photos until its time is over.
        guard = DeletionGuard(store, settings.history)
        contacts.versions = Recorder(guard)
        history = HistoryService(store, contacts, settings.history, contacts.cursors, guard)
        history.forget_photos = photos.forget
        photos.trash_ms = settings.history.trash_days * 24 * 3600 * 1000
        apps = AppService(store)
        tags = TagService(store, contacts)
        search = SearchService(store, contacts)
        login_throttle = LoginThrottle(store)
        teams = TeamService(store, contacts)
        export = ContactExporter(store, contacts, photos)
        books = BookService(store, contacts, teams, export)
        return cls(
            settings=settings,
            store=store,
            accounts=AccountService(store),
            sessions=SessionService(store),
            account_deletion=AccountDeletion(store, photos.discard),
            credentials=CredentialService(store),
            app_passwords=AppPasswordService(
                store,
                login_throttle,
                allow_account_password=lambda: settings.carddav_allow_account_password,
            ),
            contacts=contacts,
            sync=SyncService(store, contacts),
            apps=apps,
            authorization=AuthorizationService(store, apps),
            tokens=TokenService(
                store,
                apps,
                access_ttl_seconds=settings.access_token_ttl_seconds,
                refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
            ),
            grants=GrantService(store),
            secret_key=secret_key,
            login_throttle=login_throttle,
            tags=tags,
            teams=teams,
            photos=photos,
            webhooks=WebhookService(store, settings.webhooks),
            search=search,
            tags_by_name=TagsByName(store, contacts, tags, search),
            card_import=CardImporter(store, contacts, photos, duplicates),
            export=export,
            books=books,
            book_query=BookQuery(books, search, GroupCards(store, contacts)),
            book_admin=BookAdmin(store, books, contacts),
            card_writer=CardWriter(store, contacts, photos),
            history=history,
            history_purge=HistoryPurge(store, settings.history, history),
            duplicates=duplicates,
            merges=MergeService(store, contacts, merge_kept, restore_kept),
        )

    def close(self) -> None:
        self.store.dispose()
