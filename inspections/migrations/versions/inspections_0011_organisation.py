"""Organisation records (组织领导): the district's meetings on inspection rectification (会议),
leaders' written instructions (批示) and leader-led site checks (带队督查), with the cases
each was about.

Revision ID: inspections_0011
Revises: inspections_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "inspections_0011"
down_revision = "inspections_0010"
branch_labels = None
depends_on = None

# Written out, not imported from inspections.schema: a migration stays as it was released.
KINDS = ("meeting", "instruction", "leader_check")


def upgrade() -> None:
    op.create_table(
        "organisation_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("leader", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name="ck_organisation_records_kind"),
    )
    op.create_index("ix_organisation_records_held_on", "organisation_records", ["held_on"])
    op.create_table(
        "organisation_record_cases",
        sa.Column("record_id", sa.Integer,
                  sa.ForeignKey("organisation_records.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("organisation_record_cases")
    op.drop_index("ix_organisation_records_held_on", table_name="organisation_records")
    op.drop_table("organisation_records")
