"""The accounts tables: users, their grid cells, sessions, failed logins, security events."""

from __future__ import annotations

import sqlalchemy as sa

from geo.schema import metadata

# acceptor: the acceptance group (验收工作小组); assessor: the assessment group (评估工作小组)
USER_ROLES = ("grid_officer", "inspector", "unit", "leader", "admin", "acceptor", "assessor")

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("agency", sa.String(100)),  # inspectors: their third-party agency
    sa.Column("unit", sa.String(100)),  # unit staff: their responsible unit
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("name", name="uq_users_name"),
    sa.CheckConstraint(f"role IN {USER_ROLES!r}", name="ck_users_role"),
)

user_grid_cells = sa.Table(
    "user_grid_cells", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("grid_cell_id", sa.Integer, sa.ForeignKey("grid_cells.id", ondelete="CASCADE"),
              primary_key=True),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # SHA-256 of the cookie value
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_sessions_user", "user_id"),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("ip", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_login_failures_name_at", "name", "at"),
    sa.Index("ix_login_failures_ip_at", "ip", "at"),
)

security_events = sa.Table(
    "security_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # login_failed, login_limited, denied...
    sa.Column("user_name", sa.String(64)),
    sa.Column("ip", sa.String(64)),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Index("ix_security_events_at", "at"),
)
