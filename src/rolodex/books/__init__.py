"""Address books: an owner's contacts as named cards, the way CardDAV sees them.

Protocol-neutral: the book an owner has, the resource name of each contact's card,
cards in and out through the one vCard mapping (`rolodex.formats.vcard`) and the
contact service, and the change log read as a book's history. `rolodex.api.carddav`
speaks WebDAV on top of it (docs/carddav.md).
"""
