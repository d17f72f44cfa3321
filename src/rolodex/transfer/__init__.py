"""Contact files in and out of Rolodex: the import and export services.

`rolodex.formats` turns files into `Card`s and back; this package turns `Card`s into
contacts (importer.py, through the contact service's batched path) and contacts into
`Card`s (exporter.py, page by page), and keeps each contact's file `UID` and extras in
`contact_cards` (docs/import-export.md, "Where Rolodex keeps a card's UID and extras").
"""
