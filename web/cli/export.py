"""`lookback export`: layers to CSV, GeoJSON or a GeoPackage."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from inspections.errors import InspectionError
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, fail
from web.database import engine_for, init_database
from web.services import exports
from web.settings import Settings


class Format(StrEnum):
    """File formats."""

    csv = "csv"
    geojson = "geojson"
    gpkg = "gpkg"


def export(
    layers: Annotated[list[str], typer.Argument(
        help=f"What to export: {', '.join(exports.LAYERS)} (a GeoPackage takes several).")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="csv, geojson or gpkg.")] = Format.gpkg,
    state: Annotated[str | None, typer.Option(help="Cases or rounds in this state.")] = None,
    source: Annotated[str | None, typer.Option(help="Cases from this source.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export layers with their attributes (EPSG:4326); CSV is UTF-8 with a BOM for Excel."""
    engine = engine_for(Settings())
    init_database(engine)
    try:
        with engine.connect() as conn:
            frames = {}
            for layer in layers:
                filters = {"state": state} | ({"source": source} if layer == "cases" else {})
                frames[layer] = exports.frame(conn, layer, filters=filters)
        if out.exists():
            out.unlink()
        exports.write(frames, fmt.value, out)
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    summary = {"out": str(out), "format": fmt.value,
               "layers": {name: len(gdf) for name, gdf in frames.items()}}
    if as_json:
        emit_json(summary)
    else:
        err_console.print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in
                                                         summary["layers"].items()))
