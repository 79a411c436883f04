"""The CO2 analyser's measurement basis (干湿基准: dry / wet) in the Excel ledger, black-box:
docs/ledger.md (column 干湿基准 / Measurement basis, the last but one, before 备注; values 干基 / 湿基 or dry basis /
wet basis in the ledger's language; the words the unit-file loader accepts; an empty cell keeps
the unit file's value; problems name file, sheet, row and column in the user's language) and
docs/unit-file.md (``basis: dry | wet`` only on the instrument that measures ``<point>.co2``).

Before, a plant whose instruments live in the ledger could not declare a wet analyser, and an
exported ledger did not show it. The figures are the hand-computed hour of
test_spec_cems_basis.py: CO2 11.5 % vol, 1 200 000 m³/h, 140 °C, 99.8 kPa, Xsw 12 % gives
155.314 t/h read dry and 176.493 t/h read wet, so 48 hours are 7 455.07 t or 8 471.67 t.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from test_spec_cems_basis import CJK, E_DRY, E_WET, VALS, with_basis
from test_spec_cems_oot import point, rows, stack_unit, two_days, write
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit

SHEET = "台账 Ledger"
HEADER = "干湿基准\nMeasurement basis"


def cli(*argv: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(argv))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    return r.exit_code, r.output


def unit_file(tmp_path: Path, data: dict[str, Any]) -> Path:
    p = tmp_path / "plant.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def export(tmp_path: Path, data: dict[str, Any], lang: str = "zh", name: str = "台账.xlsx") -> Path:
    out = tmp_path / name
    code, text = cli("ledger", "export", str(unit_file(tmp_path, data)), "-o", str(out), "--lang", lang)
    assert code == 0, text
    return out


def basis_column(path: Path) -> int:
    ws = load_workbook(path)[SHEET]
    return next(c.column for c in ws[1] if c.value == HEADER)


def cells(path: Path) -> dict[str, Any]:
    """Each instrument's 干湿基准 cell, by management no."""
    ws = load_workbook(path)[SHEET]
    head = [c.value for c in ws[1]]
    j, k = head.index(HEADER), head.index("管理编号\nManagement no.")
    return {r[k].value: r[j].value for r in ws.iter_rows(min_row=2) if r[k].value}


def edit(path: Path, out: Path, values: dict[int, Any], column: int | None = None) -> Path:
    """The ledger with cells of the basis column (or ``column``) set by row (None empties one)."""
    wb = load_workbook(path)
    j = column or basis_column(path)
    for row, v in values.items():
        wb[SHEET].cell(row, j).value = v
    wb.save(out)
    return out


def unit_bases(p: Path) -> dict[str, Any]:
    return {i["id"]: i.get("basis") for i in yaml.safe_load(p.read_text(encoding="utf-8"))["instruments"]}


def loaded_bases(p: Path) -> dict[str, Any]:
    return {i.id: i.basis for i in load_unit(p).instruments}


# ------------------------------------------------------------------ export and round trip

@pytest.mark.parametrize(("lang", "shown"), [("zh", "湿基"), ("en", "wet basis")])
def test_export_writes_the_basis_and_import_gives_it_back(tmp_path: Path, lang: str, shown: str) -> None:
    ledger = export(tmp_path, with_basis(stack_unit(), "wet"), lang)
    assert cells(ledger) == {"C1": shown, "F1": None, "T1": None, "P1": None, "M1": None}
    # the drop-down offers both values in the ledger's language
    wb = load_workbook(ledger)
    lists = wb["_lists"]
    col = next(c.column for c in lists[1] if c.value == "basis")
    values = [lists.cell(r, col).value for r in (2, 3)]
    assert values == (["干基", "湿基"] if lang == "zh" else ["dry basis", "wet basis"])
    letter = get_column_letter(basis_column(ledger))
    assert any(f"{letter}2:" in str(dv.sqref) for dv in wb[SHEET].data_validations.dataValidation)
    # into the unit without a basis: C1 becomes wet, nothing else changes
    p = unit_file(tmp_path, stack_unit())
    code, out = cli("ledger", "import", str(p), str(ledger), "--lang", lang)
    assert code == 0, out
    assert unit_bases(p) == {"C1": "wet", "F1": None, "T1": None, "P1": None, "M1": None}
    assert ("干湿基准: — → 湿基" if lang == "zh" else "Measurement basis: — → wet basis") in out


