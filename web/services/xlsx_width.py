"""How wide an Excel column must be to show a value: Chinese (wide) characters count twice,
a date takes its printed length, the longest line of a text counts, and no column grows past
a readable width (long text wraps in Excel's cell instead)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

MAX_WIDTH = 60
PADDING = 2
DATE_WIDTH = 10  # yyyy-mm-dd


def display_width(text: str) -> int:
    """The text's width in Excel's character units: wide (CJK) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime | date):
        return DATE_WIDTH
    lines = str(value).splitlines() or [""]
    return max(display_width(line) for line in lines)


def fitted_width(value: Any, least: int) -> int:
    """The column width that shows the value (with a little room), at least `least`, at most
    MAX_WIDTH."""
    return min(MAX_WIDTH, max(least, _width(value) + PADDING))
