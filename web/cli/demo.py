"""`lookback demo`: load the demo district, or generate larger synthetic sets."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from inspections.errors import InspectionError
from web.cli.layers import JsonOpt, load_files
from web.cli.output import emit_json, err_console, fail, progress_bar

SCALES = {"district": 1, "city": 10, "province": 100}


class Scale(StrEnum):
    """Size of a synthetic data set, relative to the demo district."""

    district = "district"
    city = "city"
    province = "province"


def _database_is_empty() -> bool:
    # Imported here and in each function below, not at the top, so that `lookback --help`
    # need not load them.
    from geo import layers as geo_layers
    from web.database import engine_for, init_database
    from web.settings import Settings

    engine = engine_for(Settings())
    init_database(engine)
    with engine.connect() as conn:
        return (geo_layers.count(conn, geo_layers.GRID_CELLS) == 0
                and geo_layers.count(conn, geo_layers.SITES) == 0)


def demo(
    scale: Annotated[Scale | None, typer.Option(
        help="Generate a synthetic set this size (city = 10x, province = 100x) into --out "
             "instead of loading the shipped demo district.")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for a generated set.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of a generated set.")] = 2022,
    load: Annotated[bool, typer.Option(help="Also import a generated set.")] = False,
    if_empty: Annotated[bool, typer.Option(
        help="Load the demo only when the database holds no layers yet.")] = False,
    with_scenario: Annotated[bool, typer.Option(
        "--scenario/--no-scenario",
        help="Also play the 2018-2022 scenario (cases, look-backs, photos, tickets, "
             "complaints, enforcement) into the shipped district.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Load the demo district through the importers (or generate a larger synthetic set),
    then the scenario of the source report's year through the services; the database then
    keeps the scenario's frozen clock."""
    from web.settings import Settings

    if scale is None:
        if if_empty and not _database_is_empty():
            err_console.print("database already holds layers; demo not loaded again")
            return
        manifest = Settings().demo_dir / "manifest.json"
        if not load_files(manifest, as_json=as_json):
            raise typer.Exit(1)
        _demo_accounts(as_json=as_json)
        if with_scenario:
            _play_scenario(as_json=as_json)
        return
    if out is None:
        fail("--scale needs --out FOLDER to write the generated files to", as_json=as_json)
    manifest = _generate(SCALES[scale.value], seed, out, as_json=as_json)
    if load and not load_files(manifest, as_json=as_json):
        raise typer.Exit(1)


def _demo_accounts(*, as_json: bool) -> None:
    from web.accounts.demo import add_demo_accounts
    from web.clock import clock_for
    from web.database import engine_for
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    now = clock_for(settings, engine).now()  # read before the writing transaction opens
    with engine.begin() as conn:
        made = add_demo_accounts(conn, now)
    accounts = [{"name": user.name, "role": user.role, "password": password,
                 "demo_only": True} for user, password in made]
    if as_json:
        emit_json({"demo_accounts": accounts})
        return
    if accounts:
        err_console.print("demo accounts (DEMO ONLY: remove them before real use):")
        for a in accounts:
            err_console.print(f"  {a['name']:<10} {a['role']:<13} password {a['password']}",
                              highlight=False)


def _play_scenario(*, as_json: bool) -> None:
    from inspections.demo import orthophotos, scenario
    from web.clock import remember_demo_time
    from web.database import engine_for
    from web.services.changes import after_ingest
    from web.settings import Settings
    from web.store import file_store

    settings = Settings()
    engine = engine_for(settings)
    try:
        with progress_bar("playing the demo scenario", enabled=not as_json) as update:
            summary = scenario.load(engine, file_store(settings), progress=update,
                                    on_ingest=after_ingest(engine, settings,
                                                           gsd_m=orthophotos.GSD_M))
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    # The database keeps the scenario's clock, so a later `lookback tick` (or any command,
    # or the server) runs on the demo's day instead of moving its records on to today.
    remember_demo_time(engine, scenario.END)
    if as_json:
        emit_json({"scenario": summary})
        return
    err_console.print(
        f"scenario: {summary['cases']} cases ({summary['cases_closed']} closed), "
        f"{summary['lookback_rounds']} look-back rounds, {summary['photos']} photos, "
        f"{summary['tickets']} tickets, {summary['complaints']} complaints, "
        f"{summary['enforcement_actions']} enforcement actions. The database keeps its "
        f"clock, frozen at {summary['now']}, for every command and the server "
        "(LOOKBACK_NOW=real runs on the real time).",
        highlight=False)


def _generate(scale: int, seed: int, out: Path, *, as_json: bool) -> Path:
    from geo.synthetic import generate_district, write_district_files

    started = time.perf_counter()
    with err_console.status(f"generating a synthetic set at {scale}x the district"):
        district = generate_district(scale=scale, seed=seed)
        manifest = write_district_files(district, out)
    summary = {"scale": scale, "seed": seed, "out": str(out), "manifest": str(manifest),
               "grid_cells": len(district.grid_cells), "enterprises": len(district.enterprises),
               "landfills": len(district.landfills), "plants": len(district.plants),
               "seconds": round(time.perf_counter() - started, 2)}
    if as_json:
        emit_json(summary)
    else:
        err_console.print(f"wrote {summary['grid_cells']} grid cells, {summary['enterprises']} "
                          f"enterprises, {summary['landfills']} landfills, {summary['plants']} "
                          f"plants to {out} in {summary['seconds']} s", highlight=False)
    return manifest
