"""Figures for reports, drawn server-side with matplotlib (no browser), in the dashboard's
colours (inspections/palette.py): grouped bars of a period's figures, and maps of sites in
the district. A map is in degrees (EPSG:4326) labelled 121.40°E / 28.70°N with no offset,
with a scale bar, a north arrow and the district's and towns' boundaries."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar  # noqa: E402

from inspections import palette  # noqa: E402

CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
METRES_PER_DEGREE = 111_320.0  # along the equator or a meridian (near enough for a scale bar)
MIN_VIEW_M = 1_500.0  # a map zoomed to a site shows at least this much around it
SCALE_BAR_GID, NORTH_ARROW_GID = "scale-bar", "north-arrow"
INK = palette.SITE


def _use_cjk_font() -> None:
    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            plt.rcParams["font.family"] = font_manager.FontProperties(fname=path).get_name()
            return


_use_cjk_font()


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes at 150 dpi (the figure is closed)."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


# --- bars ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count and its colour (from inspections.palette)."""

    label: str
    value: int
    colour: str


def draw_progress_chart(groups: dict[str, Sequence[Bar]]) -> Figure:
    """Grouped bars: each group (e.g. 反馈问题) with its bars (e.g. 总数, 已销号)."""
    fig, ax = plt.subplots(figsize=(6.2, 3.2))
    x = 0.0
    ticks, labels = [], []
    for group, bars in groups.items():
        for i, bar in enumerate(bars):
            drawn = ax.bar(x + i * 0.8, bar.value, width=0.7, color=bar.colour)
            ax.bar_label(drawn, fontsize=8)
            ticks.append(x + i * 0.8)
            labels.append(bar.label)
        # the group's name once, centred under its bars
        ax.text(x + (len(bars) - 1) * 0.4, -0.14, group, ha="center", va="top", fontsize=8,
                transform=ax.get_xaxis_transform())
        x += len(bars) * 0.8 + 0.8
    ax.set_xticks(ticks, labels, fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.tick_params(axis="y", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def progress_chart(groups: dict[str, Sequence[Bar]]) -> bytes:
    """The grouped bars as PNG bytes."""
    return png(draw_progress_chart(groups))


# --- maps ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Points:
    """A layer of points (lon, lat) with its legend label and colour."""

    label: str
    colour: str
    where: list[tuple[float, float]]
    marker: str = "o"


@dataclass(frozen=True)
class District:
    """The district drawn under a map: its grid cells, its towns and its boundary."""

    cells: list[Any] = field(default_factory=list)
    towns: list[Any] = field(default_factory=list)
    boundary: Any = None

    @classmethod
    def of_cells(cls, cells: Iterable[tuple[str | None, Any]]) -> District:
        """The district of its grid cells, given as (town, polygon): towns and the district
        are their cells dissolved."""
        found = [(town, g) for town, g in cells if g is not None and not g.is_empty]
        if not found:
            return cls()
        by_town: dict[str | None, list[Any]] = {}
        for town, geom in found:
            by_town.setdefault(town, []).append(geom)
        towns = [_dissolve(gs) for town, gs in by_town.items() if town]
        return cls([g for _, g in found], towns, _dissolve([g for _, g in found]))


def _dissolve(geoms: list[Any]) -> Any:
    """Polygons merged into one: as a coverage (cells that tile the land, the fast way), else
    (cells that overlap or leave slivers) by a full union."""
    import shapely
    from shapely.errors import GEOSException

    try:
        merged = shapely.coverage_union_all(geoms)
    except GEOSException:
        merged = None
    total = sum(g.area for g in geoms)
    # a coverage keeps every cell's area: cells that overlap would lose some
    if merged is not None and merged.is_valid and abs(merged.area - total) <= 1e-9 * total:
        return merged
    return shapely.union_all(geoms)


def _rings(geoms: Iterable[Any]) -> list[list[tuple[float, float]]]:
    rings = []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type == "Polygon":
                rings += [list(part.exterior.coords)] + [list(i.coords) for i in part.interiors]
            elif part.geom_type in ("LineString", "LinearRing"):
                rings.append(list(part.coords))
    return rings


def _lines(ax: Axes, geoms: Iterable[Any], colour: str, width: float, z: float) -> None:
    rings = _rings(geoms)
    if rings:
        ax.add_collection(LineCollection(rings, colors=colour, linewidths=width, zorder=z))


def _bounds_of(district: District, layers: Sequence[Points], outlines: Sequence[Any],
               zoom: bool) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []
    for layer in layers:
        xs += [p[0] for p in layer.where]
        ys += [p[1] for p in layer.where]
    for geom in outlines:
        x0, y0, x1, y1 = geom.bounds
        xs += [x0, x1]
        ys += [y0, y1]
    if (not zoom or not xs) and district.boundary is not None:
        x0, y0, x1, y1 = district.boundary.bounds
        xs += [x0, x1]
        ys += [y0, y1]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _view(box: tuple[float, float, float, float], zoom: bool) -> tuple[float, ...]:
    """The map's limits: the box padded, at least MIN_VIEW_M across when zoomed to a site."""
    x0, y0, x1, y1 = box
    cos = math.cos(math.radians((y0 + y1) / 2))
    least_y = MIN_VIEW_M / METRES_PER_DEGREE if zoom else 0.005
    least_x = least_y / max(cos, 0.01)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x = max((x1 - x0) * 0.55, least_x / 2)
    half_y = max((y1 - y0) * 0.55, least_y / 2)
    return cx - half_x, cx + half_x, cy - half_y, cy + half_y


def _decimals(ticks: Sequence[float]) -> int:
    if len(ticks) < 2:
        return 2
    step = abs(ticks[1] - ticks[0])
    return max(1, min(6, math.ceil(-math.log10(step) - 1e-9)))


def _degree_axis(axis: Any, lo: float, hi: float, east_north: tuple[str, str]) -> None:
    """Ticks in whole steps of degrees, labelled 121.40°E (28.70°N): never an offset."""
    ticks = [v for v in MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(lo, hi)
             if lo <= v <= hi]
    places = _decimals(ticks)
    axis.set_ticks(ticks)

    def label(value: float, _: int) -> str:
        hemisphere = east_north[0] if value >= 0 else east_north[1]
        return f"{abs(value):.{places}f}°{hemisphere}"

    axis.set_major_formatter(FuncFormatter(label))


def _nice_metres(target: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above `target` (at least 1 m)."""
    if target < 1:
        return 1.0
    power = 10 ** math.floor(math.log10(target))
    return max(s * power for s in (1, 2, 5) if s * power <= target)


def _scale_bar(ax: Axes, x0: float, x1: float, y0: float, y1: float) -> None:
    """A bar a fifth of the map wide, in round metres or kilometres, lower left."""
    per_degree = METRES_PER_DEGREE * math.cos(math.radians((y0 + y1) / 2))
    metres = _nice_metres((x1 - x0) * per_degree / 5)
    label = f"{metres / 1000:g} 公里" if metres >= 1000 else f"{metres:g} 米"
    bar = AnchoredSizeBar(ax.transData, metres / per_degree, label, "lower left", pad=0.4,
                          borderpad=0.6, sep=3, frameon=True, color=INK,
                          size_vertical=(y1 - y0) / 150, fontproperties={"size": 7})
    bar.set_gid(SCALE_BAR_GID)
    ax.add_artist(bar)


def _north_arrow(ax: Axes) -> None:
    """An arrow pointing up (north: the map is in degrees, north up), top left."""
    ax.annotate("N", xy=(0.06, 0.96), xytext=(0.06, 0.82), xycoords="axes fraction",
                ha="center", va="center", fontsize=9, color=INK, zorder=6,
                arrowprops={"facecolor": INK, "edgecolor": INK, "width": 3, "headwidth": 9,
                            "headlength": 8}, gid=NORTH_ARROW_GID)


def _locator(ax: Axes, district: District, view: tuple[float, ...]) -> None:
    """A small map of the whole district with the main map's view marked, top right."""
    inset = ax.inset_axes((0.72, 0.70, 0.27, 0.28))
    _lines(inset, [district.boundary], palette.DISTRICT_LINE, 0.8, 2)
    x0, x1, y0, y1 = view
    inset.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color=palette.FLAG_COLOURS[
        "recurred"], linewidth=1.2)
    bx0, by0, bx1, by1 = district.boundary.union(_box(view)).bounds
    pad = max(bx1 - bx0, by1 - by0) * 0.06  # keeps the boundary off the frame
    inset.set_xlim(bx0 - pad, bx1 + pad)
    inset.set_ylim(by0 - pad, by1 + pad)
    inset.set_aspect(1 / math.cos(math.radians((by0 + by1) / 2)))
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("#ffffff")
    for spine in inset.spines.values():
        spine.set_edgecolor(palette.GRID_LINE)


def _box(view: tuple[float, ...]) -> Any:
    from shapely.geometry import box

    x0, x1, y0, y1 = view
    return box(x0, y0, x1, y1)


def draw_site_map(district: District, layers: Sequence[Points], title: str, *,
                  outlines: Sequence[Any] = (), footprints: Sequence[Any] = (),
                  zoom: bool = False) -> Figure:
    """A map: the district's grid cells, towns and boundary, the sites' `outlines`, the
    photos' `footprints`, then the point layers. `zoom`: frame the layers, outlines and
    footprints (with a small map of the district beside), else the whole district."""
    fig, ax = plt.subplots(figsize=(6.2, 5.0))
    _lines(ax, district.cells, palette.GRID_LINE, 0.3, 1)
    _lines(ax, district.towns, palette.TOWN_LINE, 0.7, 2)
    if district.boundary is not None:
        _lines(ax, [district.boundary], palette.DISTRICT_LINE, 1.4, 3)
    _lines(ax, outlines, palette.SITE, 1.0, 4)
    _lines(ax, footprints, palette.PHOTO, 0.8, 4)
    for shown, label, colour in ((outlines, "点位范围", palette.SITE),
                                 (footprints, "航拍范围", palette.PHOTO)):
        if shown:  # a legend entry for the outlines (a line with no data)
            ax.plot([], [], color=colour, linewidth=1.0, label=label)
    outlines = [*outlines, *footprints]
    for layer in layers:
        if layer.where:
            ax.scatter([p[0] for p in layer.where], [p[1] for p in layer.where], s=30,
                       color=layer.colour, marker=layer.marker, edgecolors="#ffffff",
                       linewidths=0.6, label=layer.label, zorder=5)
    box = _bounds_of(district, layers, outlines, zoom)
    view = _view(box, zoom) if box is not None else (121.3, 121.6, 28.6, 28.8)
    x0, x1, y0, y1 = view
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)), adjustable="box")
    _degree_axis(ax.xaxis, x0, x1, ("E", "W"))
    _degree_axis(ax.yaxis, y0, y1, ("N", "S"))
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
    _scale_bar(ax, x0, x1, y0, y1)
    _north_arrow(ax)
    if zoom and district.boundary is not None:
        _locator(ax, district, view)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="lower right", framealpha=0.9)
    return fig


def site_map(district: District, layers: Sequence[Points], title: str, *,
             outlines: Sequence[Any] = (), footprints: Sequence[Any] = (),
             zoom: bool = False) -> bytes:
    """The map as PNG bytes (see draw_site_map)."""
    return png(draw_site_map(district, layers, title, outlines=outlines,
                             footprints=footprints, zoom=zoom))
