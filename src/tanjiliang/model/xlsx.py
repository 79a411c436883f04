"""The one way the system writes an Excel workbook (issue 18: no live formulas from user text).

A name, certificate number or note a user typed may start with ``=``, ``+``, ``-`` or ``@``:
written as is, Excel would run ``=HYPERLINK("http://…", "点击")`` or a DDE formula when the
regulator opens ``overview.xlsx`` (CSV/formula injection, OWASP). Every workbook the system
writes holds data only, so every such cell is stored as *text*: its type is forced to string
(the value is kept exactly as the user wrote it) and it carries Excel's quote prefix, so that
editing the cell does not turn it into a formula either.

- :func:`save_workbook` / :func:`workbook_bytes`: neutralise every sheet, then save (atomically
  to a path, see :mod:`tanjiliang.model.write`, or to bytes);
- :func:`safe_row`: the cells of one row for a *write-only* workbook (whose cells cannot be
  visited after they are appended), neutralised as they are made.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tanjiliang.model.write import atomic_path

#: First characters with which spreadsheet programs start a formula (and tab/CR, which some
#: strip before looking), after OWASP's CSV-injection guidance.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _as_text(cell: Cell | WriteOnlyCell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def neutralise(wb: Workbook) -> int:
    """Turn every formula and formula-like text of ``wb`` into plain text; returns how many
    cells were changed. Data validations (drop-down lists) are not cells and keep working."""
    n = 0
    for ws in wb.worksheets:
        if isinstance(ws, WriteOnlyWorksheet):
            continue  # written row by row through safe_row
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or formula_like(cell.value):
                    _as_text(cell)
                    n += 1
    return n


def safe_row(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """One row for ``ws.append`` of a write-only sheet, formula-like texts as text cells."""
    out: list[Any] = []
    for v in values:
        if formula_like(v):
            cell = WriteOnlyCell(ws, v)
            _as_text(cell)
            out.append(cell)
        else:
            out.append(v)
    return out


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Neutralise and save ``wb`` to ``path`` atomically."""
    neutralise(wb)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def workbook_bytes(wb: Workbook) -> bytes:
    """Neutralise ``wb`` and return the .xlsx file's bytes (web downloads)."""
    neutralise(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
