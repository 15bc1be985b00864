"""Sites and grid cells with their spatial indexes.

Revision ID: geo_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from geo.geometry_type import Geometry

revision = "geo_0001"
down_revision = None
branch_labels = ("geo",)
depends_on = None


def _common_columns() -> list[sa.Column]:
    # Written out, not imported from geo.schema: a migration stays as it was when released.
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("town", sa.String(100)),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("geom", Geometry, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _spatial_index(table: str) -> None:
    """R*Tree beside the table in SQLite (kept in step on delete by a trigger), GIST in PostGIS."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {table}_rtree USING rtree(id, minx, maxx, miny, maxy)")
        op.execute(
            f"CREATE TRIGGER {table}_rtree_delete AFTER DELETE ON {table} "
            f"BEGIN DELETE FROM {table}_rtree WHERE id = old.id; END"
        )
    else:
        op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING GIST (geom)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "sites",
        *_common_columns(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("industry", sa.String(64)),
        sa.UniqueConstraint("kind", "code", name="uq_sites_kind_code"),
        sa.CheckConstraint(
            "kind IN ('landfill', 'enterprise', 'waste_to_energy_plant', 'other')",
            name="ck_sites_kind",
        ),
    )
    op.create_table(
        "grid_cells",
        *_common_columns(),
        sa.UniqueConstraint("code", name="uq_grid_cells_code"),
    )
    _spatial_index("sites")
    _spatial_index("grid_cells")
