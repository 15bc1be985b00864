"""Guess the text encoding of attribute tables that do not declare one (GBK is everyday)."""

from __future__ import annotations

import struct
from pathlib import Path

# DBF language-driver ids that name a Chinese code page.
_CHINESE_LDIDS = {0x4D, 0x7A}  # 936 (GBK) as written by ArcGIS and by older tools


def guess_text_encoding(data: bytes) -> str | None:
    """None when the bytes are plain ASCII, "UTF-8" when they decode as such, else "GB18030"
    (a superset of GBK and GB2312, the encodings Chinese bureaus' files use)."""
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF-8"


def _dbf_records(raw: bytes) -> tuple[int, bytes]:
    """The language-driver id and the record bytes of a dBASE file."""
    if len(raw) < 32:
        return 0, b""
    header_len = struct.unpack("<H", raw[8:10])[0]
    return raw[29], raw[header_len:]


def shapefile_encoding(path: Path) -> str | None:
    """The encoding to read a shapefile's .dbf with, or None to let GDAL decide.

    GDAL honours a .cpg file and the DBF language-driver id; only when neither says anything
    are the attribute bytes looked at.
    """
    if path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists():
        return None
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()),
               None)
    return _encoding_from_dbf(dbf.read_bytes()) if dbf else None


def _encoding_from_dbf(raw: bytes) -> str | None:
    ldid, records = _dbf_records(raw)
    if ldid in _CHINESE_LDIDS:
        return "GB18030"
    if ldid:
        return None
    return guess_text_encoding(records)
