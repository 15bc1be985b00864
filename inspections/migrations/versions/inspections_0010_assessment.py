"""The closure assessment (销号评估) between acceptance and public notice: the `assessed`
state, the assessments with their documents, and which roles accept and assess per source.

Cases already publicised or closed stay as they are: they have no assessment record.

Revision ID: inspections_0010
Revises: inspections_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0010"
down_revision = "inspections_0009"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
OLD_STATES = ("open", "rectifying", "rectified", "accepted", "publicised", "closed")
NEW_STATES = ("open", "rectifying", "rectified", "accepted", "assessed", "publicised",
              "closed")
CASE_SOURCES = ("inspection_feedback", "petition", "patrol", "lookback")
STEPS = ("accept", "assess")


def _states(states: tuple[str, ...]) -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("ck_cases_state", type_="check")
        batch.create_check_constraint("ck_cases_state", f"state IN {states!r}")
    if op.get_bind().dialect.name == "sqlite":  # the copied table lost the R*Tree's trigger
        op.execute("DROP TRIGGER IF EXISTS cases_rtree_delete")
        op.execute("CREATE TRIGGER cases_rtree_delete AFTER DELETE ON cases "
                   "BEGIN DELETE FROM cases_rtree WHERE id = old.id; END")


def upgrade() -> None:
    _states(NEW_STATES)
    op.create_table(
        "case_assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("conclusion", sa.Text, nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessed_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_case_assessments_case", "case_assessments", ["case_id"])
    op.create_table(
        "assessment_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.Integer,
                  sa.ForeignKey("case_assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_assessment_documents_sha256", "assessment_documents", ["sha256"])
    op.create_table(
        "case_step_roles",
        sa.Column("source", sa.String(24), primary_key=True),
        sa.Column("step", sa.String(16), primary_key=True),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.CheckConstraint(f"source IN {CASE_SOURCES!r}", name="ck_case_step_roles_source"),
        sa.CheckConstraint(f"step IN {STEPS!r}", name="ck_case_step_roles_step"),
    )


def downgrade() -> None:
    op.drop_table("case_step_roles")
    op.drop_index("ix_assessment_documents_sha256", table_name="assessment_documents")
    op.drop_table("assessment_documents")
    op.drop_index("ix_case_assessments_case", table_name="case_assessments")
    op.drop_table("case_assessments")
    op.execute("UPDATE cases SET state = 'accepted' WHERE state = 'assessed'")
    _states(OLD_STATES)
