"""Contact photos: their metadata, and their bytes for the database storage backend.

Revision ID: 0005_photos
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_photos"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("photo_id", sa.String(64), primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("contact_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("thumb_content_type", sa.String(32), nullable=False),
        sa.Column("thumb_digest", sa.String(64), nullable=False),
    )
    op.create_index("ix_photos_owner_contact", "photos", ["owner_id", "contact_id"])
    op.create_table(
        "photo_blobs",
        sa.Column("blob_key", sa.String(128), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photo_blobs")
    op.drop_index("ix_photos_owner_contact", table_name="photos")
    op.drop_table("photos")
