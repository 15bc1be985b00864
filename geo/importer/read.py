"""Read a layer file of any supported format into a GeoDataFrame with its CRS."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.errors import LayerImportError
from geo.importer.encoding import guess_text_encoding, shapefile_encoding
from geo.importer.points import X_NAMES, Y_NAMES, coordinate_column
from geo.importer.workbook import read_workbook
from geo.importer.zipped import unzipped_layer

SUPPORTED = {
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".zip": "zip of Shapefiles or other layer files, at any folder depth",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
    ".csv": "CSV",
    ".xlsx": "Excel workbook",
}
NO_CRS = ("the file declares no CRS (a shapefile without .prj, or a CSV or Excel table); say "
          "which with --crs, e.g. --crs EPSG:4490")


def parse_crs(value: str, source: str) -> CRS:
    """A CRS from what a user typed (EPSG:4549, 4490, a WKT or PROJ string)."""
    text = value.strip()
    try:
        return CRS.from_user_input(int(text) if text.isdigit() else text)
    except CRSError as exc:
        problem = f"--crs {value!r} is not a CRS PROJ knows ({exc})"
        raise LayerImportError(source, [problem]) from exc


def read_layer(path: Path, *, layer: str | None = None, crs: str | None = None,
               encoding: str | None = None, x_field: str | None = None,
               y_field: str | None = None) -> gpd.GeoDataFrame:
    """Read a file into a GeoDataFrame in its own CRS (declared or overridden by `crs`).

    `layer` names a layer of a multi-layer file, a layer file inside a zip, or a sheet of
    a workbook."""
    source = str(path)
    suffix = _checked_suffix(path, source)
    if suffix == ".zip":
        with unzipped_layer(path, layer, source) as found:
            label = f"{source} ({found.member.path})"
            frame = _read_ogr(found.file, layer=found.inner, encoding=encoding, source=label)
            return _with_crs(frame, crs, label)
    if suffix == ".csv":
        frame = _read_csv(path, encoding=encoding, x_field=x_field, y_field=y_field)
    elif suffix == ".xlsx":
        frame = read_workbook(path, sheet=layer, x_field=x_field, y_field=y_field,
                              source=source)
    else:
        frame = _read_ogr(path, layer=layer, encoding=encoding, source=source)
    return _with_crs(frame, crs, source)


def _checked_suffix(path: Path, source: str) -> str:
    """The file's suffix, once it is known to exist and be of a supported type."""
    if not path.exists():
        raise LayerImportError(source, ["no such file"])
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kinds = ", ".join(f"{k} ({v})" for k, v in SUPPORTED.items())
        raise LayerImportError(source, [f"unsupported file type {suffix or '(none)'}; "
                                        f"supported: {kinds}"])
    return suffix


def _with_crs(frame: gpd.GeoDataFrame, crs: str | None, source: str) -> gpd.GeoDataFrame:
    if crs is not None:
        frame = frame.set_crs(parse_crs(crs, source), allow_override=True)
    if frame.crs is None:
        raise LayerImportError(source, [NO_CRS])
    return frame


def _read_ogr(path: Path, *, layer: str | None, encoding: str | None,
              source: str) -> gpd.GeoDataFrame:
    if encoding is None and path.suffix.lower() == ".shp":
        encoding = _safe(lambda: shapefile_encoding(path), source)
    try:
        names = [n for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL raises several types for unreadable files
        raise LayerImportError(source, [f"cannot be read as {SUPPORTED[path.suffix.lower()]}: "
                                        f"{exc}"]) from exc
    if layer is None and len(names) > 1:
        raise LayerImportError(source, [f"holds {len(names)} layers ({', '.join(names)}); "
                                        "choose one with --layer"])
    if layer is not None and layer not in names:
        raise LayerImportError(source, [f"has no layer {layer!r}; layers: {', '.join(names)}"])
    try:
        return pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as exc:
        raise LayerImportError(source, [f"cannot be read: {exc}"]) from exc


def _safe(func, source: str):  # noqa: ANN001, ANN202
    try:
        return func()
    except OSError as exc:
        raise LayerImportError(source, [f"cannot be read: {exc}"]) from exc


def _read_csv(path: Path, *, encoding: str | None, x_field: str | None,
              y_field: str | None) -> gpd.GeoDataFrame:
    source = str(path)
    raw = path.read_bytes()
    if encoding is None:
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else (
            guess_text_encoding(raw) or "ascii")
    try:
        frame = pd.read_csv(io.StringIO(raw.decode(encoding)), dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LayerImportError(source, [f"cannot be decoded as {encoding}: {exc}"]) from exc
    except pd.errors.ParserError as exc:
        raise LayerImportError(source, [f"is not a readable CSV: {exc}"]) from exc
    x_col = coordinate_column(list(frame.columns), x_field, X_NAMES, "--x-field", source)
    y_col = coordinate_column(list(frame.columns), y_field, Y_NAMES, "--y-field", source)
    xs = _numbers(frame[x_col], x_col, source)
    ys = _numbers(frame[y_col], y_col, source)
    attrs = frame.drop(columns=[x_col, y_col])
    return gpd.GeoDataFrame(attrs, geometry=gpd.points_from_xy(xs, ys), crs=None)


def _numbers(column: pd.Series, name: str, source: str) -> np.ndarray:
    values = pd.to_numeric(column.str.strip(), errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy())
    if len(bad):
        rows = ", ".join(f"row {i + 2} ({column.iloc[i]!r})" for i in bad[:5])
        raise LayerImportError(source, [f"column {name!r} is not a number in {rows}"])
    return values.to_numpy(dtype=float)
