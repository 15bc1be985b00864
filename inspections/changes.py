"""What an edit changes: the fields whose new value differs from the stored one, as the
audit log keeps them ({field: [old, new]})."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def changed(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The wanted values that differ from the stored ones, each as [old, new]."""
    return {name: [stored[name], value] for name, value in wanted.items()
            if stored[name] != value}
