"""`lookback users`: create accounts (the password from a prompt, or from standard input)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from web.accounts.errors import AccountError
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, fail, print_table
from web.i18n import t

users_app = typer.Typer(help="User accounts.", no_args_is_help=True)


def _password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Sign-in name (a-z, 0-9, '.', '_', '-').")],
    role: Annotated[str, typer.Option(
        help="grid_officer, inspector, unit, leader, admin, acceptor (验收工作小组) or "
             "assessor (评估工作小组).")],
    grid: Annotated[list[str] | None, typer.Option(
        help="A grid cell code the officer works in (repeat for more).")] = None,
    agency: Annotated[str | None, typer.Option(help="An inspector's agency.")] = None,
    unit: Annotated[str | None, typer.Option(help="A unit member's responsible unit.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user; the password is asked for (or read from standard input)."""
    # Imported here, not at the top, so that `lookback --help` need not load them.
    from web.accounts.users import add_user
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    password = _password()
    now = clock_for(settings, engine).now()  # read before the writing transaction opens
    try:
        with engine.begin() as conn:
            user = add_user(conn, name=name, password=password, role=role, grids=grid or [],
                            agency=agency, unit=unit, now=now)
    except AccountError as exc:
        fail(str(exc), as_json=as_json)
    line = {"id": user.id, "name": user.name, "role": user.role, "agency": user.agency,
            "unit": user.unit, "grid_cells": list(user.grid_cell_codes)}
    if as_json:
        emit_json(line)
    else:
        err_console.print(f"user {user.name} ({user.role}) created", highlight=False)


@users_app.command("list")
def list_command(as_json: JsonOpt = False) -> None:
    """Every account with its role, what binds it and whether it is active."""
    from web.accounts.users import list_users
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    with engine.connect() as conn:
        everyone = list_users(conn)
    if as_json:
        for u in everyone:
            emit_json({"id": u.id, "name": u.name, "role": u.role, "agency": u.agency,
                       "unit": u.unit, "active": u.active,
                       "grid_cells": list(u.grid_cell_codes)})
        return
    lang = settings.language
    print_table([t(k, lang) for k in ("accounts.name", "accounts.role", "accounts.bindings",
                                      "accounts.state")],
                [(u.name, t(f"role.{u.role}", lang),
                  "、".join(u.grid_cell_codes) or u.agency or u.unit or "—",
                  t("accounts.active" if u.active else "accounts.disabled", lang))
                 for u in everyone])
