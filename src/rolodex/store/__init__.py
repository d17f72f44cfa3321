"""The store: engine and transactions, the schema, migrations and the change log."""

from rolodex.store.engine import Store

__all__ = ["Store"]
