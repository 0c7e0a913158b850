"""Small server-rendered SVG charts: no JavaScript, printable, with text alternatives.

Every chart has a <title> and <desc>, marks carry their value as text (not colour alone),
and the page shows the same numbers in a table next to it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

INK = "#1b1b1b"
BAR = "#0b4f8a"
GRID = "#b1b4b6"
WARN = "#8a4b00"


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None


def _fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.0f}%"
    return f"{value:g}{unit}"


def bar_chart(
    title: str, points: list[Point], *, unit: str = "", width: int = 640, target: float | None = None
) -> str:
    """Horizontal bars, one per label, value written at the end of each bar."""
    row, left, right = 22, 200, 70
    height = row * len(points) + 40
    top = max([p.value or 0 for p in points] + [target or 0, 1e-9])
    scale = (width - left - right) / top
    desc = "; ".join(f"{p.label}: {'—' if p.value is None else _fmt(p.value, unit)}" for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="t d" class="chart">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>',
    ]
    for i, p in enumerate(points):
        y = 20 + i * row
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12" fill="{INK}">{escape(p.label[:32])}</text>'
        )
        if p.value is None:
            parts.append(f'<text x="{left + 4}" y="{y + 14}" font-size="12" fill="{INK}">—</text>')
            continue
        w = max(1.0, p.value * scale)
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{BAR}"/>')
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="12" fill="{INK}">{escape(_fmt(p.value, unit))}</text>'
        )
    if target is not None:
        x = left + target * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="12" x2="{x:.1f}" y2="{height - 10}" stroke="{WARN}" stroke-dasharray="4 3"/>'
            f'<text x="{x + 3:.1f}" y="12" font-size="11" fill="{WARN}">{escape(_fmt(target, unit))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str, points: list[Point], *, unit: str = "", width: int = 640, height: int = 220
) -> str:
    """A trend line with a dot and the value written at every point."""
    left, bottom, top_pad = 40, 40, 20
    values = [p.value for p in points if p.value is not None]
    top = max([*values, 1e-09])
    step = (width - left - 20) / max(1, len(points) - 1)
    scale = (height - bottom - top_pad) / top
    desc = "; ".join(f"{p.label}: {'—' if p.value is None else _fmt(p.value, unit)}" for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="lt ld" class="chart">',
        f'<title id="lt">{escape(title)}</title><desc id="ld">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="{GRID}"/>',
    ]
    coords = []
    for i, p in enumerate(points):
        x = left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" fill="{INK}">{escape(p.label)}</text>'
        )
        if p.value is None:
            continue
        y = height - bottom - p.value * scale
        coords.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="11" fill="{INK}">{escape(_fmt(p.value, unit))}</text>'
        )
    if len(coords) > 1:
        parts.insert(
            3, f'<polyline points="{" ".join(coords)}" fill="none" stroke="{BAR}" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
