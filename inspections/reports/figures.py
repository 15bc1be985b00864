"""Figures for reports, drawn server-side with matplotlib (no browser): a progress chart and
a map of sites with open and recurred cases."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def _use_cjk_font() -> None:
    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            plt.rcParams["font.family"] = font_manager.FontProperties(fname=path).get_name()
            return


_use_cjk_font()


def _png(fig: plt.Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def progress_chart(groups: dict[str, dict[str, int]]) -> bytes:
    """Grouped bars: each group (e.g. 督察反馈问题) with its counts (e.g. 总数, 已销号)."""
    fig, ax = plt.subplots(figsize=(6.2, 3.2))
    x = 0.0
    ticks, labels = [], []
    for group, values in groups.items():
        for i, (label, value) in enumerate(values.items()):
            bar = ax.bar(x + i * 0.8, value, width=0.7, color=f"C{i}")
            ax.bar_label(bar, fontsize=8)
            ticks.append(x + i * 0.8)
            labels.append(f"{group}\n{label}")
        x += len(values) * 0.8 + 0.8
    ax.set_xticks(ticks, labels, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def site_map(outlines: list, layers: list[tuple[str, str, list[tuple[float, float]]]],
             title: str) -> bytes:
    """A plain map: grid or site outlines in grey, then (label, colour, points) layers."""
    fig, ax = plt.subplots(figsize=(6.2, 5.0))
    for geom in outlines:
        for part in getattr(geom, "geoms", [geom]):
            xs, ys = part.exterior.xy
            ax.plot(xs, ys, color="#b0b7bb", linewidth=0.4)
    for label, colour, where in layers:
        if where:
            ax.scatter([p[0] for p in where], [p[1] for p in where], s=28, color=colour,
                       label=label, zorder=3)
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal", adjustable="datalim")
    ax.tick_params(labelsize=7)
    if any(where for _, _, where in layers):
        ax.legend(fontsize=8, loc="lower right")
    return _png(fig)
