"""The upload form's fields besides the file: validated as FastAPI validates form fields
(the route reads the body itself, to stream the file), and documented in the schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from imagery.flags import CLOCK_SLACK
from inspections.errors import InvalidInput
from web.services.upload_body import FILE_FIELD

Lon = Field(None, ge=-180, le=180, allow_inf_nan=False)
Lat = Field(None, ge=-90, le=90, allow_inf_nan=False)


class UploadForm(BaseModel):
    """What the upload page sends with each file."""

    upload_id: str | None = Field(None, description="Made by the client per file; a retry "
                                  "with the same id stores nothing new.")
    device_lon: float | None = Lon
    device_lat: float | None = Lat
    manual_lon: float | None = Lon
    manual_lat: float | None = Lat
    note: str | None = Field(None, max_length=2000)
    problem_found: bool = False
    pin_crs: str = Field("wgs84", description="wgs84, or gcj02 for a pin set on a GCJ-02 "
                         "basemap")
    captured_at: datetime | None = Field(
        None, description="When the device took (queued) the photo, ISO 8601 with its "
        "offset; used only when the photo carries no time of its own, never over its EXIF "
        "time; not later than now")

    def capture_time(self, now: datetime) -> datetime | None:
        """`captured_at`, checked: it must carry its offset and not lie in the future (the
        same slack as the time_in_future flag); InvalidInput in Chinese otherwise."""
        when = self.captured_at
        if when is None:
            return None
        if when.tzinfo is None:
            raise InvalidInput(f"captured_at（拍摄时间）{when.isoformat()}：缺少时区，"
                               "请写成 2022-12-20T10:00:00+08:00 的形式")
        if when > now + CLOCK_SLACK:
            raise InvalidInput(f"captured_at（拍摄时间）{when.isoformat()}：晚于当前时间 "
                               f"{now.isoformat(timespec='seconds')}，请检查手机的日期和时间")
        return when

    @classmethod
    def parse(cls, fields: dict[str, str]) -> UploadForm:
        """The form from the body's text fields (empty ones left out, unknown ones ignored);
        RequestValidationError naming each bad field."""
        given = {k: v for k, v in fields.items() if k in cls.model_fields and v != ""}
        try:
            return cls.model_validate(given)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
            ) from exc


def openapi_body() -> dict[str, Any]:
    """The request body as the schema documents it: multipart, the file and the fields."""
    schema = UploadForm.model_json_schema()
    schema["properties"] = {
        FILE_FIELD: {"type": "string", "contentMediaType": "application/octet-stream",
                     "title": "File", "description": "The photo or orthophoto."},
        **schema["properties"]}
    schema["required"] = [FILE_FIELD]
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
