"""Complaint workbooks for the tests, made with openpyxl as a clerk's Excel would save them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from geo.db import create_engine

HEADERS = ("受理日期", "渠道", "内容", "经度", "纬度", "点位编码", "案件编号")
CHANNELS = ("12369热线", "网络", "来信", "来访")


def rows(count: int, site_code: str | None, start: date = date(2022, 3, 1)) -> list[list[Any]]:
    """`count` good rows: dates as Excel dates, every channel, a pin on every other row."""
    made = []
    for i in range(count):
        day = datetime(start.year, start.month + i % 6, 1 + i % 27)
        pin = (121.40 + i / 1000, 28.70) if i % 2 else (None, None)
        made.append([day, CHANNELS[i % 4], f"群众反映第{i + 1}处夜间异味", *pin,
                     site_code if i % 3 == 0 else None, None])
    return made


def workbook(body: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS) -> bytes:
    """An .xlsx with the headers and rows given."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in body:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def save(path: Path, data: bytes) -> Path:
    """Write a workbook to a file; its path."""
    path.write_bytes(data)
    return path


def cells(data: bytes) -> list[tuple[Any, ...]]:
    """Every row of a workbook's first sheet, as values."""
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def a_site(url: str) -> tuple[str, str, str]:
    """An enterprise of the demo district: its code, name and town."""
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT code, name, town FROM sites WHERE kind = 'enterprise' "
                                   "ORDER BY code")).first()
    engine.dispose()
    return row[0], row[1], row[2]
