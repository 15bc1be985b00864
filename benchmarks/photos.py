"""Benchmark photo sets: 12 MP phone-like JPEGs and small DJI drone JPEGs, made once."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import piexif
from PIL import Image, ImageFilter

from benchmarks.common import CACHE
from tests.imagery.images import dji_packet, exif_bytes, with_xmp

CENTRE = (121.45, 28.68)  # inside the demo district


def _phone_picture(seed: int, size: tuple[int, int]) -> Image.Image:
    """Smooth shapes plus fine grain, so it compresses like a phone photo (~3-5 MB)."""
    rng = np.random.default_rng(seed)
    base = Image.fromarray(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)).resize(
        size, Image.Resampling.BICUBIC)
    grain = rng.normal(0, 9, (size[1], size[0], 1)).astype(np.int16)
    pixels = np.clip(np.asarray(base, dtype=np.int16) + grain, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.SMOOTH)


BASE_PICTURES = 16


def _base_jpeg(folder: Path, seed: int, size: tuple[int, int]) -> bytes:
    """One of a few distinct 12 MP pictures, encoded once (the slow part) and cached."""
    path = folder / f"base-{seed:02d}.jpg"
    if not path.exists():
        _phone_picture(seed, size).save(path, "JPEG", quality=90)
    return path.read_bytes()


def field_photos(n: int, size: tuple[int, int] = (4000, 3000)) -> list[Path]:
    """n 12 MP JPEGs with EXIF GPS inside the demo district (cached). A few base pictures
    carry different EXIF, so every file has its own bytes but decoding costs the same."""
    folder = CACHE / f"field-{size[0]}x{size[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"IMG_{i:04d}.jpg"
        if not path.exists():
            exif = exif_bytes(lon=CENTRE[0] + i * 1e-4, lat=CENTRE[1] + (i % 7) * 1e-4)
            out = io.BytesIO()
            piexif.insert(exif, _base_jpeg(folder, i % BASE_PICTURES, size), out)
            path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def drone_photos(n: int) -> list[Path]:
    """n small DJI JPEGs (XMP + EXIF focal length) over the demo district (cached)."""
    folder = CACHE / "drone"
    folder.mkdir(parents=True, exist_ok=True)
    template = io.BytesIO()
    _phone_picture(0, (600, 400)).save(template, "JPEG", quality=80,
                                       exif=exif_bytes(focal_35mm=24, make="DJI"))
    paths = []
    for i in range(n):
        path = folder / f"DJI_{i:05d}.JPG"
        if not path.exists():
            packet = dji_packet(lat=CENTRE[1] + (i // 50) * 5e-4, lon=CENTRE[0] + (i % 50) * 5e-4,
                                relative_altitude=100 + i % 20, yaw=(i * 7) % 360)
            path.write_bytes(with_xmp(template.getvalue(), packet))
        paths.append(path)
    return paths
