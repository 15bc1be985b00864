"""Small server-rendered SVG charts (no script, no library): bars a leader reads at a glance.
This module computes the geometry; `templates/_chart.html` draws it (autoescaped)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

BAR_COLOUR = "#1f5f4a"


@dataclass(frozen=True)
class Segment:
    """One coloured part of a bar, with its tooltip."""

    y: float
    height: float
    colour: str
    tooltip: str


@dataclass(frozen=True)
class Bar:
    """One bar: its place, its parts, the figure on top, the label below and a link."""

    x: float
    width: float
    top: float
    total: int
    label: str
    segments: list[Segment]
    link: str | None = None


@dataclass(frozen=True)
class Chart:
    """A bar chart's size, title, bars and (for stacked bars) the legend's entries."""

    title: str
    width: int
    height: int
    label_y: float
    bars: list[Bar]
    legend: list[tuple[float, str, str]] = field(default_factory=list)  # x, colour, name


def _slots(n: int, width: int, pad: float) -> tuple[float, float]:
    slot = (width - pad * 2) / max(1, n)
    return slot, max(4.0, slot * 0.7)


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str,
              links: Sequence[str | None] | None = None, width: int = 520,
              height: int = 200, colours: Sequence[str] | None = None) -> Chart:
    """A vertical bar chart, each bar labelled with its value."""
    chart = stacked_bar_chart(labels, [("", BAR_COLOUR, values)], title=title, links=links,
                              width=width, height=height, legend=False, pad_bottom=34)
    if not colours:
        return chart
    return replace(chart, bars=[replace(bar, segments=[replace(s, colour=colour)
                                                      for s in bar.segments])
                                for bar, colour in zip(chart.bars, colours, strict=True)])


def stacked_bar_chart(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]],
                      *, title: str, links: Sequence[str | None] | None = None,
                      width: int = 520, height: int = 220, legend: bool = True,
                      pad_bottom: int = 50) -> Chart:
    """Bars stacked from (name, colour, values) series, each bar labelled with its total,
    and a legend of the series."""
    pad, pad_top = 8, 22
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = max([1, *totals])
    slot, bar = _slots(len(labels), width, pad)
    plot = height - pad_bottom - pad_top
    bars = []
    for i, label in enumerate(labels):
        y, segments = pad_top + plot, []
        for name, colour, values in series:
            if not values[i]:
                continue
            h = plot * values[i] / top
            y -= h
            tip = f"{label} {name}: {values[i]}" if name else f"{label}: {values[i]}"
            segments.append(Segment(y, h, colour, tip))
        bars.append(Bar(pad + i * slot + (slot - bar) / 2, bar, y, totals[i], label, segments,
                        links[i] if links else None))
    keys = [(pad + k * (width - 2 * pad) / max(1, len(series)), colour, name)
            for k, (name, colour, _) in enumerate(series)] if legend else []
    return Chart(title, width, height, height - pad_bottom + 14, bars, keys)
