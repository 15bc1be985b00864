"""Rectification tasks (整改任务) group cases: one task may cover many sites (41 landfills
and 4 plants), accepted, assessed and reported as one. Tasks and cases may name the closure
report's contact (person, phone, e-mail) over the installation's settings.

Revision ID: inspections_0013
Revises: inspections_0012
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0013"
down_revision = "inspections_0012"
branch_labels = None
depends_on = None


def _rtree_trigger() -> None:
    """The copied cases table lost the R*Tree's delete trigger (SQLite): put it back."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS cases_rtree_delete")
        op.execute("CREATE TRIGGER cases_rtree_delete AFTER DELETE ON cases "
                   "BEGIN DELETE FROM cases_rtree WHERE id = old.id; END")


def upgrade() -> None:
    op.create_table(
        "rectification_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("inspection", sa.String(100)),
        sa.Column("serial", sa.String(50)),
        sa.Column("contact_person", sa.String(100)),
        sa.Column("contact_phone", sa.String(50)),
        sa.Column("contact_email", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("task_id", sa.Integer))
        batch.add_column(sa.Column("contact_person", sa.String(100)))
        batch.add_column(sa.Column("contact_phone", sa.String(50)))
        batch.add_column(sa.Column("contact_email", sa.String(200)))
        batch.create_foreign_key("fk_cases_task_id", "rectification_tasks", ["task_id"],
                                 ["id"], ondelete="SET NULL")
        batch.create_index("ix_cases_task_id", ["task_id"])
    _rtree_trigger()


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_task_id")
        batch.drop_constraint("fk_cases_task_id", type_="foreignkey")
        for column in ("contact_email", "contact_phone", "contact_person", "task_id"):
            batch.drop_column(column)
    _rtree_trigger()
    op.drop_table("rectification_tasks")
