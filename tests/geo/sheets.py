"""A ledger (台账) in Excel as bureaus keep them, with coordinate columns, built on the spot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADER = ["企业编码", "企业名称", "行业", "经度", "纬度", "登记日期"]
ROWS = [[331002001, "台州市海门医化有限公司", "医化", 121.405, 28.7009, datetime(2021, 4, 6)],
        [331002002, "台州市东山印染有限公司", "印染", "121.4059", "28.7", None]]


def ledger(path: Path, rows: list[list] = ROWS, *, title: str = "企业台账",
           notes: bool = True) -> Path:
    """A ledger as bureaus keep them: a title row above the header, then the rows; a notes
    sheet first."""
    book = Workbook()
    if notes:
        book.active.title = "填表说明"
        book.active.append(["坐标为 CGCS2000 经纬度"])
        sheet = book.create_sheet(title)
    else:
        sheet = book.active
        sheet.title = title
    sheet.append(["2022年重点企业台账"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
