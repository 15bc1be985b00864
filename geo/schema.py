"""Tables of the geodata layers: sites and grid cells (mirrors the geo migrations)."""

from __future__ import annotations

import sqlalchemy as sa

from geo.geometry_type import Geometry
from geo.terms import SITE_KINDS

metadata = sa.MetaData()


def _feature_columns() -> list[sa.Column]:
    """The columns every layer has: id, code, name, town, source attributes, geometry."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("town", sa.String(100)),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("geom", Geometry, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


sites = sa.Table(
    "sites",
    metadata,
    *_feature_columns(),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("industry", sa.String(64)),
    sa.UniqueConstraint("kind", "code", name="uq_sites_kind_code"),
    sa.CheckConstraint(f"kind IN {SITE_KINDS!r}", name="ck_sites_kind"),
)

grid_cells = sa.Table(
    "grid_cells",
    metadata,
    *_feature_columns(),
    sa.UniqueConstraint("code", name="uq_grid_cells_code"),
)

# Raised by every write to a layer, in the writer's transaction (rows made by the migration).
layer_revisions = sa.Table(
    "layer_revisions",
    metadata,
    sa.Column("layer", sa.String(32), primary_key=True),
    sa.Column("revision", sa.BigInteger, nullable=False),
)
