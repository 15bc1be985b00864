"""Cases name the person in charge (责任人) at the responsible unit.

Revision ID: inspections_0006
Revises: inspections_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0006"
down_revision = "inspections_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("person_in_charge", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("person_in_charge")
