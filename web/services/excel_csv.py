"""CSV for Excel (导出表格): column names and coded values in the reader's language (Chinese by
default), times in the district's zone, and text cells that Excel would run as a formula
neutralised (OWASP CSV injection); or, for machines, the raw codes and English names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from web.i18n import DEFAULT, t
from web.i18n.catalog import MESSAGES

# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TIME_COLUMNS = ("taken_at", "window_start", "window_end")
YES_NO_COLUMNS = ("key_case", "is_recurrence")
# Catalog prefixes of the coded values, by layer and column.
CODES = {("sites", "kind"): "kind.", ("photos", "kind"): "photokind.",
         ("photo_footprints", "kind"): "photokind.", ("cases", "source"): "source.",
         ("cases", "state"): "state.", ("lookback_rounds", "state"): "round."}


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV is written: for people (named columns and values in `lang`, times in `tz`)
    or, with `codes`, the raw codes and English column names for machines."""

    tz: ZoneInfo
    lang: str = DEFAULT
    codes: bool = False


def neutralise(value: Any) -> Any:
    """A text cell that Excel would read as a formula, prefixed with a quote so it stays
    text; numbers and empty cells are left alone (a negative number is a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _coded(prefix: str, value: Any, lang: str) -> Any:
    key = f"{prefix}{value}"
    return t(key, lang) if isinstance(value, str) and key in MESSAGES else value


def _flags(value: Any, lang: str) -> Any:
    """"time_in_future;device_far_from_exif: 332 m" with each flag named in `lang`."""
    if not isinstance(value, str) or not value:
        return value
    named = []
    for flag in value.split(";"):
        code, sep, detail = flag.partition(":")
        named.append(_coded("flag.", code, lang) + (sep + detail if sep else ""))
    return "；".join(named) if lang == "zh" else "; ".join(named)


def _local_time(value: Any, tz: ZoneInfo) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _yes_no(value: Any, lang: str) -> Any:
    return t("export.yes" if value else "export.no", lang) if isinstance(value, bool) else value


def _column(layer: str, name: str, values: pd.Series, lang: str, tz: ZoneInfo) -> pd.Series:
    if (layer, name) in CODES:
        return values.map(lambda v: _coded(CODES[layer, name], v, lang))
    if name == "flags":
        return values.map(lambda v: _flags(v, lang))
    if name in TIME_COLUMNS:
        return values.map(lambda v: _local_time(v, tz))
    if name in YES_NO_COLUMNS:
        return values.map(lambda v: _yes_no(v, lang))
    return values


def _header(name: str, lang: str) -> str:
    key = f"export.col.{name}"
    return t(key, lang) if key in MESSAGES else name


def excel_table(table: pd.DataFrame, layer: str, style: CsvStyle) -> pd.DataFrame:
    """The table as it goes into the CSV, in the `style` asked for; text cells that would
    run as formulas are neutralised either way."""
    if not style.codes:
        table = pd.DataFrame({_header(name, style.lang):
                              _column(layer, name, table[name], style.lang, style.tz)
                              for name in table.columns})
    table = table.copy()
    for name in table.columns:
        if not pd.api.types.is_numeric_dtype(table[name]):
            table[name] = table[name].map(neutralise)
    return table
