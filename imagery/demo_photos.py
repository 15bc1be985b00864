"""Photos as phones and DJI drones write them (JPEG, EXIF GPS and time, DJI XMP), drawn from
a seed: the demo scenario's field and drone photos, and test fixtures."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
MAKE, MODEL, DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x010F, 0x0110, 0x9003, 0x9011
FOCAL_35MM = 0xA405
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"

# Scene palettes (RGB): what the pictures roughly look like from above or on the ground.
PALETTES = {
    "landfill": ((122, 104, 78), (96, 128, 70), (150, 140, 120)),  # soil, cover grass, gravel
    "leachate": ((122, 104, 78), (40, 36, 30), (70, 60, 45)),  # dark pools on bare soil
    "enterprise": ((150, 150, 155), (90, 110, 130), (190, 185, 170)),  # roofs, yards
    "field": ((110, 140, 90), (160, 150, 120), (120, 130, 140)),  # vegetation, road, sky
}


@dataclass(frozen=True)
class PhotoSpec:
    """One photo to draw: where and when it was taken, and by what.

    `drone_altitude_m` set: a DJI nadir photo at that height above the take-off point."""

    name: str
    lon: float
    lat: float
    taken_at: datetime  # timezone-aware
    seed: int
    scene: str = "field"
    drone_altitude_m: float | None = None
    size: tuple[int, int] = (400, 300)


def picture(seed: int, size: tuple[int, int], scene: str = "field") -> Image.Image:
    """A picture with coarse structure in the scene's colours, so seeds hash far apart."""
    rng = np.random.default_rng(seed)
    palette = np.array(PALETTES[scene], dtype=np.float64)
    choice = rng.integers(0, len(palette), (6, 8))
    blocks = palette[choice] + rng.normal(0, 18, (6, 8, 3))
    small = Image.fromarray(np.clip(blocks, 0, 255).astype(np.uint8))
    return small.resize(size, Image.Resampling.BICUBIC)


def _rational(value: float) -> IFDRational:
    f = Fraction(value).limit_denominator(1_000_000)
    return IFDRational(f.numerator, f.denominator)


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Degrees as (deg, min, sec) rationals, as cameras write them."""
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round((value - deg - minutes / 60) * 3600, 4)
    return IFDRational(deg, 1), IFDRational(minutes, 1), _rational(seconds)


def _offset(at: datetime) -> str:
    text = at.strftime("%z")  # "+0800"
    return f"{text[:3]}:{text[3:]}"


def exif_block(spec: PhotoSpec) -> Image.Exif:
    """EXIF with the camera, the time (local, with its offset) and the GPS position."""
    exif = Image.Exif()
    drone = spec.drone_altitude_m is not None
    exif[MAKE], exif[MODEL] = ("DJI", "FC6310") if drone else ("Apple", "iPhone 12")
    when = exif.get_ifd(EXIF_IFD)
    when[DATETIME_ORIGINAL] = spec.taken_at.strftime("%Y:%m:%d %H:%M:%S")
    when[OFFSET_TIME_ORIGINAL] = _offset(spec.taken_at)
    when[FOCAL_35MM] = 24 if drone else 26
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = ("N" if spec.lat >= 0 else "S"), dms(abs(spec.lat))
    gps[3], gps[4] = ("E" if spec.lon >= 0 else "W"), dms(abs(spec.lon))
    return exif


def dji_packet(*, lat: float, lon: float, relative_altitude: float, yaw: float = 0.0,
               pitch: float = -90.0, roll: float = 0.0) -> bytes:
    """A DJI XMP packet in attribute form, with the misspelt GpsLongtitude DJI writes."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" '
        f'drone-dji:GpsLatitude="+{lat:.8f}" drone-dji:GpsLongtitude="+{lon:.8f}" '
        f'drone-dji:AbsoluteAltitude="+{relative_altitude + 10:.2f}" '
        f'drone-dji:RelativeAltitude="+{relative_altitude:.2f}" '
        f'drone-dji:GimbalRollDegree="{roll:+.2f}" drone-dji:GimbalYawDegree="{yaw:+.2f}" '
        f'drone-dji:GimbalPitchDegree="{pitch:+.2f}" drone-dji:FlightYawDegree="{yaw:+.2f}"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def with_xmp(data: bytes, packet: bytes) -> bytes:
    """Splice an XMP APP1 segment right after the JPEG's SOI marker."""
    payload = XMP_HEADER + packet
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def photo_bytes(spec: PhotoSpec) -> bytes:
    """The JPEG file of a spec."""
    out = io.BytesIO()
    picture(spec.seed, spec.size, spec.scene).save(out, "JPEG", quality=85,
                                                   exif=exif_block(spec))
    data = out.getvalue()
    if spec.drone_altitude_m is not None:
        data = with_xmp(data, dji_packet(lat=spec.lat, lon=spec.lon,
                                         relative_altitude=spec.drone_altitude_m))
    return data


def write_photo(spec: PhotoSpec, folder: Path) -> Path:
    """Write the spec's JPEG into `folder` under its name; the path."""
    path = folder / spec.name
    path.write_bytes(photo_bytes(spec))
    return path
