"""The jobs table (后台任务): what every runner claims, runs and reports into, and what the
tasks page reads, on either backend."""

from __future__ import annotations

import sqlalchemy as sa

from geo.schema import metadata

QUEUED, RUNNING, SUCCEEDED, FAILED, RETRYING = (
    "queued", "running", "succeeded", "failed", "retrying")
STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, RETRYING)
ACTIVE = (QUEUED, RUNNING, RETRYING)  # not finished yet: the panel counts these
WAITING = (QUEUED, RETRYING)  # to be claimed once run_after has come

jobs = sa.Table(
    "jobs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("params", sa.JSON, nullable=False),
    # Who started it (None: the system, e.g. the daily tick).
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("progress_done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("progress_total", sa.Integer),
    sa.Column("progress_label", sa.String(200)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("error_code", sa.String(32)),  # jobs.error.<code> in the message catalog
    sa.Column("error_values", sa.JSON),  # the message's {placeholders}
    sa.Column("result", sa.JSON),  # e.g. {"file": name, "bytes": n} for a download
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),  # a running job's heartbeat
    sa.Column("worker", sa.String(100)),  # host:pid of the process running it
    sa.Column("dedupe_key", sa.String(100)),  # one job per key (the day's tick)
    sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
    sa.CheckConstraint(f"state IN {STATES!r}", name="ck_jobs_state"),
    sa.Index("ix_jobs_state_run_after", "state", "run_after"),
    sa.Index("ix_jobs_user", "user_id", "id"),
)
