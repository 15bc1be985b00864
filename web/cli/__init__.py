"""The `lookback` command line (typer): one console script, a sub-command per task.

The command modules import at their top only what their options need (typer, the standard
library, web.cli.output, the message catalog); the settings, the database, the web app and
the heavy libraries (matplotlib, geopandas, rasterio, ...) are imported inside the commands
that use them, so `lookback --help` and light commands start fast
(tests/web/test_cli_startup.py, benchmarks/bench_cli.py)."""

from __future__ import annotations

import typer

from web.cli import (
    assessment,  # noqa: F401  (adds `cases assess` and `cases step-roles`)
    audit,
    audit_messages,
    changes,
    contact,  # noqa: F401  (adds `cases contact`)
    demo,
    export,
    imagery,
    inspections,
    layers,
    ledger,
    report,
    serve,
    store,
    users,
    worker,
)

app = typer.Typer(
    help="Lookback: field inspection and drone re-check of environmental rectification.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("init")(layers.init)
app.command("layers")(layers.show_layers)
app.command("locate")(layers.locate)
layers.import_app.command("ledger")(ledger.import_ledger)
app.add_typer(layers.import_app, name="import")
app.command("ingest")(imagery.ingest_command)
app.add_typer(imagery.photos_app, name="photos")
app.add_typer(inspections.cases_app, name="cases")
app.add_typer(inspections.lookbacks_app, name="lookbacks")
app.add_typer(audit.audit_app, name="audit")
app.command("tick")(inspections.tick)
app.command("stats")(inspections.stats_command)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.add_typer(users.users_app, name="users")
app.command("export")(export.export)
app.add_typer(report.report_app, name="report")
app.add_typer(store.store_app, name="store")
app.add_typer(changes.changes_app, name="changes")


@app.callback()
def _before_any_command(ctx: typer.Context) -> None:
    """Refuse to run with an unusable audit key file, saying why, before any work (`init`
    and `audit` say it themselves, as JSON with --json)."""
    if ctx.invoked_subcommand not in ("init", "audit"):
        from web.settings import Settings

        audit_messages.check_key_file(Settings())
