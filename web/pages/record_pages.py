"""What the record pages (complaints, enforcement, checks) share: a date filter read from the URL,
the link that turns the list's order, an uploaded workbook read under the upload limit, and
a workbook as a download."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from fastapi import Request, UploadFile
from fastapi.responses import Response

from web.i18n import t
from web.services.xlsx import XLSX_TYPE, Problem, SheetRefused


def day_or_none(text: str | None) -> date | None:
    """A filter's ISO date, or None when it is empty or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def sort_url(request: Request, oldest_first: bool) -> str:
    """This list in the other order (by date), its filters kept, from its first page."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "page")]
    if not oldest_first:
        params.append(("sort", "oldest"))
    return f"{request.url.path}?{urlencode(params)}"


def uploaded(file: UploadFile, limit: int, lang: str) -> bytes:
    """The uploaded workbook's bytes (read in the caller's worker thread); SheetRefused when
    it is larger than the upload limit."""
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise SheetRefused([Problem(0, "", t("upload.too_large", lang))])
    return data


def xlsx_download(data: bytes, name: str) -> Response:
    """A workbook as a download named `name` (UTF-8 file name)."""
    return Response(data, media_type=XLSX_TYPE, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
