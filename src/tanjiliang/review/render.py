"""The review report as HTML, PDF (WeasyPrint, Noto Sans CJK SC) and XLSX (openpyxl), from
one :class:`~tanjiliang.review.report.ReportContext` (docs/review.md "Report")."""

from __future__ import annotations

from importlib import resources

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tanjiliang.review.report import ReportContext

_env = jinja2.Environment(
    loader=jinja2.FunctionLoader(
        lambda name: (resources.files("tanjiliang.review") / "templates" / name)
        .read_text(encoding="utf-8")),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_html(c: ReportContext) -> str:
    return _env.get_template("review_report.html").render(c=c)


def render_pdf(c: ReportContext) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(c)).write_pdf()  # type: ignore[no-any-return]


_thin = Side(style="thin", color="333333")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_head = PatternFill("solid", fgColor="EEF0F3")
_group = PatternFill("solid", fgColor="F6F6F6")
_wrap = Alignment(wrap_text=True, vertical="top")
_red = Font(color="B00020", bold=True)
_bold = Font(bold=True)


def _cell(ws: Worksheet, row: int, col: int, value: object, *, head: bool = False,
          fill: PatternFill | None = None, font: Font | None = None) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.border = _border
    cell.alignment = _wrap
    if head:
        cell.fill, cell.font = _head, _bold
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _summary_sheet(ws: Worksheet, c: ReportContext) -> None:
    L = c.labels
    has_self = bool(c.extra.get("has_self"))
    cols = [L["no"], L["clause"], L["content"], L["method"]]
    cols += [L["self_result"]] if has_self else []
    cols += [L["result"], L["remark"], L["evidence"]]
    width = len(cols)
    _title(ws, c.title, width)
    row = 3
    for i in range(0, len(c.header), 2):
        for j, (k, v) in enumerate(c.header[i:i + 2]):
            _cell(ws, row, 1 + j * 3, k, head=True)
            ws.merge_cells(start_row=row, start_column=2 + j * 3, end_row=row,
                           end_column=3 + j * 3)
            _cell(ws, row, 2 + j * 3, v)
        row += 1
    row += 1
    for j, h in enumerate(cols, start=1):
        _cell(ws, row, j, h, head=True)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    row += 1
    for g in c.groups:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        _cell(ws, row, 1, g.title, fill=_group, font=_bold)
        row += 1
        for r in g.rows:
            values: list[object] = [r.no, r.clause, r.content, r.method]
            values += [r.self_result] if has_self else []
            values += [r.result, r.remark, r.evidence]
            for j, val in enumerate(values, start=1):
                _cell(ws, row, j, val)
            if r.result_code == "nonconforming":
                ws.cell(row=row, column=width - 2).font = _red
            row += 1
    row += 1
    tail = [(L["counts"], " · ".join(f"{k} {v}" for k, v in c.counts)),
            (L["conclusion"], c.conclusion), (L["summary"], c.summary), *c.seal]
    if not c.signed:
        tail.append((L["state"], L["unsigned"]))
    for k, v in tail:
        _cell(ws, row, 1, k, head=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=width)
        _cell(ws, row, 3, v, font=_red if v == c.conclusion
              and c.conclusion_code == "nonconforming" else None)
        row += 1
    _cell(ws, row + 1, 1, L["signed_by"], head=True)
    _cell(ws, row + 1, 4, L["enterprise_rep"], head=True)
    _widths(ws, [6, 8, 42, 10, *([10] if has_self else []), 10, 46, 24])


def _nc_sheet(ws: Worksheet, c: ReportContext) -> None:
    L = c.labels
    _title(ws, L["nc_title"], 4)
    _widths(ws, [18, 36, 18, 36])
    row = 3
    if not c.ncs:
        ws.cell(row=row, column=1, value=L["none"])
    unit = c.header[0][1]
    for n in c.ncs:
        pairs = [
            ((L["nc_no"], n.id), (L["unit"], unit)),
            ((L["nc_clause"], n.clause), (L["nc_basis"], n.basis)),
            ((L["content"], n.content), None),
            ((L["nc_facts"], n.facts), None),
            ((L["nc_findings"], n.findings), None),
            ((L["owner"], n.owner), (L["due"], n.due)),
            ((L["cause"], n.cause), None),
            ((L["correction"], n.correction + (f"\n{L['evidence']}: {n.evidence}"
                                                if n.evidence else "")), None),
            ((L["verification"], n.verification), None),
            ((L["action_status"], n.status), (L["closed_by"], f"{n.closed_by} {n.closed_at}"
                                               .strip())),
        ]
        for left, right in pairs:
            _cell(ws, row, 1, left[0], head=True)
            _cell(ws, row, 2, left[1])
            if right is None:
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
            else:
                _cell(ws, row, 3, right[0], head=True)
                _cell(ws, row, 4, right[1])
            row += 1
        row += 1


def _evidence_sheet(ws: Worksheet, c: ReportContext) -> None:
    L = c.labels
    cols = [L["no"], L["file"], L["for"], L["party"], L["uploaded_by"], L["uploaded_at"],
            L["size"], "SHA-256"]
    _title(ws, L["evidence_title"], len(cols))
    for j, h in enumerate(cols, start=1):
        _cell(ws, 3, j, h, head=True)
    for i, e in enumerate(c.evidence, start=4):
        for j, v in enumerate([e.no, e.filename, e.supports, e.party, e.uploaded_by,
                               e.uploaded_at, e.size, e.sha256], start=1):
            _cell(ws, i, j, v)
    _widths(ws, [6, 36, 14, 10, 12, 18, 12, 68])


def build_workbook(c: ReportContext) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = c.title[:31]
    _summary_sheet(ws, c)
    if c.kind == "review":
        _nc_sheet(wb.create_sheet(c.labels["nc_title"][:31]), c)
    _evidence_sheet(wb.create_sheet(c.labels["evidence_title"][:31]), c)
    return wb


def render_xlsx(c: ReportContext) -> bytes:
    from tanjiliang.model.xlsx import workbook_bytes

    return workbook_bytes(build_workbook(c))  # formulas from user text stay text
