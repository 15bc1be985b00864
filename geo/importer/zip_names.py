"""The names of a zip's entries as their writer meant them: UTF-8 when flagged or when the
bytes are UTF-8, else GBK/GB18030 (Windows' built-in zip writes the system code page, GBK
on Chinese Windows, without saying so), so Chinese folder and file names come out right."""

from __future__ import annotations

import struct
import zipfile
import zlib

UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
UNICODE_PATH = 0x7075  # Info-ZIP Unicode Path extra field (7-Zip, WinRAR write it)


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The entry name's bytes as stored (zipfile decodes unflagged names as cp437, which
    maps every byte to one character, so encoding back gives the bytes)."""
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename.encode("utf-8")
    return info.orig_filename.encode("cp437")


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The UTF-8 name in an Info-ZIP Unicode Path field, when it matches the stored name."""
    extra = info.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        body, extra = extra[4:4 + size], extra[4 + size:]
        if kind == UNICODE_PATH and len(body) > 5 and body[0] == 1:
            (crc,) = struct.unpack("<I", body[1:5])
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's path inside the zip, decoded, with "/" between folders."""
    if info.flag_bits & UTF8_FLAG:
        name = info.orig_filename
    else:
        raw = raw_name(info)
        name = _unicode_path(info, raw) or _decode(raw)
    return name.replace("\\", "/")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437")


def parts(name: str) -> list[str]:
    """The folders and file of an entry's path, without empty, "." or ".." parts (so a
    hostile name cannot point outside the folder it is extracted into)."""
    return [p for p in name.split("/") if p not in ("", ".", "..")]
