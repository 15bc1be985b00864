"""The same bytes may be the photo of several uploaders (one stored file); upload ids are
claimed while their file is received.

Revision ID: imagery_0002
Revises: imagery_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "imagery_0002"
down_revision = "imagery_0001"
branch_labels = None
depends_on = None

# SQLite rebuilds the table to drop a constraint, and its triggers go with it.
RTREE_TRIGGERS = (("photos_rtree", "photos"), ("photo_footprints_rtree", "photos"))


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.drop_constraint("uq_photos_sha256", type_="unique")
        batch.create_unique_constraint("uq_photos_sha256_uploader", ["sha256", "uploaded_by"])
    if op.get_bind().dialect.name == "sqlite":
        for rtree, table in RTREE_TRIGGERS:
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {rtree}_delete AFTER DELETE ON {table} "
                       f"BEGIN DELETE FROM {rtree} WHERE id = old.id; END")
    op.create_table(
        "upload_claims",
        sa.Column("upload_id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("upload_claims")
    with op.batch_alter_table("photos") as batch:
        batch.drop_constraint("uq_photos_sha256_uploader", type_="unique")
        batch.create_unique_constraint("uq_photos_sha256", ["sha256"])
