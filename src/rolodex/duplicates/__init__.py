"""Duplicate contacts: blocking keys kept on every write, a pairwise score with reasons,
and groups in which every member matches every other (docs/duplicates.md)."""
