"""Contact files in and out of Rolodex: the import and export services.

`rolodex.formats` turns files into `Card`s and back; this package turns `Card`s into
contacts (importer.py, through the contact service's batched path; a big vCard file is
read in worker processes, card_workers.py) and contacts into files (exporter.py, page by
page, each format's page writer in export_pages.py), and keeps each contact's file `UID` and extras in
`contact_cards` (docs/import-export.md, "Where Rolodex keeps a card's UID and extras").
"""
