"""A revision number per layer, raised by every import: what per-process caches of a layer
(the map's site centres, the georeferencer) are checked against, even when the clock is
frozen and an import changes features in place.

Revision ID: geo_0002
Revises: geo_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "geo_0002"
down_revision = "geo_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "layer_revisions",
        sa.Column("layer", sa.String(32), primary_key=True),
        sa.Column("revision", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"layer": "sites", "revision": 0},
                           {"layer": "grid_cells", "revision": 0}])


def downgrade() -> None:
    op.drop_table("layer_revisions")
