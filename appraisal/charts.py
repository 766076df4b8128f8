"""Tiny server-side SVG charts for the scorecard pages: no JavaScript, no CDN, every text escaped."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GRADE_COLOURS = {"A": "#2e7d32", "B": "#1565c0", "C": "#f9a825", "D": "#c62828", "": "#888888"}


def bar_chart(rows: list[tuple[str, Decimal, str]], *, title: str, width: int = 640, bar: int = 22,
              scale_max: Decimal | None = None) -> SafeString:
    """Horizontal bars: (label, value, grade) per row, coloured by grade, value written at the bar's end."""
    if not rows:
        return mark_safe("")
    label_w, gap = 150, 6
    top = max([Decimal(100)] + [max(Decimal(v), Decimal(0)) for _, v, _ in rows]) if scale_max is None else scale_max
    plot_w = width - label_w - 60
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value, grade) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = 0 if top <= 0 else int(plot_w * max(Decimal(value), Decimal(0)) / top)
        colour = GRADE_COLOURS.get(grade, GRADE_COLOURS[""])
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{colour}" rx="3"/>'
            f'<text x="{label_w + w + 4}" y="{y + bar * 0.7:.0f}" font-size="12">{escape(f"{Decimal(value):.2f}")} {escape(grade)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grade_chart(counts: dict[str, int], *, title: str, width: int = 320, height: int = 140) -> SafeString:
    """Columns of how many people got each grade."""
    grades = ["A", "B", "C", "D"]
    top = max([1] + [counts.get(g, 0) for g in grades])
    col_w = width // len(grades)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, g in enumerate(grades):
        n = counts.get(g, 0)
        h = int((height - 40) * n / top)
        x = i * col_w + 12
        parts.append(
            f'<rect x="{x}" y="{height - 20 - h}" width="{col_w - 24}" height="{h}" fill="{GRADE_COLOURS[g]}" rx="3"/>'
            f'<text x="{x + (col_w - 24) / 2:.0f}" y="{height - 24 - h}" text-anchor="middle" font-size="12">{n}</text>'
            f'<text x="{x + (col_w - 24) / 2:.0f}" y="{height - 5}" text-anchor="middle" font-size="13">{g}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
