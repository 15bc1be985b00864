"""Commands on photos: ingest files and folders, set a photo's location."""

from __future__ import annotations

import os
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from imagery.errors import ImageryError
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, error, fail, progress_bar

if TYPE_CHECKING:  # the rest is imported inside the commands: see web/cli/__init__.py
    from imagery.ingest import IngestContext, IngestResult
    from web.settings import Settings

photos_app = typer.Typer(help="Work on stored photos.", no_args_is_help=True)


class Kind(StrEnum):
    """What the files are; auto detects drone XMP and GeoTIFF georeferencing."""

    auto = "auto"
    field = "field"
    drone = "drone"
    orthophoto = "orthophoto"


def _context(settings: Settings, kind: str, user: str | None, *, render: bool,
             as_json: bool, crs: str | None = None) -> IngestContext:
    from imagery.ingest import IngestContext
    from imagery.limits import Limits
    from web.cli.accounts import named_account
    from web.cli.store import checked_store
    from web.clock import clock_for
    from web.database import engine_for, init_database

    engine = engine_for(settings)
    init_database(engine)
    if user is not None:
        user = named_account(engine, user, option="--user", as_json=as_json).name
    clock = clock_for(settings, engine)
    return IngestContext(engine=engine, store=checked_store(settings, as_json=as_json),
                         now=clock.now(), kind=kind, user=user, local_tz=clock.tz,
                         workers=min(2, os.cpu_count() or 1), render=render,
                         limits=Limits(settings.max_photo_pixels, settings.max_ortho_pixels),
                         crs=crs)


def _declared_crs(crs: str | None, lang: str, *, as_json: bool) -> str | None:
    """The CRS `--crs` declares, checked before any file is read (None: none declared)."""
    if crs is None:
        return None
    from imagery.errors import DeclaredCrsError
    from imagery.ortho.declared_crs import parse_declared_crs
    from web.i18n import t

    try:
        return parse_declared_crs(crs)
    except DeclaredCrsError as exc:
        fail(t("cli.ingest.bad_crs", "en" if as_json else lang, crs=crs, problem=exc.problem),
             as_json=as_json, problem="bad_crs")  # JSON stays English
    return None  # not reached: fail exits


def _refusal(result: IngestResult, lang: str) -> str:
    """Why a file was not stored, in the CLI's language where the catalog words the reason
    (`cli.reason.<code>`), else the domain's English sentence."""
    from web.i18n import t
    from web.i18n.catalog import MESSAGES
    from web.services.rejections import rejection_code

    key = f"cli.reason.{rejection_code(result.reason or '')}"
    return t(key, lang, file=result.file) if key in MESSAGES else \
        f"{result.file}: {result.reason}"


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Image files and folders (walked).")],
    kind: Annotated[Kind, typer.Option(help="What the files are.")] = Kind.auto,
    user: Annotated[str | None, typer.Option(
        help="Who is uploading them (an existing account).")] = None,
    metadata_only: Annotated[bool, typer.Option(
        "--metadata-only",
        help="Index the files where they are from their metadata alone (no copy into the "
             "store, no thumbnails until one is first shown): for whole drone flights.")] = False,
    crs: Annotated[str | None, typer.Option(
        help="The CRS of GeoTIFFs exported without one (a geotransform but no projection), "
             "e.g. EPSG:4549; without it they are refused. Files with their own CRS keep "
             "it.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest photos and orthophotos: store, read location and time, georeference, flag."""
    from imagery.ingest import IngestRequest, collect_paths, ingest
    from web.settings import Settings

    settings = Settings()
    declared = _declared_crs(crs, settings.language, as_json=as_json)
    ctx = _context(settings, kind.value, user, render=not metadata_only, as_json=as_json,
                   crs=declared)
    requests = [IngestRequest(p) for p in collect_paths(paths)]
    counts = Counter(stored=0, duplicate=0, rejected=0)
    orthophotos: list[int | None] = []
    with progress_bar("ingesting", enabled=not as_json) as update:
        for result in ingest(ctx, requests, progress=update):
            counts[result.status] += 1
            if result.status == "stored" and result.kind == "orthophoto":
                orthophotos.append(result.id)
            if as_json:
                emit_json(result)
            elif result.status not in ("stored", "duplicate"):
                error(_refusal(result, settings.language))
    _queue_changes(settings, ctx, orthophotos)
    if not as_json:
        err_console.print(f"{counts['stored']} stored, {counts['duplicate']} duplicate, "
                          f"{counts['rejected']} rejected", highlight=False)
    if counts.total() > counts["stored"] + counts["duplicate"]:
        raise typer.Exit(1)


def _queue_changes(settings: Settings, ctx: IngestContext, photo_ids: list[int | None]) -> None:
    """Queue change detection for the sites the new orthophotos cover beside earlier ones
    (run by `lookback serve`'s pool or `lookback worker`)."""
    if not photo_ids:
        return
    from web.jobs.changes_job import submit_changes

    for photo_id in photo_ids:
        submit_changes(ctx.engine, settings, photo_id=photo_id, user_id=None)


@photos_app.command("set-location")
def set_location(
    photo_id: Annotated[int, typer.Argument(help="The photo's id.")],
    lon: Annotated[float, typer.Argument(help="Longitude, EPSG:4326.")],
    lat: Annotated[float, typer.Argument(help="Latitude, EPSG:4326.")],
    as_json: JsonOpt = False,
) -> None:
    """Pin a photo to a position by hand (it is georeferenced again)."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        fail(f"point ({lon}, {lat}): not a longitude/latitude in EPSG:4326", as_json=as_json)
    from imagery import photos as photo_records
    from imagery.georef import Georeferencer
    from web.database import engine_for, init_database
    from web.settings import Settings

    engine = engine_for(Settings())
    init_database(engine)
    try:
        with engine.begin() as conn:
            georef = Georeferencer.from_connection(conn).locate(lon, lat)
            photo_records.set_location(conn, photo_id, lon, lat, georef=georef)
    except ImageryError as exc:
        fail(str(exc), as_json=as_json)
    result = {"id": photo_id, "lon": lon, "lat": lat, "location_source": "manual",
              "grid_cell": georef.grid_cell,
              "near_sites": [{"code": s.code, "kind": s.kind, "name": s.name,
                              "distance_m": s.distance_m} for s in georef.sites]}
    if as_json:
        emit_json(result)
    else:
        cell = georef.grid_cell
        typer.echo(f"photo {photo_id} pinned at {lon}, {lat}; grid cell "
                   f"{cell['code'] if cell else 'none'}; {len(georef.sites)} site(s) near")
