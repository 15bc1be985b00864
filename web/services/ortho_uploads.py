"""An uploaded orthophoto becomes a job: its header is checked in the request (a refusal is
answered at once, as for a photo), its conversion to a COG with overviews runs in a worker."""

from __future__ import annotations

from pathlib import Path

from imagery import sniff
from imagery.errors import RejectedFile
from imagery.ortho.inspect import inspect_geotiff, is_georeferenced
from web.services.uploads import Upload, original_name
from web.settings import Settings

HEAD_BYTES = 64


def is_orthophoto_upload(upload: Upload, settings: Settings) -> bool:
    """Whether the received file is an orthophoto (a georeferenced TIFF) whose header passes
    the checks; RejectedFile when it is one that will not do. Blocking: run it in a thread."""
    name = original_name(upload.filename)
    with Path(upload.path).open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        media = sniff.media_type(head, name)
    except RejectedFile:
        return False  # the photo path refuses it, in its own words
    if media != sniff.TIFF or not is_georeferenced(upload.path, name=name):
        return False
    inspect_geotiff(upload.path, name=name, max_pixels=settings.max_ortho_pixels)
    return True
