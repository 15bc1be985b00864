"""Plain constants of the layers, with no geometry or database library behind them, for code
that must load fast (the command line's help): the kinds of site, and how far from a point
sites are looked for."""

from __future__ import annotations

SITE_KINDS = ("landfill", "enterprise", "waste_to_energy_plant", "other")
DEFAULT_RADIUS_M = 100.0
