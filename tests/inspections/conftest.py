"""Fixtures shared by the inspections tests."""

from __future__ import annotations

import pytest

from tests.inspections.builders import photo_ids


@pytest.fixture
def photos(engine, tmp_path) -> dict[str, list[int]]:  # noqa: ANN001
    """Two rectification photos, two acceptance photos and one spare, all stored."""
    p = photo_ids(engine, tmp_path, 5)
    return {"rectification": p[:2], "acceptance": p[2:4], "spare": p[4:]}
