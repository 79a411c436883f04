"""A readings workbook that opens with a notes sheet (as plants' exports often do): the readings
are read from the sheet whose header has a time column; a file with no time column says which
headers are meant, in one language (session 6; before: "no time column (time/时间)" for the
notes sheet)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from tests.hardening.conftest import SPEC

Cli = Callable[..., tuple[int, str]]


def test_the_readings_sheet_is_found_behind_a_notes_sheet(tmp_path: Path, cli: Cli) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "2025年1月 入厂煤计量数据，导出自 DCS"
    ws = wb.create_sheet("数据")
    ws.append(["时间", "W-01 [t]"])
    ws.append(["2025-01-01 00:00", 1])
    ws.append(["2025-01-01 01:00", 2])
    book = tmp_path / "读数.xlsx"
    wb.save(book)
    code, out = cli("data", "check", SPEC, book, "--from", "2025-01-01", "--to", "2025-02-01", "--as-of", "2025-12-31")
    assert code in (0, 1) and "读数 2" in out and "读数.xlsx (宽表)" in out, out


def test_no_time_column_in_one_language(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "r.csv"
    f.write_text("instrument,value\nW-01,1\n", encoding="utf-8")
    code, out = cli("data", "check", SPEC, f)
    assert code == 2 and "找不到时间列（表头应有“时间”" in out and "time/" not in out, out
    code, out = cli("data", "check", SPEC, f, "--lang", "en")
    assert code == 2 and 'no time column (a header such as "time"' in out and "时间" not in out, out
