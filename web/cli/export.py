"""`lookback export`: layers to CSV, GeoJSON or a GeoPackage."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from inspections.errors import InspectionError
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, fail
from web.services.export_layers import LAYERS


class Format(StrEnum):
    """File formats."""

    csv = "csv"
    geojson = "geojson"
    gpkg = "gpkg"


def export(
    layers: Annotated[list[str], typer.Argument(
        help=f"What to export: {', '.join(LAYERS)} (a GeoPackage takes several).")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="csv, geojson or gpkg.")] = Format.gpkg,
    state: Annotated[str | None, typer.Option(help="Cases or rounds in this state.")] = None,
    source: Annotated[str | None, typer.Option(help="Cases from this source.")] = None,
    codes: Annotated[bool, typer.Option(
        "--codes", help="CSV: the raw codes and English column names, for machines (default: "
                        "Chinese names and values, times in the district's zone).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export layers with their attributes (EPSG:4326); CSV is UTF-8 with a BOM for Excel
    (formula-like text cells neutralised), GeoPackage and GeoJSON keep the raw codes."""
    # Imported here, not at the top, so that `lookback --help` need not load them.
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.services import exports
    from web.services.excel_csv import CsvStyle
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    style = CsvStyle(tz=clock_for(settings, engine).tz, codes=codes)
    try:
        with engine.connect() as conn:
            frames = {}
            for layer in layers:
                filters = {"state": state} | ({"source": source} if layer == "cases" else {})
                frames[layer] = exports.frame(conn, layer, filters=filters)
        if out.exists():
            out.unlink()
        exports.write(frames, fmt.value, out, style)
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    summary = {"out": str(out), "format": fmt.value,
               "layers": {name: len(gdf) for name, gdf in frames.items()}}
    if as_json:
        emit_json(summary)
    else:
        err_console.print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in
                                                         summary["layers"].items()))
