"""Audit entries name how their hash was made: "sha256" (plain; every entry written so far)
or "hmac-sha256" (keyed with the installation's audit key, from now on).

Revision ID: inspections_0004
Revises: inspections_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0004"
down_revision = "inspections_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("scheme", sa.String(16), nullable=False,
                                   server_default="sha256"))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("scheme")
