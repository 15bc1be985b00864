"""The progress report's written paragraphs (导语, 主要做法, 进展情况, 存在问题, 下一步工作计划),
kept per period (a month or a year) and part, written on the report page.

Revision ID: inspections_0012
Revises: inspections_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0012"
down_revision = "inspections_0011"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
PERIOD_KINDS = ("month", "year")


def upgrade() -> None:
    op.create_table(
        "report_texts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("month", sa.Integer),
        sa.Column("part", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("kind", "year", "month", "part",
                            name="uq_report_texts_period_part"),
        sa.CheckConstraint(f"kind IN {PERIOD_KINDS!r}", name="ck_report_texts_kind"),
        sa.CheckConstraint("(kind = 'year' AND month IS NULL) OR "
                           "(kind = 'month' AND month IS NOT NULL AND month BETWEEN 1 AND 12)",
                           name="ck_report_texts_month"),
    )


def downgrade() -> None:
    op.drop_table("report_texts")
