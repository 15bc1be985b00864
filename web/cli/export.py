"""`lookback export`: layers to CSV, GeoJSON or a GeoPackage; ledgers (台账) to Excel."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspections.errors import InspectionError
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, fail
from web.services.export_layers import LAYERS, LEDGER_CODES

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from inspections.clock import Clock


class Format(StrEnum):
    """File formats."""

    csv = "csv"
    geojson = "geojson"
    gpkg = "gpkg"
    xlsx = "xlsx"


def export(
    layers: Annotated[list[str], typer.Argument(
        help=f"What to export: {', '.join(LAYERS)} (a GeoPackage takes several); with "
             f"--format xlsx the ledgers {', '.join(LEDGER_CODES)} (one sheet each).")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    fmt: Annotated[Format, typer.Option("--format",
                                        help="csv, geojson, gpkg or xlsx.")] = Format.gpkg,
    state: Annotated[str | None, typer.Option(help="Cases or rounds in this state.")] = None,
    source: Annotated[str | None, typer.Option(help="Cases from this source.")] = None,
    codes: Annotated[bool, typer.Option(
        "--codes", help="CSV: the raw codes and English column names, for machines (default: "
                        "Chinese names and values, times in the district's zone).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export layers with their attributes (EPSG:4326); CSV is UTF-8 with a BOM for Excel
    (formula-like text cells neutralised), GeoPackage and GeoJSON keep the raw codes. xlsx
    writes ledgers as the bureau keeps them (Chinese headers, dates as dates), ready to be
    edited and imported back with `lookback import ledger`."""
    # Imported here, not at the top, so that `lookback --help` need not load them.
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.services import exports
    from web.services.excel_csv import CsvStyle
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    if fmt == Format.xlsx:
        export_ledgers(layers, out, engine, clock_for(settings, engine), settings.language,
                       {"state": state, "source": source}, as_json=as_json)
        return
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


def export_ledgers(codes: list[str], out: Path, engine: Engine, clock: Clock, lang: str,
                   filters: dict[str, str | None], *, as_json: bool) -> None:
    """Write the ledgers as one workbook (everything, filtered by state or source where a
    ledger has that column)."""
    from web.services.ledger_book import export_book

    unknown = [c for c in codes if c not in LEDGER_CODES]
    if unknown:
        fail(f"export: {', '.join(unknown)} is no ledger; xlsx holds "
             f"{', '.join(LEDGER_CODES)}", as_json=as_json)
    with engine.connect() as conn:
        data = export_book(conn, list(dict.fromkeys(codes)), None, clock, lang,
                           {k: v for k, v in filters.items() if v})
    out.write_bytes(data)
    summary = {"out": str(out), "format": "xlsx", "sheets": list(dict.fromkeys(codes))}
    if as_json:
        emit_json(summary)
    else:
        err_console.print(f"wrote {out}: {', '.join(codes)}")
