"""A geometry column type that is WKB in SQLite and geometry(Geometry, 4326) in PostGIS.
Shapely (and numpy) are imported when the first geometry is written or read, not with the
tables: a command that meets none (`lookback cases list` with no located case) starts
without them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

SRID = 4326


class _WkbIn(FunctionElement):
    """Turn a WKB parameter into the backend's geometry value."""

    inherit_cache = True
    name = "wkb_in"


class _WkbOut(FunctionElement):
    """Turn a stored geometry into WKB for the client."""

    inherit_cache = True
    name = "wkb_out"


@compiles(_WkbIn)
def _wkb_in_default(element: _WkbIn, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_WkbIn, "postgresql")
def _wkb_in_postgis(element: _WkbIn, compiler: Any, **kw: Any) -> str:
    return f"ST_GeomFromWKB({compiler.process(element.clauses, **kw)}, {SRID})"


@compiles(_WkbOut)
def _wkb_out_default(element: _WkbOut, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_WkbOut, "postgresql")
def _wkb_out_postgis(element: _WkbOut, compiler: Any, **kw: Any) -> str:
    return f"ST_AsBinary({compiler.process(element.clauses, **kw)})"


class Geometry(sa.types.UserDefinedType):
    """Shapely geometry in EPSG:4326, stored as WKB (SQLite) or PostGIS geometry."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        """The column type as DDL; overridden per dialect below."""
        return "BLOB"

    def bind_expression(self, bindvalue: Any) -> Any:
        """Wrap the WKB parameter so PostGIS receives a geometry with SRID 4326."""
        return _WkbIn(bindvalue)

    def column_expression(self, colexpr: Any) -> Any:
        """Read the column back as WKB on every backend."""
        return _WkbOut(colexpr)

    def bind_processor(self, dialect: Any):  # noqa: ANN201
        """Shapely geometry (or WKB already made) to WKB bytes."""

        def process(value: BaseGeometry | bytes | None) -> bytes | None:
            if value is None or isinstance(value, bytes):
                return value  # already WKB (bulk writers serialise whole arrays at once)
            from shapely import to_wkb  # a look-up in sys.modules after the first

            return to_wkb(value)

        return process

    def result_processor(self, dialect: Any, coltype: Any):  # noqa: ANN201
        """WKB bytes to shapely geometry."""

        def process(value: bytes | memoryview | None) -> BaseGeometry | None:
            if value is None:
                return None
            from shapely import from_wkb  # a look-up in sys.modules after the first

            return from_wkb(bytes(value))

        return process


@compiles(Geometry, "postgresql")
def _geometry_postgis(element: Geometry, compiler: Any, **kw: Any) -> str:
    return f"geometry(Geometry, {SRID})"


# Reading through ST_AsBinary must still give shapely geometries back.
_WkbOut.type = Geometry()