def test_template_has_the_column(tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        t = tmp_path / f"t-{lang}.xlsx"
        code, out = cli("ledger", "template", "-o", str(t), "--lang", lang)
        assert code == 0, out
        headers = [c.value for c in load_workbook(t)[SHEET][1]]
        assert basis_column(t) == len(headers) - 1 and headers[-1].startswith("备注")
        notes = [c.value for c in load_workbook(t)["说明 Notes"]["A"]]
        assert "干湿基准 Measurement basis" in notes
        said = next(n for n in notes if n and ("干湿基准”只填于" in n or n.startswith("Measurement basis is")))
        assert ("留空则沿用单位文件中的值" in said) if lang == "zh" else not CJK.search(said)


# ------------------------------------------------------------------ the ledger's basis in the readings

def test_wet_in_the_ledger_then_data_check_computes_the_stack_wet(tmp_path: Path) -> None:
    # the unit file says nothing (dry: 7 455.07 t in 48 h); the ledger says 湿基 on C1 → 8 471.67 t
    f = write(tmp_path, "r.csv", rows(range(48), **VALS))
    ledger = edit(export(tmp_path, stack_unit()), tmp_path / "wet.xlsx", {2: "湿基"})
    p = unit_file(tmp_path, stack_unit())
    code, out = cli("ledger", "import", str(p), str(ledger))
    assert code == 0, out
    imported = yaml.safe_load(p.read_text(encoding="utf-8"))
    _, doc, _ = two_days(tmp_path, [f], imported)
    assert (point(doc)["basis"], point(doc)["total_t"]) == ("wet", pytest.approx(48 * E_WET, rel=1e-9))
    assert point(doc)["total_t"] == pytest.approx(8471.67, abs=0.01)
    # the same ledger applied in memory (data check --ledger) over the unit file without a basis
    _, doc, _ = two_days(tmp_path, [f], stack_unit(), "--ledger", str(ledger))
    assert (point(doc)["basis"], point(doc)["total_t"]) == ("wet", pytest.approx(48 * E_WET, rel=1e-9))
    # and back to dry from the ledger: 干基 over a unit file that says wet
    dry = edit(ledger, tmp_path / "dry.xlsx", {2: "干基"})
    _, doc, _ = two_days(tmp_path, [f], with_basis(stack_unit(), "wet"), "--ledger", str(dry))
    assert (point(doc)["basis"], point(doc)["total_t"]) == ("dry", pytest.approx(48 * E_DRY, rel=1e-9))
    assert point(doc)["total_t"] == pytest.approx(7455.07, abs=0.01)


@pytest.mark.parametrize(("written", "code"), [
    ("湿基", "wet"), ("wet", "wet"), ("wet basis", "wet"), ("WET", "wet"), ("湿", "wet"), ("湿烟气", "wet"),
    ("干基", "dry"), ("dry basis", "dry"), ("干", "dry"), ("干烟气", "dry")])
def test_import_reads_the_words_the_loader_reads(tmp_path: Path, written: str, code: str) -> None:
    ledger = edit(export(tmp_path, stack_unit()), tmp_path / "w.xlsx", {2: written})
    p = unit_file(tmp_path, stack_unit())
    rc, out = cli("ledger", "import", str(p), str(ledger))
    assert rc == 0, out
    assert unit_bases(p)["C1"] == code


def test_a_plant_s_own_ledger_with_a_basis_column(tmp_path: Path) -> None:
    # a ledger as a plant keeps it: its own headers, 测量基准 for the basis, a word for the value
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["CEMS 计量器具台账"])
    ws.append(["管理编号", "器具名称", "测量对象", "器具类型", "安装地点", "测量基准"])
    ws.append(["C1", "1号烟囱CO2分析仪", "S1.co2", "cems_co2_analyzer", "S1", "湿烟气"])
    ws.append(["F1", "1号烟囱流量计", "S1.flow", "cems_flow_monitor", "S1", "/"])
    path = tmp_path / "plant-ledger.xlsx"
    wb.save(path)
    p = unit_file(tmp_path, stack_unit())
    for lang, mapped, read in (
            ("zh", "Sheet!F “测量基准” → 干湿基准（同义词）", "读作 干湿基准: “湿烟气” → 湿基（同义词）Sheet!F3"),
            ("en", 'Sheet!F "测量基准" → Measurement basis (synonym)',
             'read Measurement basis: "湿烟气" → wet basis (synonym) Sheet!F3')):
        rc, out = cli("ledger", "import", str(p), str(path), "--dry-run", "--lang", lang)
        assert rc == 0, out
        assert mapped in out and read in out
    rc, out = cli("ledger", "import", str(p), str(path))
    assert rc == 0, out
    assert unit_bases(p) == {"C1": "wet", "F1": None, "T1": None, "P1": None, "M1": None}


