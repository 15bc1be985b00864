"""The layers an export can hold (kept apart from the exporter, which loads pandas and
geopandas, so that the command line's help can list them quickly)."""

from __future__ import annotations

LAYERS = ("sites", "grid_cells", "photos", "photo_footprints", "cases", "lookback_rounds")
# The ledgers (台账) an Excel export holds, one sheet each (web/services/ledgers.py).
LEDGER_CODES = ("cases", "measures", "tickets", "lookback_rounds", "complaints", "enforcement")
