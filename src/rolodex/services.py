"""The services one process runs, built once from the settings and shared by every API."""

from __future__ import annotations

from dataclasses import dataclass

from rolodex.accounts.service import AccountService
from rolodex.contacts.service import ContactLimits, ContactService
from rolodex.oauth.credentials import CredentialService
from rolodex.settings import Settings
from rolodex.store import Store
from rolodex.store.migrate import upgrade
from rolodex.tags.service import TagService


@dataclass
class Services:
    settings: Settings
    store: Store
    accounts: AccountService
    credentials: CredentialService
    contacts: ContactService
    tags: TagService

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool = True) -> Services:
        """Open the store named by the settings (migrating it first) and wire the services."""
        store = Store(
            settings.resolved_database_url(), sqlite_synchronous=settings.sqlite_synchronous
        )
        if migrate:
            upgrade(store)
        limits = ContactLimits(
            default_page_size=settings.scroll_default_size,
            max_page_size=settings.scroll_max_size,
            max_ids_per_get=settings.contacts_get_max_ids,
        )
        contacts = ContactService(store, limits)
        return cls(
            settings=settings,
            store=store,
            accounts=AccountService(store),
            credentials=CredentialService(store),
            contacts=contacts,
            tags=TagService(store, contacts),
        )

    def close(self) -> None:
        self.store.dispose()
