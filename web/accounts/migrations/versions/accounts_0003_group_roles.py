"""Two roles of the district government: the acceptance group (验收工作小组, `acceptor`) and
the closure assessment group (评估工作小组, `assessor`).

Revision ID: accounts_0003
Revises: accounts_0002
"""

from alembic import op

revision = "accounts_0003"
down_revision = "accounts_0002"
branch_labels = None
depends_on = None

# Written out, not imported from web.accounts.schema: a migration stays as it was released.
OLD_ROLES = ("grid_officer", "inspector", "unit", "leader", "admin")
NEW_ROLES = ("grid_officer", "inspector", "unit", "leader", "admin", "acceptor", "assessor")


def _roles(roles: tuple[str, ...]) -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", f"role IN {roles!r}")


def upgrade() -> None:
    _roles(NEW_ROLES)


def downgrade() -> None:
    op.execute("UPDATE users SET active = false WHERE role IN ('acceptor', 'assessor')")
    op.execute("UPDATE users SET role = 'leader' WHERE role IN ('acceptor', 'assessor')")
    _roles(OLD_ROLES)