# ------------------------------------------------------------------ nothing lost, nothing guessed

def test_an_empty_cell_keeps_the_unit_s_basis(tmp_path: Path) -> None:
    data = with_basis(stack_unit(), "湿基")
    ledger = edit(export(tmp_path, data), tmp_path / "empty.xlsx", {2: None})
    assert cells(ledger)["C1"] is None
    p = unit_file(tmp_path, data)
    text = p.read_text(encoding="utf-8")
    before = load_unit(p).model_dump()
    code, out = cli("ledger", "import", str(p), str(ledger))
    assert code == 0, out
    assert "新增 0 台，修改 0 台，未变 5 台" in out
    assert p.read_text(encoding="utf-8") == text  # nothing to change: the file is not written
    assert load_unit(p).model_dump() == before
    assert loaded_bases(p)["C1"] == "wet"
    f = write(tmp_path, "r.csv", rows(range(48), **VALS))
    _, doc, _ = two_days(tmp_path, [f], data, "--ledger", str(ledger))  # in memory: still wet
    assert (point(doc)["basis"], point(doc)["total_t"]) == ("wet", pytest.approx(48 * E_WET, rel=1e-9))
    # a placeholder ("/", "—") is nothing stated too
    dash = edit(ledger, tmp_path / "dash.xlsx", {2: "—"})
    code, out = cli("ledger", "import", str(p), str(dash))
    assert code == 0 and loaded_bases(p)["C1"] == "wet" and p.read_text(encoding="utf-8") == text, out


def bad_run(tmp_path: Path, data: dict[str, Any], ledger: Path, lang: str) -> str:
    """``ledger import`` and ``check --ledger`` both refuse, naming the same cells; the unit file
    is left as it was."""
    p = unit_file(tmp_path, data)
    before = p.read_text(encoding="utf-8")
    code, out = cli("ledger", "import", str(p), str(ledger), "--lang", lang)
    assert code == 2, out
    assert p.read_text(encoding="utf-8") == before
    code, out2 = cli("check", str(p), "--ledger", str(ledger), "--lang", lang)
    assert code == 2, out2
    return out + "\n" + out2


def flat(out: str) -> str:
    return " ".join(out.split())


def english_without_chinese(out: str, *user: str) -> None:
    """No Chinese in the English output but the file's own words (its sheet name, what was
    written); the report's lines ``… → …`` echo the file's headers and cells, and are left out."""
    for u in (SHEET, *user):
        out = out.replace(u, "")
    lines = [ln for ln in out.splitlines() if ln.strip() and "→" not in ln]
    assert any("bad input" in ln for ln in lines), lines
    assert not [ln for ln in lines if CJK.search(ln)], lines


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "干湿基准：“moist” 应为 干基、湿基 之一"),
    ("en", 'Measurement basis: "moist": must be one of: dry basis, wet basis')])
