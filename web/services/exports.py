"""Exports (导出): sites, grid cells, photos and their footprints, cases and look-back rounds
as CSV (UTF-8 with BOM, for Excel: see excel_csv), GeoJSON or GeoPackage (one layer each,
raw codes, for QGIS), with the same filters as the lists and only what the user may see."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from shapely.geometry import Point

from geo.layers import GRID_CELLS, SITES, all_features
from imagery.schema import photos
from inspections.cases import list_cases
from inspections.clock import aware
from inspections.errors import InvalidInput
from inspections.lookbacks import list_rounds
from web.accounts.users import User
from web.services.excel_csv import CsvStyle, excel_table
from web.services.export_layers import LAYERS
from web.services.records import cases_for, rounds_for
from web.services.visibility import photo_condition

FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
           "gpkg": "application/geopackage+sqlite3"}
CRS = "EPSG:4326"


def _frame(records: list[dict[str, Any]], geometries: list[Any]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(records), geometry=geometries, crs=CRS)


def _layer(conn: sa.Connection, layer: Any, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    rows = all_features(conn, layer, columns)
    return _frame([{c: r[c] for c in ("id", *columns)} for r in rows],
                  [r["geom"] for r in rows])


def _iso(at: Any) -> str | None:
    return aware(at).isoformat() if at is not None else None


def _photos(conn: sa.Connection, user: User | None, footprints: bool) -> gpd.GeoDataFrame:
    stmt = sa.select(photos).order_by(photos.c.id)
    condition = photo_condition(user) if user is not None else None
    if condition is not None:
        stmt = stmt.where(condition)
    if footprints:
        stmt = stmt.where(photos.c.footprint.is_not(None))
    rows = conn.execute(stmt).mappings().all()
    records = [{"id": r["id"], "kind": r["kind"], "taken_at": _iso(r["taken_at"]),
                "uploaded_by": r["uploaded_by"], "grid_cell_id": r["grid_cell_id"],
                "flags": ";".join(r["flags"] or []), "note": r["note"]} for r in rows]
    return _frame(records, [r["footprint"] if footprints else r["geom"] for r in rows])


def _case_point(case: Any, sites: Mapping[int, Any]) -> Any:
    if case.lon is not None:
        return Point(case.lon, case.lat)
    site = next((sites[s] for s in case.site_ids if s in sites), None)
    return None if site is None else site.representative_point()


def _site_geoms(conn: sa.Connection) -> dict[int, Any]:
    t = SITES.table
    return dict(conn.execute(sa.select(t.c.id, t.c.geom)).all())


def _cases(conn: sa.Connection, user: User | None, filters: dict[str, Any]) -> gpd.GeoDataFrame:
    found = cases_for(conn, user, **filters) if user is not None else \
        list_cases(conn, **filters)
    sites = _site_geoms(conn)
    records = [{"reference": c.reference, "source": c.source, "inspection": c.inspection,
                "batch": c.batch, "title": c.title, "responsible_unit": c.responsible_unit,
                "deadline": c.deadline.isoformat(), "state": c.state,
                "key_case": c.key_case, "is_recurrence": c.is_recurrence} for c in found]
    return _frame(records, [_case_point(c, sites) for c in found])


def _rounds(conn: sa.Connection, user: User | None, filters: dict[str, Any]) -> gpd.GeoDataFrame:
    found = rounds_for(conn, user, **filters) if user is not None else \
        list_rounds(conn, **filters)
    sites = _site_geoms(conn)
    records = [{"id": r.id, "case": r.case_reference, "number": r.number, "state": r.state,
                "agency": r.agency, "window_start": r.window_start.isoformat(),
                "window_end": r.window_end.isoformat(),
                "evidence": len(r.evidence_photo_ids)} for r in found]
    return _frame(records, [next((sites[s].representative_point() for s in r.site_ids
                                  if s in sites), None) for r in found])


def frame(conn: sa.Connection, layer: str, user: User | None = None,
          filters: dict[str, Any] | None = None) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame in EPSG:4326 (user None: everything, for the CLI)."""
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    if layer == "sites":
        return _layer(conn, SITES, ("code", "name", "kind", "industry", "town"))
    if layer == "grid_cells":
        return _layer(conn, GRID_CELLS, ("code", "name", "town"))
    if layer in ("photos", "photo_footprints"):
        return _photos(conn, user, layer == "photo_footprints")
    if layer == "cases":
        return _cases(conn, user, filters)
    if layer == "lookback_rounds":
        return _rounds(conn, user, filters)
    raise InvalidInput(f"export: layer {layer!r} is unknown; use one of {', '.join(LAYERS)}")


def check_format(fmt: str) -> str:
    """The format, if known."""
    if fmt not in FORMATS:
        raise InvalidInput(f"export: format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")
    return fmt


def write(frames: Mapping[str, gpd.GeoDataFrame], fmt: str, path: Path,
          style: CsvStyle) -> None:
    """Write layers to a file: a GeoPackage holds them all; CSV (in `style`) and GeoJSON hold
    one. GeoPackage and GeoJSON keep the raw codes, for QGIS and machines."""
    check_format(fmt)
    if fmt != "gpkg" and len(frames) != 1:
        raise InvalidInput(f"export: {fmt} holds one layer; got {', '.join(frames)}")
    if fmt == "gpkg":
        for name, gdf in frames.items():
            gdf.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return
    [(layer, gdf)] = frames.items()
    if fmt == "geojson":
        path.write_text(gdf.to_json(ensure_ascii=False, drop_id=True), encoding="utf-8")
        return
    table = pd.DataFrame(gdf.drop(columns="geometry"))
    table["lon"] = [g.representative_point().x if g is not None else None
                    for g in gdf.geometry]
    table["lat"] = [g.representative_point().y if g is not None else None
                    for g in gdf.geometry]
    table["wkt"] = [g.wkt if g is not None else None for g in gdf.geometry]
    excel_table(table, layer, style).to_csv(path, index=False, encoding="utf-8-sig")


def export_bytes(frames: Mapping[str, gpd.GeoDataFrame], fmt: str, style: CsvStyle) -> bytes:
    """The file of `write`, as bytes (for a download)."""
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / f"export.{fmt}"
        write(frames, fmt, path, style)
        return path.read_bytes()


