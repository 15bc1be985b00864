"""Which notifications each user has read: a row per (user, notification key), written when
the user opens the notifications page (mirrors migration accounts_0002)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa

from geo.schema import metadata

notification_reads = sa.Table(
    "notification_reads", metadata,  # times in UTC (SQLite keeps no offset)
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("key", sa.String(96), primary_key=True),  # see notifications.Notification.key
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
)


def read_keys(conn: sa.Connection, user_id: int) -> set[str]:
    """The keys of the notifications the user has read."""
    table = notification_reads
    return set(conn.execute(sa.select(table.c.key).where(table.c.user_id == user_id)).scalars())


def mark_read(conn: sa.Connection, user_id: int, keys: Iterable[str], at: datetime) -> int:
    """Record the notifications as read (those read before stay as they were); how many
    were new."""
    new = sorted(set(keys) - read_keys(conn, user_id))
    if new:
        conn.execute(sa.insert(notification_reads),
                     [{"user_id": user_id, "key": key, "read_at": at.astimezone(UTC)}
                      for key in new])
    return len(new)


def forget_reads(conn: sa.Connection, user_id: int, before: datetime) -> int:
    """Drop the user's read marks made before `before` (their notifications are older still,
    so no longer shown); how many."""
    table = notification_reads
    return conn.execute(sa.delete(table).where(table.c.user_id == user_id,
                                               table.c.read_at < before.astimezone(UTC))).rowcount
