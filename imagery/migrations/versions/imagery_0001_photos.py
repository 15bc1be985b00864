"""Photos, drone footprints and orthophotos, with their links to sites.

Revision ID: imagery_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from geo.geometry_type import Geometry
from geo.migrate import create_spatial_index

revision = "imagery_0001"
down_revision = None
branch_labels = ("imagery",)
depends_on = "geo_0001"

# Written out, not imported from imagery.schema: a migration stays as it was when released.
PHOTO_KINDS = ("field", "drone", "orthophoto")
LOCATION_SOURCES = ("exif", "xmp", "device", "manual", "raster", "none")


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("original_stored", sa.Boolean, nullable=False),
        sa.Column("source_path", sa.String(1024)),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("geom", Geometry),
        sa.Column("location_source", sa.String(8), nullable=False),
        sa.Column("exif_lon", sa.Float),
        sa.Column("exif_lat", sa.Float),
        sa.Column("device_lon", sa.Float),
        sa.Column("device_lat", sa.Float),
        sa.Column("altitude_m", sa.Float),
        sa.Column("relative_altitude_m", sa.Float),
        sa.Column("yaw_deg", sa.Float),
        sa.Column("pitch_deg", sa.Float),
        sa.Column("roll_deg", sa.Float),
        sa.Column("focal_35mm", sa.Float),
        sa.Column("footprint", Geometry),
        sa.Column("taken_at", sa.DateTime(timezone=True)),
        sa.Column("taken_at_local", sa.String(19)),
        sa.Column("time_source", sa.String(16)),
        sa.Column("grid_cell_id", sa.Integer,
                  sa.ForeignKey("grid_cells.id", ondelete="SET NULL")),
        sa.Column("phash", sa.String(16)),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("similar_to", sa.JSON, nullable=False),
        sa.Column("uploaded_by", sa.String(100)),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("upload_id", sa.String(64)),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("sha256", name="uq_photos_sha256"),
        sa.UniqueConstraint("upload_id", name="uq_photos_upload_id"),
        sa.CheckConstraint(f"kind IN {PHOTO_KINDS!r}", name="ck_photos_kind"),
        sa.CheckConstraint(f"location_source IN {LOCATION_SOURCES!r}",
                           name="ck_photos_location"),
    )
    op.create_table(
        "photo_sites",
        sa.Column("photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("relation", sa.String(8), primary_key=True),
        sa.Column("distance_m", sa.Float),
        sa.CheckConstraint("relation IN ('near', 'covered')", name="ck_photo_sites_relation"),
    )
    op.create_index("ix_photos_taken_at", "photos", ["taken_at"])
    op.create_index("ix_photos_grid_cell_id", "photos", ["grid_cell_id"])
    op.create_index("ix_photo_sites_site_id", "photo_sites", ["site_id"])
    create_spatial_index(op, "photos", "geom", "photos_rtree")
    create_spatial_index(op, "photos", "footprint", "photo_footprints_rtree")
