"""Errors raised by the geodata package; one base class, specific subclasses."""


class GeoError(Exception):
    """Base class of every error the geo package raises on purpose."""


class LayerImportError(GeoError):
    """A layer file could not be imported; nothing from it was stored."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        shown = problems[:10]
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        lines = "\n  ".join(shown)
        super().__init__(f"{source}: {lines}{more}" if len(shown) == 1 and not more
                         else f"{source}: {len(problems)} problem(s):\n  {lines}{more}")


class UnknownDatabaseError(GeoError):
    """The database URL names a backend Lookback does not support."""


class QueryError(GeoError):
    """A spatial query was given an argument it cannot use."""
