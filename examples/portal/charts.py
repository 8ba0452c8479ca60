"""Inline SVG charts drawn by the portal: no script, no network, a few hundred bytes each."""
from __future__ import annotations

from markupsafe import Markup, escape


def bars(series: list[tuple[str, float]], target: float | None = None, title: str = "") -> Markup:
    """A vertical bar per period (e.g. 2026-Q1..Q4), with the target as a dashed line."""
    w, h, pad, top = 320, 150, 24, 12
    top_value = max([v for _, v in series] + [target or 0, 1])
    n = max(len(series), 1)
    slot = (w - 2 * pad) / n
    y = lambda v: top + (h - top - pad) * (1 - v / top_value)  # noqa: E731
    parts = [f'<svg viewBox="0 0 {w} {h}" role="img" aria-label="{escape(title)}" class="chart">'
             f'<title>{escape(title)}</title>']
    for i, (label, value) in enumerate(series):
        x = pad + i * slot + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{h - pad - y(value):.1f}" class="bar"/>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y(value) - 3:.1f}" text-anchor="middle">{value:g}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{h - 8}" text-anchor="middle">{escape(label)}</text>')
    if target:
        parts.append(f'<line x1="{pad}" x2="{w - pad}" y1="{y(target):.1f}" y2="{y(target):.1f}" class="target"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def progress(value: float, target: float | None, title: str) -> Markup:
    """A horizontal bar: the value against its target."""
    share = 0.0 if not target else max(0.0, min(1.0, value / target))
    return Markup(f'<svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img" class="progress" '
                  f'aria-label="{escape(title)}"><rect width="100" height="8" class="track"/>'
                  f'<rect width="{share * 100:.1f}" height="8" class="bar"/></svg>')


def funnel(rows: list[tuple[str, int]], title: str) -> Markup:
    """Horizontal bars, one per stage."""
    w, row_h, label_w = 320, 20, 150
    top_value = max([v for _, v in rows] + [1])
    h = row_h * len(rows) + 4
    parts = [f'<svg viewBox="0 0 {w} {h}" role="img" aria-label="{escape(title)}" class="chart">'
             f'<title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        yy = i * row_h + 2
        bw = (w - label_w - 30) * value / top_value
        parts.append(f'<text x="{label_w - 6}" y="{yy + 14}" text-anchor="end">{escape(label[:24])}</text>')
        parts.append(f'<rect x="{label_w}" y="{yy + 3}" width="{bw:.1f}" height="{row_h - 6}" class="bar"/>')
        parts.append(f'<text x="{label_w + bw + 4:.1f}" y="{yy + 14}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
