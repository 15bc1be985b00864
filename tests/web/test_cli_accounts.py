"""Accounts named on the command line must exist and be active, or the command refuses before
it stores anything."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from geo.db import create_engine
from imagery.schema import photos
from tests.imagery.images import exif_bytes, jpeg
from tests.web.cli import json_lines, run
from web.accounts.users import set_active


def _photo(tmp_path: Path) -> Path:
    return jpeg(tmp_path / "IMG_0300.JPG", seed=930, exif=exif_bytes(lon=121.45, lat=28.68))


def _stored(url: str, store: Path) -> tuple[list[str | None], list[Path]]:
    with create_engine(url).connect() as conn:
        rows = conn.execute(sa.select(photos.c.uploaded_by)).scalars().all()
    return rows, [p for p in store.rglob("*") if p.is_file()] if store.exists() else []


def test_ingest_refuses_an_unknown_user(fresh_demo_url: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run(fresh_demo_url, "ingest", str(_photo(tmp_path)), "--user", "wang.wei",
                 "--json", LOOKBACK_DATA_DIR=str(store))
    assert result.exit_code == 1
    [line] = json_lines(result.stdout)
    assert line["error"].startswith("--user wang.wei: no such account; create it first with "
                                    "`lookback users add wang.wei")
    assert (line["option"], line["account"]) == ("--user", "wang.wei")
    assert _stored(fresh_demo_url, store) == ([], [])
    plain = run(fresh_demo_url, "ingest", str(_photo(tmp_path)), "--user", "wang.wei",
                LOOKBACK_DATA_DIR=str(store))
    assert plain.exit_code == 1 and "--user wang.wei: no such account" in plain.stderr


def test_ingest_refuses_a_deactivated_user(fresh_demo_url: str, tmp_path: Path) -> None:
    engine = create_engine(fresh_demo_url)
    with engine.begin() as conn:
        set_active(conn, "officer", False)
    engine.dispose()
    store = tmp_path / "store"
    result = run(fresh_demo_url, "ingest", str(_photo(tmp_path)), "--user", "officer",
                 "--json", LOOKBACK_DATA_DIR=str(store))
    assert result.exit_code == 1
    assert json_lines(result.stdout)[0]["error"] == "--user officer: the account is deactivated"
    assert _stored(fresh_demo_url, store) == ([], [])


def test_ingest_records_the_accounts_own_name(fresh_demo_url: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run(fresh_demo_url, "ingest", str(_photo(tmp_path)), "--user", " Officer ",
                 "--json", LOOKBACK_DATA_DIR=str(store))
    assert result.exit_code == 0, result.output
    assert _stored(fresh_demo_url, store)[0] == ["officer"]
