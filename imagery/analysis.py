"""Analyse one image file: its kind, location, time, camera, footprint, thumbnails and hash.

This is the CPU-heavy part of an ingest and touches no database, so batches run it in worker
processes. The original and its thumbnails are written to the store before it returns.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from shapely.geometry import Polygon

from imagery import decode, sniff
from imagery.errors import MetadataError, RejectedFile
from imagery.exif import ExifInfo, read_exif
from imagery.footprint import camera_from_exif, ground_footprint
from imagery.limits import Limits
from imagery.ortho.declared_crs import NO_CRS_DECLARED, declared, lacks_crs
from imagery.ortho.inspect import is_georeferenced
from imagery.orthophoto import inspect_geotiff, preview_jpeg, to_cog
from imagery.store import Staged, Store, sha256_of, sha256_of_file
from imagery.xmp import DroneXmp, find_xmp_packet, parse_dji_xmp

KINDS = ("auto", "field", "drone", "orthophoto")
MAX_FILE_BYTES = 2 * 1024**3
HEAD_BYTES = 64  # enough for every magic number `sniff` knows
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Analysis:
    """Everything a file says about itself, ready to be georeferenced and recorded."""

    name: str
    sha256: str
    size_bytes: int
    media_type: str
    kind: str
    width: int
    height: int
    lon: float | None = None
    lat: float | None = None
    location_source: str = "none"
    altitude_m: float | None = None
    relative_altitude_m: float | None = None
    yaw_deg: float | None = None
    pitch_deg: float | None = None
    roll_deg: float | None = None
    focal_35mm: float | None = None
    footprint: Polygon | None = None
    taken_at: datetime | None = None
    time_source: str | None = None
    phash: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)
    staged: tuple[Staged, ...] = ()  # files written but not yet durable (batch ingest)
    original_stored: bool = True
    source_path: str | None = None  # where an original indexed in place lives


def check_file(path: Path, name: str) -> int:
    """The file's size, refusing what is not a regular file or is absurdly large."""
    if not path.is_file():
        raise RejectedFile(name, "not a regular file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise RejectedFile(name, f"{size} bytes is larger than the {MAX_FILE_BYTES} allowed")
    return size


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)


Put = Callable[[str, bytes, str], object]


def analyse_file(path: Path, kind: str, store: Store, render: bool = True,
                 put: Put | None = None, *, name: str | None = None,
                 limits: Limits = DEFAULT_LIMITS, crs: str | None = None) -> Analysis:
    """Analyse one file as `kind` (or detect it), storing the original and, unless `render`
    is off (metadata-only ingest: the original is indexed where it is), the thumbnails and
    perceptual hash. `name` is the file's name as its owner knows it (default: the path).
    `crs` is the CRS declared for a GeoTIFF exported without one (refused without it).

    A photo's files go through `put` (default: `store.put`, durable on return; a caller that
    stages them must make them durable before recording the photo). An orthophoto is read
    from the file a block at a time, never whole into memory."""
    name = name or str(path)
    if kind not in KINDS:
        raise RejectedFile(name, f"kind {kind!r} is unknown; use one of {', '.join(KINDS)}")
    check_file(path, name)
    media = sniff.media_type(_head(path), name)
    if media == sniff.TIFF and kind in ("auto", "orthophoto") and lacks_crs(path, name=name):
        if crs is None:
            raise RejectedFile(name, NO_CRS_DECLARED)
        return _orthophoto(path, name, store, limits, crs)
    if media == sniff.TIFF and (kind == "orthophoto" or (
            kind == "auto" and is_georeferenced(path, name=name))):
        return _orthophoto(path, name, store, limits)
    if kind == "orthophoto":
        raise RejectedFile(name, f"an orthophoto must be a GeoTIFF; these bytes are {media}")
    data = path.read_bytes()
    analysis = _photo(data, name, media, kind, put or store.put, render, limits)
    if analysis.original_stored:
        return analysis
    return replace(analysis, source_path=str(path.resolve()))


def _orthophoto(path: Path, name: str, store: Store, limits: Limits,
                crs: str | None = None) -> Analysis:
    """Convert to a COG (in the declared `crs` when the file has none); keep the original."""
    with declared(path, crs, store.scratch_dir(), name) as source:
        info = inspect_geotiff(source, name=name, max_pixels=limits.max_ortho_pixels)
        sha = sha256_of_file(path)
        cog = store.scratch_dir() / f"{sha}-{uuid.uuid4().hex}.cog.tif"
        try:
            to_cog(source, cog)
            thumbs = {decode.THUMBNAIL: preview_jpeg(cog, max_size=decode.THUMBNAIL)}
            store.put_path(sha, path)
            store.put_file(sha, cog, "cog.tif")
        finally:
            cog.unlink(missing_ok=True)
    _put_thumbnails(store, sha, thumbs)
    centre = info.footprint.centroid
    return Analysis(name=name, sha256=sha, size_bytes=path.stat().st_size,
                    media_type=sniff.TIFF, kind="orthophoto", width=info.width,
                    height=info.height, lon=centre.x, lat=centre.y, location_source="raster",
                    footprint=info.footprint)


