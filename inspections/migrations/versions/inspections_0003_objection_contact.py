"""Objections keep how to reach whoever raised them (not shown in public).

Revision ID: inspections_0003
Revises: inspections_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0003"
down_revision = "inspections_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objections") as batch:
        batch.add_column(sa.Column("contact", sa.String(100)))
        batch.add_column(sa.Column("submitter", sa.String(50)))


def downgrade() -> None:
    with op.batch_alter_table("objections") as batch:
        batch.drop_column("submitter")
        batch.drop_column("contact")
