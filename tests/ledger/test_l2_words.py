"""The ledger in the user's language (s10 #13): places 边界/化验室 in the Chinese export and its
drop-down (read back to the same codes), the notes sheet in one language, instrument types by
name in the change list, and ``ledger trace`` saying 检定/校准/合格."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.ledger import apply_ledger
from tanjiliang.model.load import load_unit

UNIT = """format: tanjiliang/unit@1
unit: {name: 用词测试, year: 2025}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t", parameters: {ncv: "22 GJ/t"}}
instruments:
  - {id: STD-W, name: 标准砝码组, type: platform_scale, measures: coal, at: boundary,
     confirmations: [{date: 2025-01-05, kind: calibration}]}
  - {id: W-01, name: 进厂皮带秤, type: belt_scale, measures: coal, at: boundary,
     confirmations: [{date: 2025-03-01, kind: verification, standards: [STD-W]}]}
  - {id: L-01, name: 量热仪, type: calorimeter, measures: coal.ncv, at: lab,
     confirmations: [{date: 2025-04-01, kind: calibration, result: pass, standards: [STD-W]}]}
"""

run = CliRunner().invoke


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    p = tmp_path / "u.yaml"
    p.write_text(UNIT, encoding="utf-8")
    return p


@pytest.mark.parametrize(("lang", "boundary", "lab", "column", "computed"),
                         [("zh", "边界", "化验室", "栏目", "（计算列）"),
                          ("en", "boundary", "laboratory", "Column", "(computed)")])
def test_places_and_notes_in_the_ledger_language_round_trip(unit: Path, tmp_path: Path, lang: str, boundary: str,
                                                           lab: str, column: str, computed: str) -> None:
    out = tmp_path / f"L-{lang}.xlsx"
    assert run(app, ["ledger", "export", str(unit), "-o", str(out), "--lang", lang]).exit_code == 0
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    j = next(c.column for c in ws[1] if str(c.value).startswith("安装使用地点"))
    assert {ws.cell(r, j).value for r in range(2, 5)} == {boundary, lab}
    assert [c.value for c in wb["_lists"]["E"]][1:3] == [boundary, lab]
    notes = [str(c.value) for row in wb.worksheets[2].iter_rows() for c in row if c.value is not None]
    assert column in notes and computed in notes
    assert not any(w in notes for w in ("栏目 Column", "字段 Field", "(计算列 computed)"))
    # read back to the same codes: identical instruments, and the import changes nothing
    before = load_unit(unit)
    assert apply_ledger(before, out).instruments == before.instruments
    r = run(app, ["ledger", "import", str(unit), str(out), "--dry-run", "--lang", lang])
    assert r.exit_code == 0, r.output
    assert ("修改 0 台" if lang == "zh" else "0 changed") in r.output


def test_change_list_names_types_in_the_user_language(unit: Path, tmp_path: Path) -> None:
    out = tmp_path / "L.xlsx"
    assert run(app, ["ledger", "export", str(unit), "-o", str(out)]).exit_code == 0
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    j = next(c.column for c in ws[1] if str(c.value).startswith("器具类型"))
    row = next(r for r in range(2, 5) if ws.cell(r, 3).value == "进厂皮带秤")
    ws.cell(row, j, "汽车衡")
    wb.save(out)
    zh = run(app, ["ledger", "import", str(unit), str(out), "--dry-run"]).output
    en = run(app, ["ledger", "import", str(unit), str(out), "--dry-run", "--lang", "en"]).output
    assert "器具类型: 皮带秤 → 汽车衡" in zh
    assert "Type: Belt scale → Truck scale" in en
    assert "belt_scale" not in zh + en and "truck_scale" not in zh + en


def test_trace_says_kind_and_result_in_words(unit: Path) -> None:
    zh = run(app, ["ledger", "trace", str(unit), "STD-W"]).output
    assert "检定" in zh and "校准" in zh and "合格" in zh
    assert "verification" not in zh and "calibration" not in zh and "pass" not in zh
    en = run(app, ["ledger", "trace", str(unit), "STD-W", "--lang", "en"]).output
    assert "Verification" in en and "Calibration" in en
