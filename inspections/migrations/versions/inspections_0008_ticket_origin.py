"""Tickets keep where they came from: the site they were issued on (from the map or a check)
and the check (明察暗访 / 督查) whose findings they carry.

Revision ID: inspections_0008
Revises: inspections_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0008"
down_revision = "inspections_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer))
        batch.add_column(sa.Column("check_id", sa.Integer))
        batch.create_foreign_key("fk_tickets_site_id", "sites", ["site_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key("fk_tickets_check_id", "checks", ["check_id"], ["id"],
                                 ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_constraint("fk_tickets_check_id", type_="foreignkey")
        batch.drop_constraint("fk_tickets_site_id", type_="foreignkey")
        batch.drop_column("check_id")
        batch.drop_column("site_id")