def _put_thumbnails(store: Store, sha: str, thumbs: dict[int, bytes]) -> None:
    for size, jpeg in thumbs.items():
        store.put(sha, jpeg, f"{size}.jpg")


def _drone_xmp(data: bytes, name: str, media: str) -> DroneXmp | None:
    packet = find_xmp_packet(sniff.jpeg_header(data) if media == sniff.JPEG else data)
    if packet is None:
        return None
    try:
        return parse_dji_xmp(packet)
    except MetadataError as exc:
        raise RejectedFile(name, f"malformed XMP metadata: {exc}") from exc


def _exif(image, name: str) -> ExifInfo:  # noqa: ANN001
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Pillow only warns about corrupt EXIF
            return read_exif(image)
    except Exception as exc:  # Pillow raises many types on hostile EXIF
        raise RejectedFile(name, f"malformed EXIF metadata ({type(exc).__name__}: {exc})") \
            from exc


def _photo(data: bytes, name: str, media: str, kind: str, put: Put, render: bool,
           limits: Limits) -> Analysis:
    sha = sha256_of(data)
    xmp = _drone_xmp(data, name, media) if media in (sniff.JPEG, sniff.TIFF) else None
    if kind == "auto":
        kind = "drone" if xmp is not None else "field"
    with decode.opened(data, name, max_pixels=limits.max_photo_pixels) as image:
        exif = _exif(image, name)
        width, height = image.size
        rendered = decode.render(image, name) if render else None
    if rendered is not None:  # metadata-only ingest indexes the original where it is
        put(sha, data, "original")
        for size, jpeg in rendered.thumbnails.items():
            put(sha, jpeg, f"{size}.jpg")
    base = Analysis(name=name, sha256=sha, size_bytes=len(data), media_type=media, kind=kind,
                    width=width, height=height, altitude_m=exif.altitude_m,
                    taken_at=exif.taken_at, time_source=exif.time_source,
                    phash=rendered.phash if rendered else None, focal_35mm=exif.focal_35mm,
                    original_stored=rendered is not None)
    located = _with_location(base, exif, xmp)
    return _with_footprint(located, exif, xmp) if kind == "drone" else located


def _with_location(base: Analysis, exif: ExifInfo, xmp: DroneXmp | None) -> Analysis:
    if xmp is not None and xmp.lon is not None and xmp.lat is not None:
        return replace(base, lon=xmp.lon, lat=xmp.lat, location_source="xmp")
    if exif.lon is not None and exif.lat is not None:
        return replace(base, lon=exif.lon, lat=exif.lat, location_source="exif")
    return base


def _with_footprint(photo: Analysis, exif: ExifInfo, xmp: DroneXmp | None) -> Analysis:
    """A drone photo's ground footprint; flagged when the camera values make none."""
    xmp = xmp or DroneXmp(*([None] * 10))
    yaw = xmp.gimbal_yaw if xmp.gimbal_yaw is not None else xmp.flight_yaw
    pitch = xmp.gimbal_pitch if xmp.gimbal_pitch is not None else -90.0
    roll = xmp.gimbal_roll or 0.0
    photo = replace(photo, relative_altitude_m=xmp.relative_altitude, yaw_deg=yaw,
                    pitch_deg=pitch, roll_deg=roll)
    camera = camera_from_exif(focal_35mm=exif.focal_35mm, focal_mm=exif.focal_mm,
                              sensor_width_mm=None, width_px=photo.width,
                              height_px=photo.height)
    problem = _footprint_problem(photo, camera)
    if problem:
        return replace(photo, flags=(*photo.flags, f"no_footprint: {problem}"))
    footprint = ground_footprint(lon=photo.lon, lat=photo.lat,
                                 altitude_m=photo.relative_altitude_m, yaw_deg=yaw or 0.0,
                                 pitch_deg=pitch, roll_deg=roll, camera=camera)
    if footprint is None:
        return replace(photo, flags=(*photo.flags, "no_footprint: the camera looks above the "
                                                   "horizon"))
    return replace(photo, footprint=footprint)


def _footprint_problem(photo: Analysis, camera: object) -> str | None:
    if photo.lon is None:
        return "no GPS position"
    if photo.relative_altitude_m is None:
        return "no relative altitude in the XMP"
    if not photo.relative_altitude_m > 0:
        return f"relative altitude {photo.relative_altitude_m} m is not above the ground"
    if camera is None:
        return "no focal length in the EXIF"
    return None
