"""Long tables of the PDF as fixed-width listings (a printed ledger): one text block per row
in Noto Sans Mono CJK SC instead of one box per cell.

Why: WeasyPrint spends about 0.7 ms of CPU on every table cell; the 300-point plant's tables
(points, accuracy, confirmation, parameters, places) hold some 7 000 cells, which alone took
~8 s. The same rows as padded lines take well under a second. The HTML page keeps real
tables (a browser lays them out instantly); the PDF uses a listing only for tables longer
than :data:`MIN_ROWS`, so every example's PDF has ruled tables.

Alignment: in the mono CJK font a Han character, a full-width form and the East-Asian
ambiguous characters (·, ±, ×) are two columns wide and the rest one; text is NFKC-normalised
for display (``m³`` → ``m3``) so that nothing falls between columns. Cells wider than their
column wrap onto continuation lines: nothing is cut.
"""

from __future__ import annotations

import unicodedata

from tanjiliang.reports.context import Table

MIN_ROWS = 40
#: columns across the A4 portrait text block (182 mm = 516 pt) at 7.5 pt, half an em each
PAGE_COLUMNS = 136
GAP = 2


def display(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "-" if text == "—" else text.replace("—", "-")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def wrap(text: str, cols: int) -> list[str]:
    """Lines of at most ``cols`` columns, broken after a space or separator where one is
    near the end, else anywhere (Chinese text breaks between any two characters)."""
    lines: list[str] = []
    line, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > cols and line:
            cut = max(line.rfind(" "), line.rfind(","), line.rfind(";"))
            if cut >= len(line) * 0.6:
                lines.append(line[: cut + 1].rstrip())
                line = line[cut + 1:].lstrip()
            else:
                lines.append(line)
                line = ""
            w = width(line)
        line += ch
        w += cw
    lines.append(line)
    return lines


def _pad(text: str, cols: int, right: bool) -> str:
    fill = " " * max(cols - width(text), 0)
    return fill + text if right else text + fill


def column_widths(cells: list[list[str]], header: list[str], total: int) -> list[int]:
    """Natural widths (longest cell, header words may wrap), shrunk from the widest
    columns until the row fits ``total``."""
    n = len(header)
    natural = [max([width(c[i]) for c in cells] + [min(width(header[i]), 12), 4]) for i in range(n)]
    avail = total - GAP * (n - 1)
    widths = natural[:]
    while sum(widths) > avail:
        k = max(range(n), key=lambda i: widths[i])
        widths[k] -= 1
    return widths


def listing(tb: Table, total: int = PAGE_COLUMNS) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(header lines, [(row class, lines)]) of ``tb`` laid out in ``total`` columns."""
    head = [(display(h), num) for h, num in tb.page_header()]
    rows = [(cls, [display(c) for c in cells]) for cls, cells in tb.page_rows()]
    widths = column_widths([c for _, c in rows], [h for h, _ in head], total)
    gap = " " * GAP

    def lines_of(cells: list[str], numeric: list[bool]) -> list[str]:
        wrapped = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(x) for x in wrapped)
        out = []
        for k in range(height):
            parts = [_pad(x[k] if k < len(x) else "", w, num)
                     for x, w, num in zip(wrapped, widths, numeric, strict=True)]
            out.append(gap.join(parts).rstrip())
        return out

    numeric = [num for _, num in head]
    header = lines_of([h for h, _ in head], [False] * len(head))
    body = []
    for k, (cls, cells) in enumerate(rows):
        zebra = "z" if k % 2 else ""
        body.append((f"{cls} {zebra}".strip(), lines_of(cells, numeric)))
    return header, body
