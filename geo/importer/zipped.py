"""A zip of layer files as bureaus hand them over: shapefiles (with their .dbf, .shx, .prj,
.cpg) or other vector files at any folder depth (`填埋场/填埋场.shp` is the usual way people
zip); one layer is chosen by `--layer` when the zip holds several.

The chosen files are extracted into a temporary folder, each vector file into a folder of
its own under its decoded name, so GDAL reads them as plain files whatever the entries'
encoding or depth."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyogrio

from geo.errors import LayerImportError
from geo.importer.zip_names import entry_name, parts

VECTOR_FILES = {".shp": "Shapefile", ".gpkg": "GeoPackage", ".geojson": "GeoJSON",
                ".kml": "KML"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
MAX_UNZIPPED_BYTES = 4 * 1024**3
ENCRYPTED = 0x1


@dataclass(frozen=True)
class Member:
    """A vector file inside the zip: its path there and the entries that make it up."""

    path: str
    file_name: str  # the name the vector file is extracted under
    entries: tuple[tuple[str, zipfile.ZipInfo], ...]  # (name extracted under, entry)

    @property
    def stem(self) -> str:
        """The file name without its suffix (a shapefile's layer name)."""
        return PurePosixPath(self.path).stem

    @property
    def key(self) -> str:
        """The path without the suffix: `填埋场/填埋场`."""
        return str(PurePosixPath(self.path).with_suffix(""))


@dataclass(frozen=True)
class ZipLayer:
    """One layer found in a zip: its name as listed, the zip member holding it, the member
    extracted, and the layer inside that file when the file holds several."""

    name: str
    member: Member
    file: Path
    inner: str | None = None

    def answers_to(self, wanted: str) -> bool:
        """Whether `--layer wanted` names this layer: by its name, its file's name or path
        inside the zip (with or without the suffix), or the folder holding it."""
        path = PurePosixPath(self.member.path)
        names = {self.name, self.member.stem, self.member.key, self.member.path, path.name}
        if str(path.parent) != ".":
            names.add(str(path.parent))
        if self.inner is not None:
            names |= {self.inner, f"{self.member.key}:{self.inner}"}
        return wanted in names


def _entries(zf: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """The file entries as (decoded path, entry), without folders and macOS's extras."""
    found = []
    for info in zf.infolist():
        path = "/".join(parts(entry_name(info)))
        if info.is_dir() or not path or "__MACOSX" in path.split("/") \
                or path.rsplit("/", 1)[-1].startswith("._"):
            continue
        found.append((path, info))
    return sorted(found, key=lambda e: e[0])


def vector_members(zf: zipfile.ZipFile) -> list[Member]:
    """The vector files in a zip, a shapefile with its side-car files."""
    entries = _entries(zf)
    shapefile_parts: dict[tuple[str, str], list[tuple[str, zipfile.ZipInfo]]] = \
        defaultdict(list)
    for path, info in entries:
        pure = PurePosixPath(path)
        if pure.suffix.lower() in SHAPEFILE_PARTS:
            shapefile_parts[(str(pure.parent), pure.stem.lower())].append((pure.name, info))
    members = []
    for path, info in entries:
        pure = PurePosixPath(path)
        suffix = pure.suffix.lower()
        if suffix == ".shp":
            # Side-cars named after the .shp whatever their case, as GDAL looks for them.
            group = shapefile_parts[(str(pure.parent), pure.stem.lower())]
            members.append(Member(path, f"{pure.stem}.shp", tuple(
                (f"{pure.stem}{PurePosixPath(name).suffix.lower()}", part)
                for name, part in group)))
        elif suffix in VECTOR_FILES:
            members.append(Member(path, pure.name, ((pure.name, info),)))
    return members


@contextmanager
def unzipped_layer(path: Path, layer: str | None, source: str) -> Iterator[ZipLayer]:
    """The layer `layer` names (or the only one) of a zip, extracted for the time of the
    `with` block; LayerImportError listing the layers when the choice is missing or wrong."""
    with _open(path, source) as zf, tempfile.TemporaryDirectory(prefix="lookback-zip-") as tmp:
        members = vector_members(zf)
        if not members:
            raise LayerImportError(source, [_no_layer(zf)])
        _check_unzipped_size(members, source)
        found = _layers(zf, members, Path(tmp), source)
        yield choose(found, layer, source)


@contextmanager
def _open(path: Path, source: str) -> Iterator[zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise LayerImportError(source, [f"cannot be read as a zip archive: {exc}"]) from exc
    with zf:
        yield zf


def _no_layer(zf: zipfile.ZipFile) -> str:
    names = [path for path, _ in _entries(zf)]
    shown = ", ".join(names[:10]) + (f", ... ({len(names)} files)" if len(names) > 10 else "")
    kinds = ", ".join(VECTOR_FILES)
    return f"holds no layer file ({kinds}) at any folder depth; it holds: {shown or 'nothing'}"


def _check_unzipped_size(members: list[Member], source: str) -> None:
    total = sum(info.file_size for m in members for _, info in m.entries)
    if total > MAX_UNZIPPED_BYTES:
        raise LayerImportError(source, [f"its layer files unzip to {total:,} bytes, more than "
                                        f"the {MAX_UNZIPPED_BYTES:,} allowed"])


def _layers(zf: zipfile.ZipFile, members: list[Member], folder: Path,
            source: str) -> list[ZipLayer]:
    """Every layer of every member, each member extracted into a folder of its own."""
    found: list[ZipLayer] = []
    for index, member in enumerate(members):
        target = folder / str(index)
        target.mkdir()
        file = _extract(zf, member, target, source)
        found += _member_layers(member, file, source)
    return _named(found)


def _extract(zf: zipfile.ZipFile, member: Member, target: Path, source: str) -> Path:
    """Write a member's entries into `target` under their own names; the vector file."""
    for name, info in member.entries:
        if info.flag_bits & ENCRYPTED:
            raise LayerImportError(source, [f"{member.path}: {name} is encrypted (password-"
                                            "protected); zip it again without a password"])
        dest = target / name
        try:
            with zf.open(info) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
        except NotImplementedError as exc:
            raise LayerImportError(source, [f"{member.path}: {name} cannot be unzipped ({exc});"
                                            " zip it again with ordinary Deflate compression"]
                                   ) from exc
        except (OSError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error) as exc:
            raise LayerImportError(source, [f"{member.path}: {name} cannot be unzipped "
                                            f"({exc})"]) from exc
    return target / member.file_name


def _member_layers(member: Member, file: Path, source: str) -> list[ZipLayer]:
    if file.suffix.lower() == ".shp":
        return [ZipLayer(member.stem, member, file)]
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(file)]
    except Exception as exc:  # GDAL raises several types for unreadable files
        kind = VECTOR_FILES[file.suffix.lower()]
        raise LayerImportError(source, [f"{member.path}: cannot be read as {kind}: {exc}"]) \
            from exc
    if len(names) == 1:
        return [ZipLayer(member.stem, member, file)]
    return [ZipLayer(name, member, file, name) for name in names]


def _named(found: list[ZipLayer]) -> list[ZipLayer]:
    """Layers named by their file's stem (or inner layer name), by their path inside the
    zip where two would share a name."""
    counts: dict[str, int] = defaultdict(int)
    for item in found:
        counts[item.name] += 1
    return [item if counts[item.name] == 1 else
            ZipLayer(f"{item.member.path}:{item.inner}" if item.inner else item.member.path,
                     item.member, item.file, item.inner)
            for item in found]


def choose(found: list[ZipLayer], layer: str | None, source: str) -> ZipLayer:
    """The layer `--layer` names, or the only one; else an error listing them."""
    names = ", ".join(item.name for item in found)
    if layer is None:
        if len(found) == 1:
            return found[0]
        raise LayerImportError(source, [f"holds {len(found)} layers ({names}); choose one "
                                        "with --layer"])
    matches = [item for item in found if item.answers_to(layer)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LayerImportError(source, [f"has no layer {layer!r}; layers: {names}"])
    raise LayerImportError(source, [f"--layer {layer!r} names {len(matches)} layers ("
                                    f"{', '.join(m.name for m in matches)}); give one of "
                                    "these names"])
