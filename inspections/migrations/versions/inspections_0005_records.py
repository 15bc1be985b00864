"""Complaints name the site they concern; detentions count the persons detained.

Revision ID: inspections_0005
Revises: inspections_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0005"
down_revision = "inspections_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer))
        batch.create_foreign_key("fk_complaints_site_id", "sites", ["site_id"], ["id"],
                                 ondelete="SET NULL")
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.add_column(sa.Column("persons", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.drop_column("persons")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_constraint("fk_complaints_site_id", type_="foreignkey")
        batch.drop_column("site_id")
