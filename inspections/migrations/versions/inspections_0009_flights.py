"""Drone flights handed over through the flight page (航飞批次) and the files received by
resumable (tus) upload, each with what its ingest made of it.

Revision ID: inspections_0009
Revises: inspections_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0009"
down_revision = "inspections_0008"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
RECEIVED_KINDS = ("photo", "orthophoto")
RECEIVED_STATES = ("processing", "stored", "duplicate", "rejected")


def upgrade() -> None:
    op.create_table(
        "flights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("lookback_rounds.id", ondelete="SET NULL")),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
        sa.Column("metadata_only", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "received_files",
        sa.Column("uid", sa.String(64), primary_key=True),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("flight_id", sa.Integer, sa.ForeignKey("flights.id", ondelete="CASCADE")),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="SET NULL")),
        sa.Column("reason", sa.Text),
        sa.Column("result", sa.JSON),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(f"kind IN {RECEIVED_KINDS!r}", name="ck_received_files_kind"),
        sa.CheckConstraint(f"state IN {RECEIVED_STATES!r}", name="ck_received_files_state"),
    )
    op.create_index("ix_received_files_flight", "received_files", ["flight_id"])


def downgrade() -> None:
    op.drop_index("ix_received_files_flight", table_name="received_files")
    op.drop_table("received_files")
    op.drop_table("flights")
