"""Commands on the geodata: init, import grid/sites, layers, locate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geo.errors import GeoError, LayerImportError
from geo.terms import DEFAULT_RADIUS_M, SITE_KINDS
from inspections.errors import AuditKeyError
from web.cli.audit_messages import anchor_or_stop, key_problem, say_anchored
from web.cli.output import emit_json, err_console, error, fail, progress_bar
from web.i18n import t

if TYPE_CHECKING:  # the rest is imported inside the commands: see web/cli/__init__.py
    from geo.importer import ImportOptions, ImportReport
    from geo.layers import Layer

import_app = typer.Typer(help="Import a layer file (GeoPackage, Shapefile, GeoJSON, KML, CSV, "
                              "Excel), or a zip of them.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print results as JSON.")]
FileArg = Annotated[Path, typer.Argument(
    help="The file: .gpkg, .shp, .zip (layer files at any folder depth), .geojson, .kml, .csv, "
         ".xlsx")]
CodeOpt = Annotated[str, typer.Option(help="Field holding the feature code.")]
NameOpt = Annotated[str, typer.Option(help="Field holding the feature name.")]
TownOpt = Annotated[str | None, typer.Option(help="Field holding the town (default: 'town').")]
LayerOpt = Annotated[str | None, typer.Option(
    help="Layer to read: of a multi-layer file, of a zip holding several (its file name, "
         "folder or path inside the zip), or an Excel workbook's sheet.")]
CrsOpt = Annotated[str | None, typer.Option(
    help="CRS of the coordinates (e.g. EPSG:4549): declares a missing one or overrides it.")]
EncodingOpt = Annotated[str | None, typer.Option(
    help="Text encoding of the attributes (e.g. GBK); guessed when not declared.")]
XOpt = Annotated[str | None, typer.Option(help="CSV, Excel: column with x / longitude.")]
YOpt = Annotated[str | None, typer.Option(help="CSV, Excel: column with y / latitude.")]


def init(as_json: JsonOpt = False) -> None:
    """Create or upgrade the database (never drops data); make the audit key; anchor the chain."""
    from inspections import audit_key
    from web.cli.store import clean_temporaries
    from web.database import engine_for, init_database
    from web.services.audit_anchors import anchor_fields
    from web.settings import Settings

    settings = Settings()
    try:
        _, key_created = audit_key.load_or_create(settings.audit_key_path)
    except AuditKeyError as exc:
        fail(key_problem(exc, settings.language), as_json=as_json, problem=f"key_{exc.problem}")
    engine = engine_for(settings)
    before, after = init_database(engine)
    if settings.uses_procrastinate:  # the jobs' runner on PostgreSQL keeps its own tables
        from web.jobs.pg_schema import ensure_procrastinate_schema

        ensure_procrastinate_schema(engine)
    clean_temporaries(settings)
    anchor = anchor_or_stop(engine, settings, "init", as_json=as_json)
    result = {"database": settings.database_url, "created": not before,
              "upgraded": bool(before) and before != after, "revisions": sorted(after),
              "audit_key": str(settings.audit_key_path), "audit_key_created": key_created,
              "audit_anchor": anchor_fields(anchor)}
    if as_json:
        emit_json(result)
        return
    state = "created" if result["created"] else (
        "upgraded" if result["upgraded"] else "already up to date")
    err_console.print(f"database {settings.database_url}: {state}")
    if key_created:
        typer.echo(t("audit.key.created", settings.language, path=settings.audit_key_path),
                   err=True)
    say_anchored(anchor, settings)


def show_layers(as_json: JsonOpt = False) -> None:
    """Count the grid cells and the sites of each kind."""
    from geo import layers as geo_layers
    from web.database import engine_for, init_database
    from web.settings import Settings

    engine = engine_for(Settings())
    init_database(engine)
    with engine.connect() as conn:
        result = {"grid_cells": geo_layers.count(conn, geo_layers.GRID_CELLS),
                  "sites": geo_layers.site_counts(conn)}
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"grid cells: {result['grid_cells']}")
        for kind, n in result["sites"].items():
            typer.echo(f"sites ({kind}): {n}")


def run_import(path: Path, layer: Layer, kind: str | None, options: ImportOptions,
               *, as_json: bool) -> ImportReport | None:
    """Import one file with a progress bar; report it; None when it failed."""
    from geo.importer import import_file
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    now = clock_for(settings, engine).now()
    try:
        with progress_bar(f"importing {path.name}", enabled=not as_json) as update:
            report = import_file(engine, path, layer, kind=kind, options=options,
                                 now=now, progress=update)
    except LayerImportError as exc:
        if as_json:
            emit_json({"source": exc.source, "error": str(exc), "problems": exc.problems})
        else:
            error(str(exc))
        return None
    if as_json:
        emit_json(report)
    else:
        err_console.print(f"{report.source}: {report.inserted} added, {report.updated} updated"
                          + (f", {len(report.repaired)} repaired" if report.repaired else ""),
                          highlight=False)
    return report


def load_files(manifest: Path, *, as_json: bool) -> bool:
    """Import every file of a manifest through the importers; True when all succeeded."""
    from geo.importer.manifest import entries_in_order, read_manifest

    try:
        entries = read_manifest(manifest)
    except LayerImportError as exc:
        fail(str(exc), as_json=as_json, source=exc.source)
    ok = True
    for entry in entries_in_order(entries):
        ok = run_import(entry.path, entry.layer, entry.kind, entry.options,
                        as_json=as_json) is not None and ok
    return ok


@import_app.command("manifest")
def import_manifest(
    manifest: Annotated[Path, typer.Argument(help="A manifest.json listing the files.")],
    as_json: JsonOpt = False,
) -> None:
    """Import every file a manifest.json lists (as `lookback demo` writes); each file is
    all-or-nothing, and the rest are still imported when one fails."""
    if not load_files(manifest, as_json=as_json):
        raise typer.Exit(1)


@import_app.command("grid")
def import_grid(file: FileArg, code_field: CodeOpt = "code", name_field: NameOpt = "name",
                town_field: TownOpt = None, layer: LayerOpt = None, crs: CrsOpt = None,
                encoding: EncodingOpt = None, x_field: XOpt = None, y_field: YOpt = None,
                as_json: JsonOpt = False) -> None:
    """Import grid cells (polygons); a code already stored is updated in place."""
    from geo import layers as geo_layers
    from geo.importer import ImportOptions

    options = ImportOptions(code_field, name_field, town_field, None, layer, crs, encoding,
                            x_field, y_field)
    if run_import(file, geo_layers.GRID_CELLS, None, options, as_json=as_json) is None:
        raise typer.Exit(1)


@import_app.command("sites")
def import_sites(
    file: FileArg,
    kind: Annotated[str, typer.Option(help=f"Site kind: {', '.join(SITE_KINDS)}.")],
    code_field: CodeOpt = "code", name_field: NameOpt = "name", town_field: TownOpt = None,
    industry_field: Annotated[str | None, typer.Option(
        help="Field holding the industry (default: 'industry').")] = None,
    layer: LayerOpt = None, crs: CrsOpt = None, encoding: EncodingOpt = None,
    x_field: XOpt = None, y_field: YOpt = None, as_json: JsonOpt = False,
) -> None:
    """Import sites (points or polygons) of one kind; a code already stored is updated."""
    from geo import layers as geo_layers
    from geo.importer import ImportOptions

    options = ImportOptions(code_field, name_field, town_field, industry_field, layer, crs,
                            encoding, x_field, y_field)
    if run_import(file, geo_layers.SITES, kind, options, as_json=as_json) is None:
        raise typer.Exit(1)


def locate(
    lon: Annotated[float, typer.Argument(help="Longitude, EPSG:4326.")],
    lat: Annotated[float, typer.Argument(help="Latitude, EPSG:4326.")],
    radius: Annotated[float, typer.Option(help="Search radius in metres.")] = DEFAULT_RADIUS_M,
    as_json: JsonOpt = False,
) -> None:
    """The grid cell a point falls in and the sites within the radius, nearest first."""
    from geo.locate import locate as locate_point
    from web.database import engine_for, init_database
    from web.settings import Settings

    engine = engine_for(Settings())
    init_database(engine)
    try:
        with engine.connect() as conn:
            where = locate_point(conn, lon, lat, radius)
    except GeoError as exc:
        fail(str(exc), as_json=as_json)
    if as_json:
        emit_json(where)
        return
    cell = where.grid_cell
    typer.echo(f"grid cell: {cell.code} {cell.name} ({cell.town})" if cell else
               "grid cell: none (outside every grid cell)")
    for site in where.sites:
        typer.echo(f"{site.distance_m:8.1f} m  {site.kind:<22} {site.code:<12} {site.name}")
