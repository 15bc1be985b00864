"""Why a file was refused, as a short code a page can say in its reader's language
(the domain's reasons are English sentences for the API and the CLI)."""

from __future__ import annotations

import re

# (code, pattern of imagery's reason sentences): the first match wins.
REASONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern)) for code, pattern in (
        ("empty", r"^the file is empty"),
        ("not_an_image", r"^the bytes are not a JPEG, PNG, TIFF or HEIC/HEIF image"),
        ("too_large", r"bytes is larger than the .* allowed"),
        ("too_many_pixels", r"^pixel flood|pixels, more than the .* allowed"),
        ("corrupt", r"^the image cannot be read|^the image data is truncated or corrupt"),
        ("bad_metadata", r"^malformed (EXIF|XMP)"),
        ("not_stored", r"^could not be stored|^cannot be processed"),
        ("no_crs", r"^has a geotransform but no CRS"),
    ))


def rejection_code(reason: str) -> str | None:
    """The code of a refusal's reason, or None for a reason without one (shown as is)."""
    for code, pattern in REASONS:
        if pattern.search(reason):
            return code
    return None
