"""Settings a database keeps about itself (e.g. the frozen clock of a demo database).

Revision ID: web_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "web_0001"
down_revision = None
branch_labels = ("web",)
depends_on = None  # a table of its own: no other branch needs to come first


def upgrade() -> None:
    op.create_table(
        "database_settings",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("database_settings")
