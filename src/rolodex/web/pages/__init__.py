"""One module per group of pages; `context.py` holds what every page handler receives."""
