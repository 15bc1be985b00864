"""What the check tests send: a real JPEG drawn with Pillow, and check workbooks as a
clerk's Excel would save them."""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

HEADERS = ("检查日期", "方式", "组织单位", "点位编码", "是否发现问题", "检查发现", "案件编号")


def jpeg_bytes(seed: int, size: tuple[int, int] = (320, 240)) -> bytes:
    """A JPEG of a made-up scene (sky, ground, a few boxes), different for each seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (120, 160, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] // 2, size[0], size[1]), fill=(90, 110, 60))
    for _ in range(6):
        x, y = rng.randrange(size[0] - 40), rng.randrange(size[1] // 2, size[1] - 30)
        draw.rectangle((x, y, x + rng.randrange(10, 40), y + rng.randrange(8, 30)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def jpeg_file(folder: Path, name: str, seed: int) -> Path:
    """A real JPEG written to `folder/name`; its path."""
    path = folder / name
    path.write_bytes(jpeg_bytes(seed))
    return path
