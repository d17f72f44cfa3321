"""Contact search: the query language, the search documents and their per-database index.

- `text.py`: folding and tokenising, and the search document of a contact (its text by field);
- `query.py`: the query language, parsed into a small tree (docs/search.md);
- `backend.py`: the index contract, and the backend of each database chosen by name:
  `fts5.py` (SQLite) and `tsvector.py` (PostgreSQL);
- `index.py`: keeps the index in step, called by the repository inside each write;
- `cursor.py`, `service.py`: paging and the `SearchService` the APIs call.

This module imports nothing, so that the repository can import `index` without a cycle.
"""
