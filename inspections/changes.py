"""What an edit changes: the fields whose new value differs from the stored one, as the
audit log keeps them ({field: [old, new]}), and writing them to the record's row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa


def changed(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The wanted values that differ from the stored ones, each as [old, new]."""
    return {name: [stored[name], value] for name, value in wanted.items()
            if stored[name] != value}


def write(conn: sa.Connection, table: sa.Table, record_id: int,
          diff: Mapping[str, list[Any]]) -> None:
    """Set the changed fields' new values on the record's row."""
    conn.execute(sa.update(table).where(table.c.id == record_id)
                 .values({name: new for name, (_, new) in diff.items()}))
