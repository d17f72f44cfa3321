"""Contact files as people carry them: vCard, CSV and JSON lines.

The one place where a file's shape meets the canonical contact (../DESIGN.md): each
format turns its text into `Card`s and `Card`s back into its text. Nothing here touches
the store; the importer and the exporter (and CardDAV) call these and do the writing.
"""
