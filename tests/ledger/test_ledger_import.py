"""Importing real-shaped ledgers: messy headers (全角/半角, spaces, synonyms), a title row above
the header, sheets split by level (JJF 1356 Annex B.4–B.6), bad rows reported all at once,
and all-or-nothing writes through the CLI."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.ledger import LedgerError, apply_ledger, read_ledger
from tanjiliang.model.load import load_unit

UNIT = """format: tanjiliang/unit@1
unit: {name: 台账导入测试, year: 2025}
subunits:
  - {id: G1, name: 1号机组}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G1}
source_streams:
  - {id: coal, name: 煤, kind: combustion, material: bituminous_coal, activity: "100000 t", consumers: [B1]}
instruments:
  - {id: OLD, name: 旧器具, type: rail_scale, measures: coal, at: boundary}
"""

HEADERS_L1 = ["序 号", "器具名称", "规格型号", "精度等级", "测量范围", "制造厂", "出厂编号",
              "管理编号　", "安装使用地点", "测量对象", "类型", "检定/校准", "检定周期", "检定日期", "状态"]
HEADERS_L2 = ["序号", "名称", "型号", "准确度等级（Accuracy class）", "量程", "生产厂家", "出厂号",
              "ＭＡＮＡＧＥＭＥＮＴ　ＮＯ．", "安装地点", "计量对象", "器具类型", "确认方式", "校准间隔",
              "最近检定日期", "使用状态"]


def _unit(tmp_path: Path) -> Path:
    p = tmp_path / "unit.yaml"
    p.write_text(UNIT, encoding="utf-8")
    return p


def _book(path: Path, l1_rows: list[list[object]], l2_rows: list[list[object]],
          conf_rows: list[list[object]] | None = None, extra: dict[str, list[object]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "一级计量器具"
    ws.append(["重点排放单位计量器具一览表（一级）"])  # a title row above the header
    ws.append(HEADERS_L1 + list((extra or {}).keys()))
    for r in l1_rows:
        ws.append(r + [v for vals in (extra or {}).values() for v in vals[:1]])
    ws2 = wb.create_sheet("二级计量器具")
    ws2.append(HEADERS_L2)
    for r in l2_rows:
        ws2.append(r)
    if conf_rows is not None:
        cs = wb.create_sheet("检定记录")
        cs.append(["器具编号", "检定日期", "检定/校准", "检定结论", "示值误差", "证书号", "检定单位", "标准器"])
        for r in conf_rows:
            cs.append(r)
    wb.save(path)
    return path


GOOD_L1 = [[1, "入厂煤轨道衡", "GCU-100", "0.2", "0-100 t", "示例衡器", "2019-0032", "W-01", "边界",
            "coal", "轨道衡", "检定", "12 个月", datetime(2025, 3, 10), "在用"]]
GOOD_L2 = [[1, "1号机组皮带秤", "ICS-20", 0.5, "0-1000 t/h", "示例", 77, "W-11", "G1", "coal",
            "belt_scale", "校准", "1年", "2025/6/1", "在用"]]


def test_messy_headers_import_and_report_what_was_mapped(tmp_path) -> None:
    book = _book(tmp_path / "l.xlsx", GOOD_L1, GOOD_L2,
                 [["W-01", "2025年3月10日", "检定", "合格", "+0.05 %", "豫计检字2025-01234",
                   "河南省计量测试科学研究院", "STD-1；STD-2"]])
    unit = apply_ledger(load_unit(_unit(tmp_path)), book)
    by_id = {i.id: i for i in unit.instruments}
    assert sorted(by_id) == ["W-01", "W-11"]  # the file's OLD instrument is replaced
    w01, w11 = by_id["W-01"], by_id["W-11"]
    assert (w01.at, w01.type, w01.accuracy, w01.serial, w01.last_confirmed) == \
        ("boundary", "rail_scale", "0.2", "2019-0032", date(2025, 3, 10))
    assert (w11.accuracy, w11.serial, w11.confirmation, w11.interval, w11.last_confirmed) == \
        ("0.5", "77", "calibration", "1年", date(2025, 6, 1))
    rec = w01.confirmations[0]
    assert (rec.date, rec.result, rec.standards, rec.as_found) == \
        (date(2025, 3, 10), "pass", ["STD-1", "STD-2"], "+0.05 %")
    report = read_ledger(book).headers
    how = {(h.sheet, h.text.strip()): (h.field, h.how) for h in report}
    assert how[("一级计量器具", "精度等级")] == ("accuracy", "synonym")
    assert how[("一级计量器具", "管理编号")] == ("id", "variant")  # ideographic space
    assert how[("二级计量器具", "ＭＡＮＡＧＥＭＥＮＴ　ＮＯ．")] == ("id", "variant")  # full-width
    assert how[("二级计量器具", "准确度等级（Accuracy class）")] == ("accuracy", "variant")
    assert how[("一级计量器具", "序 号")] == ("_no", "derived")


def test_bad_rows_all_reported_with_sheet_row_column_value(tmp_path) -> None:
    bad_l1 = [
        [1, "轨道衡", "", "0.7", "", "", "", "W-01", "boundary", "coal", "轨道衡", "检定", "12 个月",
         "2025-13-45", "坏了"],
        [2, "重复", "", "0.5", "", "", "", "W-01", "B9", "coke", "rail_scale", "检定", "每年一次",
         None, "在用"],
        [3, None, "", "0.5", "", "", "", "W-03", "boundary", "coal", "rail_scale", "检定", None, None, "在用"],
    ]
    book = _book(tmp_path / "bad.xlsx", bad_l1, GOOD_L2,
                 [["W-99", "2025-01-01", "检定", "合格", None, None, None, None]],
                 extra={"负责人": ["张工"]})
    with pytest.raises(LedgerError) as exc:
        apply_ledger(load_unit(_unit(tmp_path)), book)
    got = {(p.sheet, p.row, p.column, str(p.value) if p.value is not None else None) for p in exc.value.problems}
    expected = {
        ("一级计量器具", 3, "D", "0.7"),        # not an accuracy class
        ("一级计量器具", 3, "N", "2025-13-45"),  # not a date
        ("一级计量器具", 3, "O", "坏了"),        # not a status
        ("一级计量器具", 4, "H", "W-01"),        # duplicate id
        ("一级计量器具", 4, "I", "B9"),          # unknown place
        ("一级计量器具", 4, "J", "coke"),        # unknown stream
        ("一级计量器具", 4, "M", "每年一次"),     # not an interval
        ("一级计量器具", 5, "B", None),          # name missing
        ("一级计量器具", 2, "P", None),          # unknown column with data
        ("检定记录", 2, "A", "W-99"),            # confirmation of an unknown instrument
    }
    assert expected <= got, expected - got
    text = exc.value.message("en")
    assert "not an accuracy class" in text and "一级计量器具!D3" in text


def test_cli_import_is_all_or_nothing(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    before = unit_path.read_text(encoding="utf-8")
    bad = _book(tmp_path / "bad.xlsx", [[1, "x", "", "0.7", "", "", "", "W-01", "boundary", "coal",
                                         "rail_scale", "检定", None, None, "在用"]], GOOD_L2)
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(bad), "--lang", "en"])
    assert r.exit_code == 2, r.output
    assert unit_path.read_text(encoding="utf-8") == before
    good = _book(tmp_path / "good.xlsx", GOOD_L1, GOOD_L2)
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good)])
    assert r.exit_code == 0, r.output
    # nothing removed without asking: OLD is absent from the ledger and kept
    assert [i.id for i in load_unit(unit_path).instruments] == ["OLD", "W-01", "W-11"]
    assert "OLD" in r.output and "--remove-missing" in r.output
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good), "--remove-missing"])
    assert r.exit_code == 0, r.output
    assert [i.id for i in load_unit(unit_path).instruments] == ["W-01", "W-11"]


def test_template_has_drop_downs_from_the_pack(tmp_path) -> None:
    out = tmp_path / "t.xlsx"
    r = CliRunner().invoke(app, ["ledger", "template", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    ws = wb["台账 Ledger"]
    header = [c.value for c in ws[1]]
    assert "准确度等级\nAccuracy class" in header and "层级\nLevel" in header
    lists = wb["_lists"]
    assert lists.sheet_state == "hidden"
    values = {c.value for c in lists["A"]}
    assert {"轨道衡", "皮带秤", "电能表"} <= values
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    letter = {v.split("\n")[0]: i for i, v in enumerate(header)}
    from openpyxl.utils import get_column_letter

    for name in ("器具类型", "状态", "检定/校准"):
        assert f"{get_column_letter(letter[name] + 1)}2" in validations
    conf = wb["确认记录 Confirmations"]
    assert len(conf.data_validations.dataValidation) >= 2  # kind and result


def test_export_cli_and_check_with_ledger(tmp_path, spec_example_path) -> None:
    out = tmp_path / "l.xlsx"
    r = CliRunner().invoke(app, ["ledger", "export", spec_example_path, "-o", str(out), "--as-of", "2025-12-31"])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out)["台账 Ledger"]
    header = [c.value.split("\n")[0] for c in ws[1]]
    rows = {r[header.index("管理编号")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["W-01"][header.index("层级")] == "一级"
    assert rows["W-11"][header.index("层级")] == "二级"  # a boiler folded into its unit's point
    # check --ledger replaces the file's instruments: drop W-11 from the ledger
    wb = load_workbook(out)
    ws = wb["台账 Ledger"]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("管理编号")].value == "W-11":
            ws.delete_rows(row[0].row)
            break
    wb.save(out)
    plain = CliRunner().invoke(app, ["check", spec_example_path, "--format", "json", "--as-of", "2025-12-31"])
    with_ledger = CliRunner().invoke(app, ["check", spec_example_path, "--ledger", str(out), "--format",
                                           "json", "--as-of", "2025-12-31"])
    assert '"W-11"' in plain.output and '"W-11"' not in with_ledger.output


def test_cli_import_with_nothing_to_change_leaves_the_file_as_it_is(tmp_path) -> None:
    """The ledger the unit exports, imported back, changes nothing: the unit file is not
    rewritten (its layout, quoting and comments stay), even without --drop-comments."""
    unit_path = tmp_path / "unit.yaml"
    original = UNIT.replace("unit: {name: 台账导入测试, year: 2025}",
                            "# 手写的注释\nunit: {name: 台账导入测试, year: 2025}   # 单位")
    unit_path.write_text(original, encoding="utf-8")
    book = tmp_path / "l.xlsx"
    assert CliRunner().invoke(app, ["ledger", "export", str(unit_path), "-o", str(book)]).exit_code == 0
    before = unit_path.stat().st_mtime_ns
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book)])
    assert r.exit_code == 0, r.output
    assert "新增 0 台，修改 0 台，未变 1 台" in r.stdout and "未改写" in r.stdout
    assert unit_path.read_text(encoding="utf-8") == original
    assert unit_path.stat().st_mtime_ns == before
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book), "--lang", "en"])
    assert r.exit_code == 0 and "nothing to change" in r.stdout
    assert unit_path.read_text(encoding="utf-8") == original
    # a change is still written (and the comments still need --drop-comments)
    good = _book(tmp_path / "good.xlsx", GOOD_L1, GOOD_L2)
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good)])
    assert r.exit_code == 2 and unit_path.read_text(encoding="utf-8") == original
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good), "--drop-comments"])
    assert r.exit_code == 0, r.output
    assert [i.id for i in load_unit(unit_path).instruments] == ["OLD", "W-01", "W-11"]


def test_cli_import_removing_the_absent_is_a_change(tmp_path) -> None:
    """With --remove-missing an import whose rows are all unchanged still removes the
    instruments the ledger lacks: that is written."""
    unit_path = _unit(tmp_path)
    good = _book(tmp_path / "good.xlsx", GOOD_L1, GOOD_L2)
    assert CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good)]).exit_code == 0
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good), "--remove-missing"])
    assert r.exit_code == 0 and "未改写" not in r.stdout
    assert [i.id for i in load_unit(unit_path).instruments] == ["W-01", "W-11"]
    r = CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(good), "--remove-missing"])
    assert r.exit_code == 0 and "未改写" in r.stdout
