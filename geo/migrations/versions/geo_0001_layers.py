"""Sites and grid cells with their spatial indexes.

Revision ID: geo_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from geo.geometry_type import Geometry
from geo.migrate import create_spatial_index

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
    create_spatial_index(op, "sites")
    create_spatial_index(op, "grid_cells")
