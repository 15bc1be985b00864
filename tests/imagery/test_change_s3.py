"""Change detection on orthophotos in the S3 store (a real SeaweedFS server): both images are
read with ranged requests through /vsis3/, windowed, as from local files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from imagery.changes import detect_changes
from imagery.errors import RejectedFile, StoreUnavailable
from imagery.store import RemoteRaster, object_name, sha256_of
from imagery.store.s3 import S3Config, S3Store
from tests.imagery.change_pairs import iou, pair
from tests.s3 import S3Server


def stored(store: S3Store, path: Path) -> RemoteRaster:
    """Put a GeoTIFF into the store as a COG would be, and return it as GDAL reads it."""
    data = path.read_bytes()
    sha = sha256_of(data)
    store.client.put_object(Bucket=store.config.bucket,
                            Key=store.key(object_name(sha, "cog.tif")), Body=data)
    return store.raster(sha)


@pytest.fixture
def store(s3_server: S3Server, tmp_path: Path) -> S3Store:
    """A store in the test bucket, under a fresh prefix."""
    config = S3Config(s3_server.bucket, s3_server.new_prefix(), s3_server.endpoint,
                      s3_server.access_key, s3_server.secret_key, s3_server.region)
    return S3Store(config, tmp_path / "scratch")


def test_change_is_found_between_stored_orthophotos(store: S3Store, tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 1)
    remote_before, remote_after = stored(store, before), stored(store, after)
    assert remote_before.vsi_path.startswith("/vsis3/")
    result = detect_changes(remote_before, remote_after, made.site)
    assert iou(result, made) >= 0.6
    assert result.polygons[0].before_thumb and result.polygons[0].after_thumb


def test_missing_stored_orthophoto_says_which(store: S3Store, tmp_path: Path) -> None:
    before, _after, made = pair(tmp_path, 1, change=False, nuisances=False)
    present = stored(store, before)
    missing = replace(present, vsi_path=present.vsi_path.replace("cog.tif", "gone.tif"),
                      name="gone.tif")
    with pytest.raises((StoreUnavailable, RejectedFile)) as caught:
        detect_changes(present, missing, made.site)
    assert "gone.tif" in str(caught.value)
