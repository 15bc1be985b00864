"""The status colours (配色) of every view: the map's legend, the dashboard's charts and the
reports' figures take them from here, so overdue is red and passed green everywhere."""

from __future__ import annotations

# A site's look-back flag, as the map's legend shows it.
FLAG_COLOURS = {
    "recurred": "#c1121f",         # red: the problem came back
    "overdue": "#e85d04",          # red-orange: a look-back round missed its window
    "case_overdue": "#9d0208",     # dark red: a case past its deadline
    "awaiting_review": "#7b2cbf",  # purple: evidence waits for review
    "possible_change": "#d63384",  # magenta: change detection found something to review
    "due": "#f4a261",              # orange: a round's window is open
    "behind_schedule": "#e9c46a",  # yellow: work trails the calendar
    "passed": "#2b9348",           # green: re-checked and still fixed
}
NO_FLAG = "#6c757d"  # grey: nothing to flag
IN_PROGRESS = "#1a5ea8"  # blue: being worked on, on schedule (the status chips' blue)
LATE_ANSWER = "#e9c46a"  # yellow: a ticket answered after its deadline

GRID_LINE = "#b0b7bb"    # a grid cell's outline
TOWN_LINE = "#7d8a93"    # a town's boundary
DISTRICT_LINE = "#1f5f4a"  # the district's boundary (the application's own green)
SITE = "#1d2a33"         # a site without a flag
PHOTO = "#0077b6"        # a photo or a drone footprint, as on the map


def for_map() -> dict[str, object]:
    """The colours the map page's script needs (sent in its JSON data island)."""
    return {"flags": dict(FLAG_COLOURS), "none": NO_FLAG}
