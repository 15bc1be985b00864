"""The upload form's fields besides the file: validated as FastAPI validates form fields
(the route reads the body itself, to stream the file), and documented in the schema."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

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
