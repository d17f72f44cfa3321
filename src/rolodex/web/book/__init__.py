"""The address book: the web app people use to browse and edit their contacts (docs/address-book.md)."""
