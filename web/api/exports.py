"""Downloads of the lists and layers as CSV, GeoJSON or GeoPackage (what the user sees)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.errors import ERROR_RESPONSES
from web.services import exports
from web.services.excel_csv import CsvStyle

router = APIRouter(prefix="/api/exports", tags=["exports"], responses=ERROR_RESPONSES)


@router.get("/{layer}", response_class=Response,
            responses={200: {"content": {t: {} for t in exports.FORMATS.values()}}})
def download(layer: str, engine: EngineDep, clock: ClockDep, user: CurrentUser,
             lang: LangDep,
             fmt: Annotated[str, Query(alias="format", description="csv, geojson or gpkg")]
             = "csv", state: str | None = None, source: str | None = None,
             unit: str | None = None,
             year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
             due_before: date | None = None,
             codes: Annotated[bool, Query(description="CSV: raw codes and English column "
                                          "names, for machines")] = False) -> Response:
    """One layer as a file: sites, grid_cells, photos, photo_footprints, cases or
    lookback_rounds, filtered like the lists. CSV names its columns and values in the
    user's language (Chinese by default) unless `codes`; GeoPackage and GeoJSON keep codes."""
    exports.check_format(fmt)
    filters = ({"state": state, "source": source, "unit": unit, "year": year}
               if layer == "cases" else {"state": state, "due_before": due_before}
               if layer == "lookback_rounds" else {})
    with engine.connect() as conn:
        gdf = exports.frame(conn, layer, user, filters | {"tz": clock.tz})
    data = exports.export_bytes({layer: gdf}, fmt, CsvStyle(tz=clock.tz, lang=lang,
                                                            codes=codes))
    return Response(data, media_type=exports.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="lookback-{layer}.{fmt}"',
        "X-Content-Type-Options": "nosniff"})
