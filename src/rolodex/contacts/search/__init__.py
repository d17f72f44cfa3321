"""Contact search: the query language, the search documents and their per-database index.

- `text.py`: folding and tokenising, and the search document of a contact (its text by field);
- `query.py`: the query language, parsed into a small tree (docs/search.md);
- `backend.py`: the index contract (every index write and lookup), and each database's
  backend loaded by name: `fts5.py` (SQLite) and `tsvector.py` (PostgreSQL, with
  `lexemes.py`, its documents and queries as literals);
- `index.py`: keeps the index in step, called by the repository inside each write;
- `planner.py`: what a search asks for (rank buckets, required words), pure Python;
- `pages.py`: the page walk over the buckets; `repository.py`: every statement of a search;
- `cursor.py`, `service.py`: paging and the `SearchService` the APIs call;
- `matching.py`: a term against a document in Python (ranking a few matches).

This module imports nothing, so that the repository can import `index` without a cycle.
"""
