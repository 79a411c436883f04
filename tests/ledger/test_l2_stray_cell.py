"""A stray cell far down (row 1,048,576) or far right (column XFD) of a ledger sheet: the reader
builds rows from the cells the file holds, so time and memory follow the data, not the sheet's
last-cell address (before, one such cell made `ledger import` run for minutes using GBs). The
same reader serves `check --ledger` and `data check --ledger`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

UNIT = """format: tanjiliang/unit@1
unit: {name: 杂格测试, year: 2025}
subunits:
  - {id: G1, name: 1号机组}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G1}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t", consumers: [B1]}
instruments:
  - {id: W-01, name: 进厂汽车衡, type: truck_scale, measures: coal, at: boundary, last_confirmed: 2025-03-01, interval: 12 个月}
"""


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "tanjiliang"), *args], capture_output=True,
                          text=True, timeout=timeout, env={"PATH": "/usr/bin:/bin", "TANJILIANG_LANG": "zh",
                                                           "LANG": "C.UTF-8"})


def _ledger(tmp_path: Path, cells: list[tuple[int, int, str]]) -> tuple[Path, Path]:
    unit = tmp_path / "u.yaml"
    unit.write_text(UNIT, encoding="utf-8")
    led = tmp_path / "台账.xlsx"
    r = _cli("ledger", "export", str(unit), "-o", str(led))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(led)
    ws = wb.worksheets[0]
    for row, col, v in cells:
        ws.cell(row=row, column=col, value=v)
    wb.save(led)
    return unit, led


def test_stray_cell_at_the_last_row_is_reported_quickly(tmp_path: Path) -> None:
    unit, led = _ledger(tmp_path, [(1048576, 3, "备")])
    before = unit.read_bytes()
    r = _cli("ledger", "import", str(unit), str(led), "--dry-run")  # completes well within the timeout
    out = r.stdout + r.stderr
    assert "1048576" in out  # the row is named, whether reported as a problem or as not imported
    assert unit.read_bytes() == before
    c = _cli("check", str(unit), "--ledger", str(led), "--format", "json")
    assert "1048576" in c.stdout + c.stderr


def test_stray_cell_at_xfd1048576_does_not_hang(tmp_path: Path) -> None:
    unit, led = _ledger(tmp_path, [(1048576, 16384, "x")])
    r = _cli("ledger", "import", str(unit), str(led), "--dry-run")
    assert r.returncode in (0, 2), r.stderr
    assert "Traceback" not in r.stderr
