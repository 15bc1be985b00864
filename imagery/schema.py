"""Tables of photos and orthophotos and their links to sites (mirrors the imagery migrations)."""

from __future__ import annotations

import sqlalchemy as sa

from geo.geometry_type import Geometry
from geo.layers import Layer
from geo.schema import metadata

PHOTO_KINDS = ("field", "drone", "orthophoto")
LOCATION_SOURCES = ("exif", "xmp", "device", "manual", "raster", "none")
SITE_RELATIONS = ("near", "covered")

photos = sa.Table(
    "photos",
    metadata,
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
    sa.Column("grid_cell_id", sa.Integer, sa.ForeignKey("grid_cells.id", ondelete="SET NULL")),
    sa.Column("phash", sa.String(16)),
    sa.Column("flags", sa.JSON, nullable=False),
    sa.Column("similar_to", sa.JSON, nullable=False),
    sa.Column("uploaded_by", sa.String(100)),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("upload_id", sa.String(64)),
    sa.Column("note", sa.Text),
    # The same bytes are one file in the store, and one photo per uploader: a user who may
    # not see another's photo of them gets a photo of their own sharing the file.
    sa.UniqueConstraint("sha256", "uploaded_by", name="uq_photos_sha256_uploader"),
    sa.UniqueConstraint("upload_id", name="uq_photos_upload_id"),
    sa.CheckConstraint(f"kind IN {PHOTO_KINDS!r}", name="ck_photos_kind"),
    sa.CheckConstraint(f"location_source IN {LOCATION_SOURCES!r}", name="ck_photos_location"),
)

photo_sites = sa.Table(
    "photo_sites",
    metadata,
    sa.Column("photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("relation", sa.String(8), primary_key=True),
    sa.Column("distance_m", sa.Float),
    sa.CheckConstraint(f"relation IN {SITE_RELATIONS!r}", name="ck_photo_sites_relation"),
)

# An upload id taken by a file being received or analysed, so a second file sent under the
# same id is refused (409) before anything of it is stored; gone once the photo is written.
upload_claims = sa.Table(
    "upload_claims",
    metadata,
    sa.Column("upload_id", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
)

PHOTOS = Layer("photos", photos, ("sha256",))
FOOTPRINTS = Layer("photo_footprints", photos, ("sha256",), geom="footprint",
                   rtree_name="photo_footprints_rtree")
