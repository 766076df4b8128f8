"""Charts of the report pages as inline SVG, drawn on the server — no JavaScript, no CDN.

Why SVG from the server rather than a JS library: the page prints exactly as it shows (vector,
black-and-white safe, data labels on every bar and point), the Excel and PDF of a page need no
browser, and a test can read the numbers in the markup. Every label is escaped; the functions take
plain numbers and strings and know nothing of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#2f6fb0", "#e08a2e", "#3c9a5f", "#c0392b", "#7d5ba6", "#8c6d31", "#17a2b8", "#6c757d")
FONT = 'font-family="sans-serif" font-size="12"'


def _num(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    return float(Decimal(str(value)))


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    v = _num(value)
    text = f"{v:,.0f}" if float(v).is_integer() and unit != "%" else (f"{v:,.1f}" if unit == "%" else f"{v:,.2f}")
    return f"{text}{unit}"


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(rows: Sequence[tuple[str, object]], *, title: str, unit: str = "", width: int = 520, colour: str = PALETTE[0]) -> SafeString:
    """Horizontal bars, one per (label, value), each with its value written at its end."""
    rows = list(rows)
    bar, gap, label_w, value_w = 18, 6, 150, 80
    height = max(1, len(rows)) * (bar + gap) + gap
    top = max((_num(v) for _l, v in rows), default=0) or 1
    span = width - label_w - value_w
    body = []
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = span * _num(value) / top
        short = str(label) if len(str(label)) <= 14 else str(label)[:13] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" {FONT}>{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"><title>{escape(label)}: '
            f"{escape(_fmt(value, unit))}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}" {FONT}>{escape(_fmt(value, unit))}</text>'
        )
    return _svg(width, height, body, title)


def stacked_bar(rows: Sequence[tuple[str, Sequence[object]]], *, series: Sequence[str], title: str, width: int = 520) -> SafeString:
    """One 100 % bar per row, split by ``series`` (e.g. the four rating levels), counts written inside, legend below."""
    rows = list(rows)
    bar, gap, label_w = 20, 8, 110
    span = width - label_w - 10
    height = len(rows) * (bar + gap) + gap + 24
    body = []
    for i, (label, values) in enumerate(rows):
        y = gap + i * (bar + gap)
        total = sum(_num(v) for v in values) or 1
        x = float(label_w)
        body.append(f'<text x="{label_w - 6}" y="{y + bar - 6}" text-anchor="end" {FONT}>{escape(label)}</text>')
        for j, v in enumerate(values):
            w = span * _num(v) / total
            if w <= 0:
                continue
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[j % len(PALETTE)]}">'
                        f"<title>{escape(series[j])}: {escape(_fmt(v))}</title></rect>")
            if w > 18:
                body.append(f'<text x="{x + w / 2:.1f}" y="{y + bar - 6}" text-anchor="middle" fill="#fff" {FONT}>{escape(_fmt(v))}</text>')
            x += w
    y = len(rows) * (bar + gap) + gap + 12
    x = label_w
    for j, name in enumerate(series):
        body.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
                    f'<text x="{x + 14}" y="{y}" {FONT}>{escape(name)}</text>')
        x += 14 + 13 * len(str(name)) + 16
    return _svg(width, height, body, title)


def line_chart(labels: Sequence[str], values: Sequence[object], *, title: str, unit: str = "", target: float | None = None,
               width: int = 520, height: int = 200, colour: str = PALETTE[0], bars: bool = False) -> SafeString:
    """A 12-month trend: a line (or columns) with every point labelled, and a dashed target line."""
    left, right, top, bottom = 10, 10, 18, 26
    n = max(1, len(labels))
    numbers = [None if v is None else _num(v) for v in values]
    high = max([v for v in numbers if v is not None] + ([target] if target is not None else []) + [0]) or 1
    if unit == "%":
        high = max(high, 100)
    plot_h = height - top - bottom
    step = (width - left - right) / n

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * v / high

    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>']
    if target is not None:
        ty = y_of(target)
        body.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#c0392b" stroke-dasharray="4 3"/>'
                    f'<text x="{width - right}" y="{ty - 3:.1f}" text-anchor="end" fill="#c0392b" {FONT}>{escape(_fmt(target, unit))}</text>')
    points = []
    for i, (label, v) in enumerate(zip(labels, numbers)):
        cx = left + step * i + step / 2
        body.append(f'<text x="{cx:.1f}" y="{height - 8}" text-anchor="middle" {FONT}>{escape(label)}</text>')
        if v is None:
            continue
        cy = y_of(v)
        if bars:
            body.append(f'<rect x="{cx - step * 0.35:.1f}" y="{cy:.1f}" width="{step * 0.7:.1f}" height="{top + plot_h - cy:.1f}" fill="{colour}"/>')
        else:
            points.append(f"{cx:.1f},{cy:.1f}")
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>')
        body.append(f'<text x="{cx:.1f}" y="{cy - 5:.1f}" text-anchor="middle" font-family="sans-serif" font-size="10">'
                    f"{escape(_fmt(v, unit))}</text>")
    if points:
        body.insert(1, f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
    return _svg(width, height, body, title)
