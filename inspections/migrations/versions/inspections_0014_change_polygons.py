"""Change polygons (变化图斑) found between two rounds' images of a site, each with its
thumbnails, score and the inspector's review (confirmed as evidence of a recurrence, or
dismissed with a reason).

Revision ID: inspections_0014
Revises: inspections_0013
"""

import sqlalchemy as sa
from alembic import op

from geo.geometry_type import Geometry

revision = "inspections_0014"
down_revision = "inspections_0013"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
CHANGE_STATES = ("unreviewed", "confirmed", "dismissed")


def upgrade() -> None:
    op.create_table(
        "change_polygons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("before_photo_id", sa.Integer,
                  sa.ForeignKey("photos.id", ondelete="CASCADE"), nullable=False),
        sa.Column("after_photo_id", sa.Integer,
                  sa.ForeignKey("photos.id", ondelete="CASCADE"), nullable=False),
        sa.Column("geom", Geometry, nullable=False),
        sa.Column("area_m2", sa.Float, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("shift_m", sa.Float, nullable=False),
        sa.Column("before_thumb", sa.String(100), nullable=False),
        sa.Column("after_thumb", sa.String(100), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("round_id", sa.Integer,
                  sa.ForeignKey("lookback_rounds.id", ondelete="SET NULL")),
        sa.Column("reason", sa.Text),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(f"state IN {CHANGE_STATES!r}", name="ck_change_polygons_state"),
    )
    op.create_index("ix_change_polygons_site_state", "change_polygons", ["site_id", "state"])
    op.create_index("ix_change_polygons_after", "change_polygons", ["after_photo_id"])


def downgrade() -> None:
    op.drop_index("ix_change_polygons_after", table_name="change_polygons")
    op.drop_index("ix_change_polygons_site_state", table_name="change_polygons")
    op.drop_table("change_polygons")
