"""The `lookback` command line (typer): one console script, a sub-command per task."""

from __future__ import annotations

import typer

from web.cli import demo, imagery, layers, serve

app = typer.Typer(
    help="Lookback: field inspection and drone re-check of environmental rectification.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("init")(layers.init)
app.command("layers")(layers.show_layers)
app.command("locate")(layers.locate)
app.add_typer(layers.import_app, name="import")
app.command("ingest")(imagery.ingest_command)
app.add_typer(imagery.photos_app, name="photos")
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
