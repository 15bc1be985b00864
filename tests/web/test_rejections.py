"""A refused file's reason as a code pages translate: the reasons imagery really gives."""

from __future__ import annotations

import pytest

from imagery.errors import RejectedFile
from imagery.limits import too_many_pixels
from imagery.sniff import media_type
from web.services.rejections import rejection_code


@pytest.mark.parametrize(("data", "code"), [(b"", "empty"),
                                           (b"hello, not a photo", "not_an_image")])
def test_sniffed_refusals_have_codes(data: bytes, code: str) -> None:
    with pytest.raises(RejectedFile) as refused:
        media_type(data, "f09.jpg")
    assert rejection_code(refused.value.reason) == code


def test_other_reasons_have_codes_or_none() -> None:
    assert rejection_code(too_many_pixels(12_000, 10_000, 100_000_000, "photos")) == \
        "too_many_pixels"
    assert rejection_code("the image cannot be read (corrupt or not an image)") == "corrupt"
    assert rejection_code("malformed EXIF metadata (ValueError: x)") == "bad_metadata"
    assert rejection_code("kind 'x' is unknown; use one of photo") is None


def test_a_geotiff_without_crs_has_a_code_worded_in_both_languages() -> None:
    from imagery.ortho.declared_crs import NO_CRS_DECLARED
    from web.i18n import t

    assert rejection_code(NO_CRS_DECLARED) == "no_crs"
    assert "没有坐标系（CRS）" in t("upload.reason.no_crs", "zh")
    assert "no CRS" in t("upload.reason.no_crs", "en")
