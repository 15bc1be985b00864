"""Small server-rendered SVG charts (no script, no library): bars a leader reads at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_COLOUR = "#1f5f4a"


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str,
              links: Sequence[str | None] | None = None, width: int = 520,
              height: int = 200, colours: Sequence[str] | None = None) -> str:
    """A vertical bar chart as an <svg> string, each bar labelled with its value."""
    n = max(1, len(values))
    top = max([1, *values])
    pad_left, pad_bottom, pad_top = 8, 34, 22
    slot = (width - pad_left * 2) / n
    bar = max(4.0, slot * 0.7)
    plot = height - pad_bottom - pad_top
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot * value / top
        x = pad_left + i * slot + (slot - bar) / 2
        y = pad_top + plot - h
        colour = colours[i] if colours else BAR_COLOUR
        rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(label)}: {value}</title></rect>'
                f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="11">{value}</text>')
        link = links[i] if links else None
        parts.append(f'<a href="{escape(link)}">{rect}</a>' if link else rect)
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - pad_bottom + 14}" '
                     f'text-anchor="middle" font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]],
                      *, title: str, links: Sequence[str | None] | None = None,
                      width: int = 520, height: int = 220) -> str:
    """Bars stacked from (name, colour, values) series, each bar labelled with its total,
    and a legend of the series."""
    n = max(1, len(labels))
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    top = max([1, *totals])
    pad, pad_bottom, pad_top = 8, 50, 22
    slot = (width - pad * 2) / n
    bar = max(4.0, slot * 0.7)
    plot = height - pad_bottom - pad_top
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, label in enumerate(labels):
        x, y = pad + i * slot + (slot - bar) / 2, pad_top + plot
        rects = []
        for name, colour, values in series:
            h = plot * values[i] / top
            y -= h
            rects.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(label)} {escape(name)}: '
                         f"{values[i]}</title></rect>")
        rects.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                     f'font-size="11">{totals[i]}</text>')
        group = "".join(rects)
        link = links[i] if links else None
        parts.append(f'<a href="{escape(link)}">{group}</a>' if link else group)
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - pad_bottom + 14}" '
                     f'text-anchor="middle" font-size="11">{escape(label)}</text>')
    for k, (name, colour, _) in enumerate(series):
        x = pad + k * (width - 2 * pad) / max(1, len(series))
        parts.append(f'<rect x="{x:.1f}" y="{height - 16}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{x + 14:.1f}" y="{height - 7}" '
                     f'font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
