"""`lookback users add`: roles and their bindings checked, the password from standard input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from tests.geo import sample
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in
from web.accounts.schema import users
from web.database import init_database


@pytest.fixture
def url(database_url: str) -> str:
    """A database with the sample grid cells (codes G1, G2, G3)."""
    engine = create_engine(database_url)
    init_database(engine)
    sample.load(engine)
    engine.dispose()
    return database_url


def _names(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = list(conn.execute(sa.select(users.c.name).order_by(users.c.name)).scalars())
    engine.dispose()
    return found


def test_an_officer_bound_to_grid_cells_can_sign_in(url: str) -> None:
    codes = _grid_codes(url)
    result = run(url, "users", "add", "Wang.Wei", "--role", "grid_officer", "--grid", codes[0],
                 "--grid", codes[1], "--json", input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    [line] = json_lines(result.stdout)
    assert (line["name"], line["role"], line["grid_cells"]) == (
        "wang.wei", "grid_officer", sorted(codes[:2]))
    client = client_for(url)
    assert sign_in(client, "wang.wei", "s3cret-pass").status_code == 303


def _grid_codes(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        codes = list(conn.execute(sa.text("SELECT code FROM grid_cells ORDER BY code"))
                     .scalars())
    engine.dispose()
    return codes


@pytest.mark.parametrize(("args", "message"), [
    (["x", "--role", "leader"], "a name is 2 to 64 characters"),
    (["li ming", "--role", "leader"], "a name is 2 to 64 characters"),
    (["li", "--role", "boss"], "role 'boss' is unknown"),
    (["li", "--role", "grid_officer"], "role grid_officer needs --grid"),
    (["li", "--role", "inspector"], "role inspector needs --agency"),
    (["li", "--role", "unit"], "role unit needs --unit"),
    (["li", "--role", "leader", "--unit", "区生态环境分局"], "--unit is only for role unit"),
    (["li", "--role", "grid_officer", "--grid", "NOPE"], "no grid cell with code NOPE"),
])
def test_bad_users_are_refused_and_nothing_is_written(url: str, args: list[str],
                                                      message: str) -> None:
    result = run(url, "users", "add", *args, "--json", input="long-enough-pass\n")
    assert result.exit_code == 1
    assert message in json_lines(result.stdout)[0]["error"]
    assert _names(url) == []


def test_short_passwords_and_taken_names_are_refused(url: str) -> None:
    short = run(url, "users", "add", "li", "--role", "leader", "--json", input="short\n")
    assert "at least 8 characters" in json_lines(short.stdout)[0]["error"]
    assert run(url, "users", "add", "li", "--role", "leader", input="long-enough\n"
               ).exit_code == 0
    taken = run(url, "users", "add", "LI", "--role", "admin", "--json", input="long-enough\n")
    assert taken.exit_code == 1
    assert "user li: the name is taken" in json_lines(taken.stdout)[0]["error"]
    assert _names(url) == ["li"]
