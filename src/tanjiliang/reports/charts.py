"""Charts as SVG text generated in Python: one chart stack for the HTML page and the PDF
(WeasyPrint draws inline SVG itself; nothing needs a browser or JavaScript)."""

from __future__ import annotations

from html import escape

from tanjiliang.reports import fmt

FONT = ("'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',"
        "'PingFang SC',sans-serif")
CLASS_COLOUR = {"major": "#1f4e79", "minor": "#4f81bd", "de_minimis": "#a9c1de"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    """Rough advance width: CJK glyphs are square, Latin about half."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.56 for ch in text)


def stream_bars(rows: list[tuple[str, float, str, str]], class_names: dict[str, str],
                title: str, width: int = 720) -> str:
    """Horizontal bars, one per stream (label, tCO2e, class, share text), coloured by class,
    longest first, with the value and share at the end of each bar."""
    size = 11.0
    row_h = 20
    label_w = min(max((_text_width(r[0], size) for r in rows), default=80) + 12, width * 0.42)
    value_w = 150
    bar_w = width - label_w - value_w - 10
    top = 30
    legend_h = 24
    height = top + row_h * len(rows) + legend_h + 10
    vmax = max((abs(r[1]) for r in rows), default=0.0) or 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{size}" role="img" '
           f'aria-label="{_e(title)}">',
           f'<text x="0" y="16" font-size="13" font-weight="bold">{_e(title)}</text>']
    for k, (label, value, cls, share) in enumerate(rows):
        y = top + k * row_h
        w = max(bar_w * abs(value) / vmax, 1.0 if value else 0.0)
        text = label
        while _text_width(text, size) > label_w - 8 and len(text) > 4:
            text = text[:-2] + "…"
        out.append(f'<text x="{label_w - 6:.1f}" y="{y + 14}" text-anchor="end">{_e(text)}</text>')
        out.append(f'<rect x="{label_w:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                   f'fill="{CLASS_COLOUR.get(cls, "#888")}"><title>{_e(label)}: {fmt.tco2e(value)} tCO₂e</title></rect>')
        out.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 14}" fill="#333">{fmt.tco2e(value)} · {_e(share)}</text>')
    y = top + row_h * len(rows) + 8
    x = label_w
    for cls in ("major", "minor", "de_minimis"):
        out.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{CLASS_COLOUR[cls]}"/>')
        name = class_names.get(cls, cls)
        out.append(f'<text x="{x + 16:.1f}" y="{y + 10}">{_e(name)}</text>')
        x += 16 + _text_width(name, size) + 18
    out.append("</svg>")
    return "\n".join(out)


def class_bar(totals: list[tuple[str, str, float, float]], title: str, width: int = 720) -> str:
    """One 100 % bar split by class (class, label, tCO2e, share), with a caption per part."""
    size = 11.0
    height = 86
    bar_y, bar_h = 26, 24
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{size}" role="img" '
           f'aria-label="{_e(title)}">',
           f'<text x="0" y="16" font-size="13" font-weight="bold">{_e(title)}</text>']
    total = sum(abs(e) for _, _, e, _ in totals) or 1.0
    x = 0.0
    for cls, _label, e, _share in totals:
        w = width * abs(e) / total
        if w <= 0:
            continue
        out.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                   f'fill="{CLASS_COLOUR.get(cls, "#888")}"/>')
        x += w
    cx = 0.0
    for cls, label, e, share in totals:
        text = f"{label} {fmt.tco2e(e)} tCO₂e ({fmt.pct(share)})"
        out.append(f'<rect x="{cx:.1f}" y="{bar_y + bar_h + 14}" width="12" height="12" '
                   f'fill="{CLASS_COLOUR.get(cls, "#888")}"/>')
        out.append(f'<text x="{cx + 16:.1f}" y="{bar_y + bar_h + 24}">{_e(text)}</text>')
        cx += 16 + _text_width(text, size) + 22
    out.append("</svg>")
    return "\n".join(out)
