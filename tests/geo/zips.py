"""Zips as people make them: the layer files in a folder, entry names in GBK without the
UTF-8 flag (Windows' built-in zip), or in UTF-8 with or without the flag."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

UTF8_FLAG = 0x800


class _RawName(zipfile.ZipInfo):
    """An entry whose name is written as the bytes its cp437 text stands for, with the
    UTF-8 flag (bit 11) cleared, as a Windows zip writes the system code page."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's name)
        return self.filename.encode("cp437"), self.flag_bits & ~UTF8_FLAG


def _info(name: str, encoding: str) -> zipfile.ZipInfo:
    if encoding == "utf-8-flagged":  # zipfile flags every non-ASCII name itself
        info = zipfile.ZipInfo(name)
    else:
        info = _RawName(name.encode(encoding).decode("cp437"))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def zip_files(archive: Path, files: dict[str, Path], *, encoding: str = "gbk") -> Path:
    """Write `files` (name inside the zip: file on disk) into `archive`, each folder first
    as an entry of its own as Windows writes them; names in `encoding` ("gbk", "utf-8"
    without the flag, or "utf-8-flagged")."""
    folders = sorted({str(parent) for name in files
                      for parent in PurePosixPath(name).parents if str(parent) != "."})
    with zipfile.ZipFile(archive, "w") as zf:
        for folder in folders:
            zf.writestr(_info(f"{folder}/", encoding), b"")
        for name, path in files.items():
            zf.writestr(_info(name, encoding), path.read_bytes())
    return archive


def shapefile_parts(shp: Path, folder: str) -> dict[str, Path]:
    """A written shapefile's files (.shp, .shx, .dbf, .prj, .cpg) by their name in `folder`
    inside a zip ("" for the zip's root)."""
    prefix = f"{folder}/" if folder else ""
    return {f"{prefix}{p.name}": p for p in sorted(shp.parent.iterdir())
            if p.stem == shp.stem}


def raw_names(archive: Path) -> list[tuple[bytes, bool]]:
    """Each entry's name as stored and whether it carries the UTF-8 flag."""
    with zipfile.ZipFile(archive) as zf:
        return [(i.orig_filename.encode("utf-8" if i.flag_bits & UTF8_FLAG else "cp437"),
                 bool(i.flag_bits & UTF8_FLAG)) for i in zf.infolist()]
