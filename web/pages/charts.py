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
