"""Cases name the inspection their feedback or petitions came from.

Revision ID: inspections_0002
Revises: inspections_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0002"
down_revision = "inspections_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("inspection", sa.String(100)))
    op.create_index("ix_cases_source_inspection", "cases", ["source", "inspection"])


def downgrade() -> None:
    op.drop_index("ix_cases_source_inspection", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("inspection")
