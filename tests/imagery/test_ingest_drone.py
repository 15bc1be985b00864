"""Drone photos: position from DJI XMP, ground footprint, sites under it; bad camera values."""

from __future__ import annotations

from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry import shape

from tests.imagery.images import dji_packet, exif_bytes, jpeg

GEOD = Geod(ellps="WGS84")


def drone_jpeg(folder: Path, name: str, *, lon: float, lat: float, altitude: float,
               focal_35mm: int | None = 24, pitch: float = -90.0, yaw: float = 0.0,
               seed: int = 31) -> Path:
    """A 3:2 drone photo (600x400) with DJI XMP and a 35 mm-equivalent focal length."""
    return jpeg(folder / name, seed=seed, size=(600, 400),
                exif=exif_bytes(focal_35mm=focal_35mm, make="DJI"),
                xmp=dji_packet(lat=lat, lon=lon, relative_altitude=altitude, yaw=yaw,
                               pitch=pitch))


def test_nadir_drone_photo_covers_the_landfill(run_ingest, files: Path) -> None:  # noqa: ANN001
    # Over the landfill LF1 (121.414-121.416, 28.710-28.712) at 100 m, 24 mm on 3:2:
    # the footprint is 150 m east-west by 100 m north-south (tan 36.87 deg = 0.75, 0.5).
    path = drone_jpeg(files, "d.jpg", lon=121.415, lat=28.711, altitude=100)
    [result] = run_ingest(path)
    assert (result.status, result.kind, result.location_source) == ("stored", "drone", "xmp")
    footprint = shape(result.footprint)
    area, _ = GEOD.geometry_area_perimeter(footprint)
    assert abs(abs(area) - 15_000) < 150
    minx, miny, maxx, maxy = footprint.bounds
    assert abs(GEOD.inv(minx, 28.711, maxx, 28.711)[2] - 150) < 1.5
    assert abs(GEOD.inv(121.415, miny, 121.415, maxy)[2] - 100) < 1.0
    assert result.covered_sites == ["LF1"]
    assert [s["code"] for s in result.near_sites] == ["LF1"]  # the camera is over it: 0 m
    assert result.near_sites[0]["distance_m"] == 0.0


def test_oblique_view_looks_ahead(run_ingest, files: Path) -> None:  # noqa: ANN001
    # 300 m south of the landfill looking north at -45 deg: the view reaches it.
    path = drone_jpeg(files, "o.jpg", lon=121.415, lat=28.7083, altitude=100, pitch=-45)
    [result] = run_ingest(path)
    footprint = shape(result.footprint)
    assert footprint.centroid.y > 28.7083
    assert result.covered_sites == ["LF1"]
    assert result.near_sites == []


def test_zero_altitude_is_stored_without_footprint(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(drone_jpeg(files, "z.jpg", lon=121.415, lat=28.711, altitude=0))
    assert result.status == "stored"
    assert result.footprint is None
    assert "no_footprint: relative altitude 0.0 m is not above the ground" in result.flags


def test_missing_focal_length_is_stored_without_footprint(run_ingest, files: Path) -> None:  # noqa: ANN001
    path = drone_jpeg(files, "f.jpg", lon=121.415, lat=28.711, altitude=80, focal_35mm=None)
    [result] = run_ingest(path)
    assert result.footprint is None
    assert "no_footprint: no focal length in the EXIF" in result.flags


def test_footprint_is_stored_and_indexed(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    from geo import spatial
    from imagery.schema import FOOTPRINTS

    [result] = run_ingest(drone_jpeg(files, "d.jpg", lon=121.415, lat=28.711, altitude=100))
    with ctx.engine.connect() as conn:
        hits = spatial.intersecting(conn, FOOTPRINTS, shapely.box(121.4145, 28.7105,
                                                                  121.4146, 28.7106))
        assert [h["id"] for h in hits] == [result.id]
        assert spatial.intersecting(conn, FOOTPRINTS, shapely.box(121.43, 28.69, 121.44,
                                                                  28.70)) == []


def test_metadata_only_indexes_in_place(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    import io

    from PIL import Image

    from imagery import photos
    from imagery.thumbs import thumbnail

    path = drone_jpeg(files, "m.jpg", lon=121.415, lat=28.711, altitude=100)
    [result] = run_ingest(path, render=False)
    assert (result.status, result.covered_sites) == ("stored", ["LF1"])
    assert not ctx.store.has(result.sha256)  # not copied
    with ctx.engine.connect() as conn:
        row = photos.get_photo(conn, result.id)
    assert (row["original_stored"], row["source_path"]) == (False, str(path.resolve()))
    assert row["phash"] is None
    small = thumbnail(ctx.store, result.sha256, 256, kind="drone",
                      source_path=Path(row["source_path"]))
    assert max(Image.open(io.BytesIO(small)).size) == 256
    again = run_ingest(path, render=False)[0]
    assert (again.status, again.id) == ("duplicate", result.id)


def test_thumbnail_of_a_moved_original_is_explained(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    import pytest

    from imagery.errors import ImageryError
    from imagery.thumbs import thumbnail

    path = drone_jpeg(files, "gone.jpg", lon=121.415, lat=28.711, altitude=100)
    [result] = run_ingest(path, render=False)
    path.unlink()
    with pytest.raises(ImageryError, match="neither in the store nor at"):
        thumbnail(ctx.store, result.sha256, 256, kind="drone", source_path=path)
    with pytest.raises(ImageryError, match="thumbnail size 300"):
        thumbnail(ctx.store, result.sha256, 300, kind="drone")
