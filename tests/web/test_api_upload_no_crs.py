"""The web upload refuses a GeoTIFF exported without its CRS with the same reason as the
command line, as a code the page says in Chinese; nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from geo.db import create_engine
from imagery.schema import photos
from tests.imagery.rasters import write_geotiff
from tests.web.client import client_for, headers, sign_in
from web.i18n import t

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
REASON = ("dom.tif: has a geotransform but no CRS (it was exported without its "
          "projection), so it cannot be placed; declare its CRS with --crs, e.g. `lookback "
          "ingest FILE --crs EPSG:4549`, or export it again with its projection")


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    engine.dispose()
    return n


def test_a_geotiff_without_crs_is_refused_with_its_reason(demo_url: str,
                                                          tmp_path: Path) -> None:
    client = client_for(demo_url, now=NOW, data_dir=tmp_path / "store")
    assert sign_in(client, "inspector").status_code == 303
    path = write_geotiff(tmp_path / "dom.tif", crs=None)
    before = _count(demo_url)
    with path.open("rb") as f:
        answer = client.post("/api/photos", headers=headers(client),
                             files={"file": (path.name, f, "image/tiff")})
    assert (answer.status_code, answer.json()) == (422, {
        "error": "rejected_file", "detail": REASON, "reason_code": "no_crs"})
    assert _count(demo_url) == before
    words = t("upload.reason.no_crs", "zh")
    assert "没有坐标系（CRS）" in words and "用 --crs 声明坐标系" in words
