"""Unannounced and announced checks (明察暗访 / 督查) with their photos.

Revision ID: inspections_0007
Revises: inspections_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0007"
down_revision = "inspections_0006"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
CHECK_KINDS = ("unannounced", "announced")


def upgrade() -> None:
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("organiser", sa.String(100), nullable=False),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL")),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("problems_found", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN {CHECK_KINDS!r}", name="ck_checks_kind"),
    )
    op.create_index("ix_checks_checked_on", "checks", ["checked_on"])
    op.create_table(
        "check_photos",
        sa.Column("check_id", sa.Integer, sa.ForeignKey("checks.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"),
                  primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("check_photos")
    op.drop_index("ix_checks_checked_on", table_name="checks")
    op.drop_table("checks")
