"""The XLSX workbook (openpyxl): the same tables as the HTML/PDF report, one sheet each, for a
reviewer who works in Excel.

Sheets: summary (cover and conclusion) · streams and classes · the data behind each stream
(parameters with their sources) · equipping rates laid out like GB 17167's table (medium ×
level) with the detail rows · metering points · the instrument ledger split by level like
JJF 1356-2012 Annex B.4 (level 1), B.5 (level 2) and B.6 (level 3), plus laboratory and
emission-point instruments · findings with clauses · sub-units and equipment.
Numbers are written unrounded as numbers (shares as fractions formatted as percentages); the
page shows them rounded.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tanjiliang.reports import fmt
from tanjiliang.reports.context import ReportContext, Table

FONT = "Noto Sans CJK SC"
HEAD_FILL = PatternFill("solid", fgColor="EEF2F5")
BAD_FILL = PatternFill("solid", fgColor="FDECEA")
WARN_FILL = PatternFill("solid", fgColor="FFF4E5")
THIN = Side(style="thin", color="CFD8DC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_BAD = {"bad", "st-missing", "sev-nonconformity"}
_WARN = {"warn", "st-nonconforming", "sev-observation"}


def _width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2e80 else 1.1 for ch in text)


def write_table(ws: Worksheet, tb: Table, row: int, title: bool = True) -> int:
    """Write ``tb`` from ``row``; return the next free row."""
    ncols = len(tb.header)
    if title:
        ws.cell(row=row, column=1, value=tb.title).font = Font(name=FONT, bold=True, size=12)
        if ncols > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        row += 1
    for c, h in enumerate(tb.header, 1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    row += 1
    for texts, cls, raw in zip(tb.rows, tb.classes, tb.values, strict=True):
        fill = BAD_FILL if set(cls.split()) & _BAD else WARN_FILL if set(cls.split()) & _WARN else None
        for c, text in enumerate(texts, 1):
            value: object = text
            number_format = None
            if c - 1 in raw:  # the unrounded number behind the displayed text
                value = raw[c - 1]
                number_format = tb.formats.get(c - 1)
            cell = ws.cell(row=row, column=c, value=value)
            cell.font = Font(name=FONT, bold=cls == "total")
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=_width(text) > 40)
            if number_format:
                cell.number_format = number_format
            if fill is not None:
                cell.fill = fill
        row += 1
    if tb.note:
        ws.cell(row=row, column=1, value=tb.note).font = Font(name=FONT, italic=True, color="5B6B79")
        row += 1
    return row + 1


def _fit_columns(ws: Worksheet) -> None:
    widths: dict[int, float] = {}
    merged = {(r, c) for rng in ws.merged_cells.ranges
              for r in range(rng.min_row, rng.max_row + 1)
              for c in range(rng.min_col, rng.max_col + 1)}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), _width(str(cell.value)))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 6), 48)


def _sheet(wb: Workbook, title: str) -> Worksheet:
    clean = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    ws = wb.create_sheet(clean)
    return ws


def build_workbook(ctx: ReportContext) -> Workbook:
    wb = Workbook()
    default = wb.active
    t = ctx.t

    ws = _sheet(wb, t("xlsx.summary"))
    ws.cell(row=1, column=1, value=ctx.title).font = Font(name=FONT, bold=True, size=16)
    ws.cell(row=2, column=1, value=f"{ctx.a.unit_name} · {ctx.a.unit_year}").font = Font(name=FONT, size=12)
    row = 4
    for k, v in ctx.cover + ctx.summary:
        ws.cell(row=row, column=1, value=k).font = Font(name=FONT, bold=True)
        ws.cell(row=row, column=2, value=v).font = Font(name=FONT)
        row += 1
    row += 1
    c = ws.cell(row=row, column=1, value=ctx.conclusion_text)
    c.font = Font(name=FONT, bold=True, color="C62828" if ctx.conclusion == "nonconforming" else "2E7D32")
    ws.cell(row=row + 1, column=1, value=ctx.pack_note).font = Font(name=FONT, italic=True)
    _fit_columns(ws)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70

    ws = _sheet(wb, t("xlsx.streams"))
    row = write_table(ws, ctx.streams, 1)
    totals = Table("classes", t("chart.by_class"), [t("col.class"), t("col.emissions"), t("col.share")],
                   numeric={1, 2}, formats={1: "#,##0.00", 2: "0.00%"})
    for _cls, label, e, share in ctx.class_totals:
        totals.add([label, fmt.tco2e(e), fmt.pct(share)], values={1: e, 2: share})
    row = write_table(ws, totals, row)
    write_table(ws, ctx.thresholds, row)
    ws.freeze_panes = "C3"
    _fit_columns(ws)

    ws = _sheet(wb, t("xlsx.parameters"))
    row = write_table(ws, ctx.parameters, 1)
    write_table(ws, ctx.consumers, row)
    ws.freeze_panes = "B3"
    _fit_columns(ws)

    ws = _sheet(wb, t("xlsx.rates"))
    row = write_table(ws, ctx.rates_pivot, 1)
    write_table(ws, ctx.rates, row)
    _fit_columns(ws)

    ws = _sheet(wb, t("xlsx.points"))
    row = 1
    for tb in ctx.points_tables:
        row = write_table(ws, tb, row)
    _fit_columns(ws)

    for tb in ctx.ledgers:
        ws = _sheet(wb, tb.title)
        write_table(ws, tb, 1)
        ws.freeze_panes = "C3"
        ws.auto_filter.ref = f"A2:{get_column_letter(len(tb.header))}{len(tb.rows) + 2}"
        _fit_columns(ws)

    ws = _sheet(wb, t("xlsx.findings"))
    write_table(ws, ctx.findings, 1)
    if ctx.findings.rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(ctx.findings.header))}{len(ctx.findings.rows) + 2}"
    ws.freeze_panes = "A3"
    _fit_columns(ws)

    ws = _sheet(wb, t("xlsx.places"))
    write_table(ws, ctx.places, 1)
    _fit_columns(ws)

    wb.remove(default)
    wb.properties.title = f"{ctx.title} — {ctx.a.unit_name} {ctx.a.unit_year}"
    wb.properties.creator = "tanjiliang"
    return wb
