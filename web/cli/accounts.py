"""Accounts named on the command line: a name must be an existing, active account, or the
command refuses before it does anything."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from web.accounts.users import User, find_user
from web.cli.output import fail


def named_account(engine: Engine, name: str, *, option: str, as_json: bool) -> User:
    """The account `name` given by `option` (e.g. "--user"); the command fails when there is
    no such account or it is deactivated."""
    with engine.connect() as conn:
        found = find_user(conn, name)
    if found is None:
        fail(f"{option} {name}: no such account; create it first with `lookback users add "
             f"{name} --role ROLE`", as_json=as_json, option=option, account=name)
    user = found[0]
    if not user.active:
        fail(f"{option} {name}: the account is deactivated", as_json=as_json, option=option,
             account=name)
    return user
