"""Tables whose rows are points (CSV, Excel): finding the coordinate columns."""

from __future__ import annotations

from collections.abc import Sequence

from geo.errors import LayerImportError

X_NAMES = ("lon", "lng", "longitude", "x", "经度")
Y_NAMES = ("lat", "latitude", "y", "纬度")


def find_column(columns: Sequence[str], given: str | None,
                names: tuple[str, ...]) -> str | None:
    """The column `given` names, else the first one called one of `names` (any case)."""
    if given is not None:
        return given if given in columns else None
    lowered = {str(c).strip().lower(): c for c in columns}
    return next((lowered[name] for name in names if name in lowered), None)


def coordinate_column(columns: Sequence[str], given: str | None, names: tuple[str, ...],
                      option: str, source: str) -> str:
    """The column holding one coordinate; LayerImportError listing the columns when none."""
    found = find_column(columns, given, names)
    if found is not None:
        return found
    listed = ", ".join(map(str, columns))
    if given is not None:
        raise LayerImportError(source, [f"no column {given!r} for {option}; columns: {listed}"])
    raise LayerImportError(source, [f"no coordinate column found; name it with {option} "
                                    f"(columns: {listed})"])
