"""Teams and their members; one live tag name per owner.

Revision ID: 0003_tags_teams
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_tags_teams"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ux_tags_owner_live_name",
        "tags",
        ["owner_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "teams",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.String(64), sa.ForeignKey("teams.team_id"), primary_key=True),
        sa.Column(
            "account_id", sa.String(64), sa.ForeignKey("accounts.account_id"), primary_key=True
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_team_members_account", "team_members", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_team_members_account", table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
    op.drop_index("ux_tags_owner_live_name", table_name="tags")
