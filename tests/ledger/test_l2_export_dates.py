"""The ledger export's 最近检定/校准日期 is the latest confirmation on or before --as-of, the date
the report shows and the one its 下次确认日期 follows from (s10 #11: it showed the unit file's
older last_confirmed, 2024-02-29 beside a next due date of 2026-12-15); the export still imports
back to no change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from tanjiliang.check import check
from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit

UNIT = """format: tanjiliang/unit@1
unit: {name: 日期测试, year: 2025}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t"}
instruments:
  - {id: W-11, name: 皮带秤, type: belt_scale, measures: coal, at: boundary, interval: 12 months,
     last_confirmed: 2024-02-29, confirmations: [{date: 2025-06-01, kind: calibration}]}
  - {id: W-12, name: 汽车衡, type: truck_scale, measures: coal, at: boundary, interval: 6 months,
     last_confirmed: 2025-03-31, confirmations: [{date: 2025-09-30, kind: verification}]}
  - {id: W-13, name: 轨道衡, type: rail_scale, measures: coal, at: boundary, interval: 12 months,
     confirmations: [{date: 2025-02-01, kind: verification}]}
"""

run = CliRunner().invoke


def _dates(path: Path) -> dict[str, tuple[object, object]]:
    ws = load_workbook(path).worksheets[0]
    head = [str(c.value).split("\n")[0] for c in ws[1]]
    i, last, nxt = head.index("管理编号"), head.index("最近检定/校准日期"), head.index("下次确认日期")
    return {r[i]: (r[last].date() if r[last] else None, r[nxt].date() if r[nxt] else None)
            for r in ws.iter_rows(min_row=2, values_only=True) if r[i]}


def test_last_confirmed_is_the_reports_as_of_the_date(tmp_path: Path) -> None:
    f = tmp_path / "u.yaml"
    f.write_text(UNIT, encoding="utf-8")
    unit = load_unit(f)
    for as_of in ("2025-12-31", "2025-06-30"):
        out = tmp_path / f"L-{as_of}.xlsx"
        assert run(app, ["ledger", "export", str(f), "-o", str(out), "--as-of", as_of]).exit_code == 0
        report = {i.id: (i.last_confirmed, i.next_due) for i in check(unit, as_of=date.fromisoformat(as_of)).instruments}
        assert _dates(out) == report  # one door: the assessment's dates
        r = run(app, ["ledger", "import", str(f), str(out), "--dry-run"])
        assert r.exit_code == 0 and "修改 0 台" in r.output, r.output  # and it imports back to no change
    assert _dates(tmp_path / "L-2025-12-31.xlsx")["W-11"] == (date(2025, 6, 1), date(2026, 6, 1))
    assert _dates(tmp_path / "L-2025-06-30.xlsx")["W-12"] == (date(2025, 3, 31), date(2025, 9, 30))
    assert _dates(tmp_path / "L-2025-12-31.xlsx")["W-13"][0] == date(2025, 2, 1)
