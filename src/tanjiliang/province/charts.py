"""SVG charts for the regulator's overview, drawn in Python (no JavaScript, no build step).

Plain SVG strings: a stacked bar chart (conforming / non-conforming per city or sector) and a
line chart (a figure over the years). Text is escaped; sizes are in user units so the charts
scale with the page.
"""

from __future__ import annotations

from html import escape

GOOD, BAD, INK, GRID = "#2e7d32", "#c62828", "#222", "#ddd"


def stacked_bars(rows: list[tuple[str, int, int]], *, title: str, good_label: str,
                 bad_label: str, width: int = 720, bar_h: int = 18) -> str:
    """One horizontal bar per row (label, conforming, non-conforming)."""
    left, right, top = 110, 60, 34
    height = top + len(rows) * (bar_h + 6) + 24
    top_n = max((g + b for _, g, b in rows), default=0) or 1
    scale = (width - left - right) / top_n
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(title)}" class="chart">',
           f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">'
           f"{escape(title)}</text>",
           f'<rect x="{width - 250}" y="6" width="12" height="12" fill="{GOOD}"/>'
           f'<text x="{width - 234}" y="16" font-size="12">{escape(good_label)}</text>'
           f'<rect x="{width - 130}" y="6" width="12" height="12" fill="{BAD}"/>'
           f'<text x="{width - 114}" y="16" font-size="12">{escape(bad_label)}</text>']
    for i, (label, good, bad) in enumerate(rows):
        y = top + i * (bar_h + 6)
        gw, bw = good * scale, bad * scale
        out.append(f'<text x="{left - 6}" y="{y + bar_h - 4}" font-size="12" '
                   f'text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{gw:.1f}" height="{bar_h}" '
                   f'fill="{GOOD}"><title>{escape(label)} {escape(good_label)} {good}</title>'
                   f"</rect>")
        out.append(f'<rect x="{left + gw:.1f}" y="{y}" width="{bw:.1f}" height="{bar_h}" '
                   f'fill="{BAD}"><title>{escape(label)} {escape(bad_label)} {bad}</title>'
                   f"</rect>")
        out.append(f'<text x="{left + gw + bw + 4:.1f}" y="{y + bar_h - 4}" '
                   f'font-size="11">{good + bad}</text>')
    out.append("</svg>")
    return "".join(out)


def _nice(x: float, down: bool = False) -> float:
    """A round number (1, 2 or 5 × 10ⁿ) at or beyond ``x``."""
    import math

    if x == 0:
        return 0.0
    sign = -1.0 if x < 0 else 1.0
    mag = abs(x)
    base = 10 ** math.floor(math.log10(mag))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * base >= mag:
            return sign * step * base
    return sign * 10 * base


def line_chart(points: list[tuple[str, float | None]], *, title: str, unit: str = "",
               width: int = 360, height: int = 200, color: str = "#1565c0",
               decimals: int = 1) -> str:
    """A figure over the years (x: labels in order; gaps where the value is None)."""
    left, right, top, bottom = 58, 16, 30, 28
    vals = [v for _, v in points if v is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    if hi == lo:
        # one year (or a flat line): an axis from zero to a round number above the value,
        # never "value ± 1" (issue 13 §7)
        if lo >= 0:
            lo, hi = 0.0, _nice(lo * 1.25) if lo > 0 else 1.0
        else:
            lo, hi = _nice(lo * 1.25, down=True), 0.0
        pad = 0.0
    else:
        pad = (hi - lo) * 0.1
        lo, hi = lo - pad, hi + pad
    n = max(len(points) - 1, 1)

    def px(i: int) -> float:
        if len(points) == 1:  # a single year stands in the middle
            return left + (width - left - right) / 2
        return left + i * (width - left - right) / n

    def py(v: float) -> float:
        return top + (hi - v) * (height - top - bottom) / (hi - lo)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(title)}" class="chart">',
           f'<text x="0" y="16" font-size="13" font-weight="bold" fill="{INK}">'
           f"{escape(title)}</text>"]
    for frac in (0.0, 0.5, 1.0):
        v = lo + pad + frac * (hi - lo - 2 * pad)
        y = py(v)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/><text x="{left - 4}" y="{y + 4:.1f}" font-size="10" '
                   f'text-anchor="end">{v:,.{decimals}f}</text>')
    path: list[str] = []
    for i, (label, value) in enumerate(points):
        out.append(f'<text x="{px(i):.1f}" y="{height - 8}" font-size="11" '
                   f'text-anchor="middle">{escape(label)}</text>')
        if value is None:
            path.append("")
            continue
        path.append(f"{px(i):.1f},{py(value):.1f}")
        out.append(f'<circle cx="{px(i):.1f}" cy="{py(value):.1f}" r="3" fill="{color}">'
                   f"<title>{escape(label)}: {value:,.{decimals}f}{escape(unit)}</title>"
                   f"</circle>")
    segs = " ".join(p for p in path if p)
    if segs:
        out.append(f'<polyline points="{segs}" fill="none" stroke="{color}" '
                   f'stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)
