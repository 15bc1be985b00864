"""Import layer files (GeoPackage, Shapefile, GeoJSON, KML, CSV, Excel; zips of them) into the
layer tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import geopandas as gpd
from sqlalchemy.engine import Engine

from geo import layers
from geo.errors import LayerImportError
from geo.importer.read import read_layer
from geo.importer.validate import (
    POLYGONAL,
    FieldMap,
    check_codes,
    check_fields,
    check_in_china,
    features,
    repair_geometries,
    to_wgs84,
)
from geo.schema import SITE_KINDS

Progress = Callable[[int, int], None]
CHUNK = 5000


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file and which of its fields hold what."""

    code_field: str = "code"
    name_field: str = "name"
    town_field: str | None = None
    industry_field: str | None = None
    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None
    x_field: str | None = None
    y_field: str | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import stored: counts, and the features whose geometry was repaired."""

    source: str
    layer: str
    kind: str | None
    inserted: int
    updated: int
    repaired: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Features stored, new and updated."""
        return self.inserted + self.updated


def _field_map(frame: gpd.GeoDataFrame, options: ImportOptions) -> FieldMap:
    """The fields to use; town and industry default to columns so named, when present."""
    def default(given: str | None, name: str) -> str | None:
        return given if given is not None else (name if name in frame.columns else None)

    return FieldMap(options.code_field, options.name_field,
                    default(options.town_field, "town"),
                    default(options.industry_field, "industry"))


def prepare(path: Path, layer: layers.Layer, kind: str | None,
            options: ImportOptions) -> tuple[list[layers.Feature], list[str]]:
    """Read and check a file; the features in EPSG:4326 and the labels of repaired ones."""
    source = str(path)
    if layer is layers.SITES and kind not in SITE_KINDS:
        raise LayerImportError(source, [f"site kind {kind!r} is unknown; use one of "
                                        f"{', '.join(SITE_KINDS)}"])
    frame = read_layer(path, layer=options.layer, crs=options.crs, encoding=options.encoding,
                       x_field=options.x_field, y_field=options.y_field)
    fields = _field_map(frame, options)
    problems = check_fields(frame, fields)
    if problems:
        raise LayerImportError(source, problems)
    if len(frame) == 0:
        raise LayerImportError(source, ["holds no features"])
    allowed = POLYGONAL if layer is layers.GRID_CELLS else POLYGONAL | {"Point"}
    geoms, repaired, geom_problems = repair_geometries(frame, fields, allowed)
    problems = check_codes(frame, fields) + geom_problems
    if not problems:
        geoms = to_wgs84(frame, geoms)
        problems = check_in_china(frame, geoms, fields)
    if problems:
        raise LayerImportError(source, problems)
    return features(frame, geoms, fields, kind), repaired


def import_file(engine: Engine, path: Path, layer: layers.Layer, *, kind: str | None = None,
                options: ImportOptions = ImportOptions(), now: datetime,
                progress: Progress | None = None) -> ImportReport:
    """Import one file in one transaction: every feature is stored, or none is."""
    feats, repaired = prepare(Path(path), layer, kind, options)
    inserted = updated = 0
    with engine.begin() as conn:
        for start in range(0, len(feats), CHUNK):
            counts = layers.upsert(conn, layer, feats[start:start + CHUNK], now=now)
            inserted += counts.inserted
            updated += counts.updated
            if progress:
                progress(min(start + CHUNK, len(feats)), len(feats))
    return ImportReport(str(path), layer.name, kind, inserted, updated, repaired)
