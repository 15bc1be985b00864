"""Report images drawn with known data (inspections.reports.figures): degree labels with no
offset text, a scale bar and a north arrow on every map, the district's and towns'
boundaries, and the dashboard's colours for the bars."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from PIL import Image
from shapely.geometry import box

from inspections import palette
from inspections.reports import figures
from inspections.reports.figures import Bar, District, Points

# Two towns of the district near 121.4°E 28.6°N, where the axes once read "+2.864e1".
CELLS = [("东山镇", box(121.40, 28.60, 121.45, 28.65)),
         ("东山镇", box(121.45, 28.60, 121.50, 28.65)),
         ("海门街道", box(121.40, 28.65, 121.50, 28.70))]
DEGREES = re.compile(r"^\d{2,3}\.\d+°[EN]$")


def _labels(axis) -> list[str]:  # noqa: ANN001
    return [t.get_text() for t in axis.get_ticklabels()]


def _check_map(fig) -> None:  # noqa: ANN001
    fig.canvas.draw()
    ax = fig.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        assert axis.get_offset_text().get_text() == ""
        labels = _labels(axis)
        assert len(labels) >= 2 and all(DEGREES.match(x) for x in labels), labels
        assert len(set(labels)) == len(labels)  # enough decimals to tell ticks apart
    gids = [a.get_gid() for a in ax.artists] + [t.get_gid() for t in ax.texts]
    assert figures.SCALE_BAR_GID in gids and figures.NORTH_ARROW_GID in gids


def test_a_district_map_is_in_degrees_with_scale_bar_and_north_arrow() -> None:
    district = District.of_cells(CELLS)
    fig = figures.draw_site_map(district, [Points("反弹", "#c1121f", [(121.42, 28.62)])],
                                "分布")
    _check_map(fig)
    ax = fig.axes[0]
    assert _labels(ax.xaxis)[0].endswith("°E") and _labels(ax.yaxis)[0].endswith("°N")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 < 121.40 and x1 > 121.50 and y0 < 28.60 and y1 > 28.70  # the whole district
    # north up and true to scale: one degree of longitude is cos(latitude) of one of latitude
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians((y0 + y1) / 2)))
    bar = next(a for a in ax.artists if a.get_gid() == figures.SCALE_BAR_GID)
    assert "公里" in bar.txt_label.get_text()
    plt.close(fig)


def test_the_district_is_drawn_with_its_towns_and_boundary() -> None:
    district = District.of_cells([*CELLS, (None, None)])
    assert len(district.cells) == 3 and len(district.towns) == 2
    assert district.boundary.equals(box(121.40, 28.60, 121.50, 28.70))
    fig = figures.draw_site_map(district, [], "边界")
    colours = {to_hex(c.get_edgecolor()[0]) for c in fig.axes[0].collections}
    assert {palette.GRID_LINE, palette.TOWN_LINE, palette.DISTRICT_LINE} <= colours
    plt.close(fig)
    assert District.of_cells([]) == District()


def test_overlapping_cells_still_dissolve_into_the_district() -> None:
    """Cells as some bureaus hand them over (overlapping): not a coverage, a full union."""
    overlapping = District.of_cells([("甲镇", box(0, 0, 2, 2)), ("甲镇", box(1, 1, 3, 3))])
    assert overlapping.boundary.is_valid
    assert overlapping.boundary.area == pytest.approx(7.0)


def test_a_site_map_zooms_to_the_site_with_the_district_beside() -> None:
    district = District.of_cells(CELLS)
    site = box(121.4195, 28.6195, 121.4205, 28.6205)
    fig = figures.draw_site_map(district, [Points("点位", palette.SITE, [(121.42, 28.62)])],
                                "DC-1", outlines=[site], zoom=True)
    _check_map(fig)
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    metres = (x1 - x0) * figures.METRES_PER_DEGREE * math.cos(math.radians(28.62))
    assert figures.MIN_VIEW_M * 0.99 <= metres < 3_000  # the site, not the district
    bar = next(a for a in ax.artists if a.get_gid() == figures.SCALE_BAR_GID)
    assert bar.txt_label.get_text().endswith("米")
    assert len(ax.child_axes) == 1  # the small map of the district
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["点位范围", "点位"]
    plt.close(fig)


def test_a_map_without_district_or_points_still_has_its_furniture() -> None:
    _check_map(figures.draw_site_map(District(), [], "空"))
    plt.close("all")


def test_the_chart_uses_the_palette_and_plain_counts() -> None:
    fig = figures.draw_progress_chart({
        "反馈问题": [Bar("已销号", 9, palette.FLAG_COLOURS["passed"]),
                 Bar("逾期", 2, palette.FLAG_COLOURS["case_overdue"])],
        "回头看": [Bar("反弹", 123456, palette.FLAG_COLOURS["recurred"])]})
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert all(re.fullmatch(r"\d+", x) for x in _labels(ax.yaxis) if x)
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [
        "#2b9348", "#9d0208", "#c1121f"]
    plt.close(fig)


def test_pngs_are_of_a_sane_size() -> None:
    data = figures.site_map(District.of_cells(CELLS), [], "图")
    width, height = Image.open(io.BytesIO(data)).size
    assert 500 <= width <= 2000 and 500 <= height <= 2000


@pytest.mark.parametrize(("target", "nice"), [(0.4, 1.0), (1, 1), (3, 2), (7.5, 5), (10, 10),
                                              (1999, 1000), (2500, 2000), (49_000, 20_000)])
def test_scale_bar_lengths_are_round(target: float, nice: float) -> None:
    assert figures._nice_metres(target) == nice


def test_the_map_page_takes_its_colours_from_the_palette() -> None:
    """The map's legend and the reports' figures share inspections/palette.py: the map
    script has no colours of its own for the flags."""
    script = (Path(__file__).parents[2] / "web" / "static" / "map.js").read_text()
    assert "config.colours.flags" in script
    assert not re.search(r"recurred:\s*\"#", script)
