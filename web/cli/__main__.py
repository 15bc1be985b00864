"""`python -m web.cli`: the `lookback` command line run as a module (how `lookback serve`
runs, so worker processes it starts need not run the console script again)."""

from web.cli import app

app(prog_name="lookback")
