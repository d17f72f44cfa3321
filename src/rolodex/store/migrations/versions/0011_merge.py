"""Merge the capability branches (search, tags and teams, webhooks, photos, OAuth, sync
tokens, imports, the address book's sort key, rate-limit tiers) into one head.

They were written side by side, each on top of 0001, and touch separate tables; from
here on the history is a single line again, so a new migration names this one.

Revision ID: 0011_merge
Revises: 0002_search, 0003_tags_teams, 0004_webhooks, 0005_photos, 0006_oauth,
    0007_sync, 0008_imports, 0009_book, 0010_ratelimit
"""

revision = "0011_merge"
down_revision = (
    "0002_search",
    "0003_tags_teams",
    "0004_webhooks",
    "0005_photos",
    "0006_oauth",
    "0007_sync",
    "0008_imports",
    "0009_book",
    "0010_ratelimit",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
