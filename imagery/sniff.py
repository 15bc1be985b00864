"""What kind of file some bytes are, from their magic numbers, whatever the file is called."""

from __future__ import annotations

from imagery.errors import RejectedFile

JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
HEIF = "image/heif"

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


def media_type(data: bytes, name: str) -> str:
    """The media type of an allowed image, or RejectedFile saying what the bytes are not."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIF
    if not data:
        raise RejectedFile(name, "the file is empty")
    raise RejectedFile(name, "the bytes are not a JPEG, PNG, TIFF or HEIC/HEIF image "
                             f"(they begin {data[:8]!r}), whatever the file name says")


def jpeg_header(data: bytes) -> bytes:
    """The bytes of a JPEG before its scan data (where EXIF and XMP live), found by walking
    the segment lengths; the whole data when the structure is not as expected."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the metadata segments are all before it
            return data[:pos]
        if marker == 0xFF:
            pos += 1
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return data