def test_a_bad_value_names_file_sheet_row_and_column(tmp_path: Path, lang: str, words: str) -> None:
    ledger = export(tmp_path, stack_unit())
    letter = get_column_letter(basis_column(ledger))
    bad = edit(ledger, tmp_path / "bad.xlsx", {2: "moist"})
    out = bad_run(tmp_path, stack_unit(), bad, lang)
    assert f"bad.xlsx:2 {SHEET}!{letter}2: {words}" in flat(out)
    if lang == "en":
        english_without_chinese(out)
    else:
        assert "bad input" not in out and "must be" not in out


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "干湿基准：“湿基” 干湿基准（basis）只适用于测量排放口 CO2 浓度的分析仪（measures: 排放口.co2）"),
    ("en", 'Measurement basis: "湿基": a measurement basis (basis) applies only to an analyser of an '
           "emission point's CO2 concentration (measures: <point>.co2)")])
def test_a_basis_on_another_instrument_is_refused_as_the_loader_refuses_it(tmp_path: Path, lang: str,
                                                                          words: str) -> None:
    ledger = export(tmp_path, stack_unit())
    letter = get_column_letter(basis_column(ledger))
    bad = edit(ledger, tmp_path / "flow.xlsx", {3: "湿基"})  # row 3: F1, the flow monitor (S1.flow)
    out = bad_run(tmp_path, stack_unit(), bad, lang)
    assert f"flow.xlsx:3 {SHEET}!{letter}3: {words}" in flat(out)
    if lang == "en":
        english_without_chinese(out, "湿基")


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "测量对象：“S1.moisture” 单位文件中器具 C1 的干湿基准为湿基，只适用于测量排放口 CO2 浓度的分析仪"),
    ("en", 'Measures: "S1.moisture": the unit file gives instrument C1 a measurement basis (wet basis), '
           "which applies only to an analyser of an emission point's CO2")])
def test_a_kept_basis_on_an_instrument_the_ledger_moves_is_refused(tmp_path: Path, lang: str, words: str) -> None:
    # the unit file says C1 is wet; the ledger leaves 干湿基准 empty (keep) but makes C1 measure
    # the moisture: the merged unit would not load, so the ledger's 测量对象 cell is named
    data = with_basis(stack_unit(), "wet")
    ledger = export(tmp_path, data)
    head = [c.value for c in load_workbook(ledger)[SHEET][1]]
    measures = head.index("测量对象\nMeasures") + 1
    moved = edit(edit(ledger, tmp_path / "moved.xlsx", {2: None}), tmp_path / "moved.xlsx",
                 {2: "S1.moisture"}, column=measures)
    out = bad_run(tmp_path, data, moved, lang)
    assert f"moved.xlsx:2 {SHEET}!{get_column_letter(measures)}2: {words}" in flat(out)
    if lang == "en":
        english_without_chinese(out)


def test_change_set_names_the_basis_in_each_language(tmp_path: Path) -> None:
    data = with_basis(stack_unit(), "wet")
    ledger = edit(export(tmp_path, data), tmp_path / "dry.xlsx", {2: "干基"})
    p = unit_file(tmp_path, data)
    _, zh = cli("ledger", "import", str(p), str(ledger), "--dry-run")
    _, en = cli("ledger", "import", str(p), str(ledger), "--dry-run", "--lang", "en")
    assert "干湿基准: 湿基 → 干基" in zh
    assert "Measurement basis: wet basis → dry basis" in en
    change = [ln for ln in en.splitlines() if re.match(r"\s+Measurement basis:", ln)]
    assert change and not CJK.search(change[0])
