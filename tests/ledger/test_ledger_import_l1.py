"""Import semantics found by the s10 black-box probe: a new verification date adds to the
confirmation history instead of rewriting it, ids folded like every other name, duplicate ids
named by sheet and row, silent drops refused (an MPE without a class, a column without a
header, a contradictory confirmation row), footers in the name column, intervals, dates and
full-width quantities."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from tanjiliang.cli.app import app
from tanjiliang.model.load import load_unit

UNIT = """format: tanjiliang/unit@1
unit: {name: 测试热力有限公司, sector: other, year: 2025}
subunits:
  - {id: G1, name: 1号车间}
  - {id: G2, name: 2号车间}
equipment:
  - {id: B1, name: 1号锅炉, subunit: G1, kind: boiler}
  - {id: B2, name: 2号锅炉, subunit: G2, kind: boiler}
source_streams:
  - {id: coal, name: 烟煤, kind: combustion, material: bituminous_coal, activity: "20000 t", consumers: {B1: 0.5, B2: 0.5}}
  - {id: power, name: 外购电力, kind: electricity, material: grid_electricity, activity: "5000 MWh", consumers: [G1]}
instruments:
  - {id: W-01, name: 进厂汽车衡, type: truck_scale, measures: coal, at: boundary, accuracy: "0.1", confirmation: verification, interval: 12 months, last_confirmed: 2024-08-31, certificate: A-1, status: in_use}
  - {id: W-11, name: 1号炉皮带秤, type: belt_scale, measures: coal, at: B1, accuracy: "0.5", confirmation: calibration, interval: 12 months, last_confirmed: 2024-02-29, status: in_use}
  - {id: W-12, name: 2号炉皮带秤, type: belt_scale, measures: coal, at: B2, accuracy: "0.5", confirmation: calibration, interval: 6 months, last_confirmed: 2025-03-31, status: in_use}
  - {id: E-01, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: "0.5S", confirmation: verification, last_confirmed: 2020-01-31, status: in_use}
"""

HEADERS = ["序号", "器具名称", "管理编号", "准确度等级", "安装地点", "测量对象", "检定周期", "最近检定/校准日期", "状态"]
ROWS = [
    [1, "进厂汽车衡", "W-01", "0.1", "厂界", "coal", "12 months", date(2024, 8, 31), "在用"],
    [2, "1号炉皮带秤", "W-11", "0.5", "1号锅炉", "coal", "12 months", date(2024, 2, 29), "在用"],
    [3, "2号炉皮带秤", "W-12", "0.5", "2号锅炉", "coal", "6 months", date(2025, 3, 31), "在用"],
    [4, "关口电能表", "E-01", "0.5S", "厂界", "power", None, date(2020, 1, 31), "在用"],
]


def _unit(tmp_path: Path, text: str = UNIT) -> Path:
    p = tmp_path / "unit.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _book(path: Path, rows: list[list[object]], headers: list[str] = HEADERS,
          sheets: dict[str, tuple[list[str], list[list[object]]]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "一级计量器具"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for title, (hdr, body) in (sheets or {}).items():
        s = wb.create_sheet(title)
        s.append(hdr)
        for r in body:
            s.append(r)
    wb.save(path)
    return path


def _rows(**changes: list[object]) -> list[list[object]]:
    return [changes.get(str(r[2]), r) for r in ROWS]


def _status(unit_path: Path, as_of: str, ident: str = "W-01") -> tuple[str, str | None, list[str]]:
    r = CliRunner().invoke(app, ["check", str(unit_path), "--as-of", as_of, "--format", "json"])
    data = json.loads(r.stdout)
    ins = next(i for i in data["instruments"] if i["id"] == ident)
    codes = [f["code"] for f in data["findings"] if ident in json.dumps(f, ensure_ascii=False)]
    return ins["calibration_status"], ins["next_due"], codes


def _import(unit_path: Path, book: Path, *extra: str) -> object:
    return CliRunner().invoke(app, ["ledger", "import", str(unit_path), str(book), *extra])


# ------------------------------------------------------------------ #1 confirmation history

@pytest.mark.parametrize("shape", ["last_confirmed", "valid_until"])
def test_a_new_verification_date_adds_to_the_history_and_keeps_earlier_results(tmp_path, shape) -> None:
    unit_path = _unit(tmp_path)
    before = _status(unit_path, "2025-06-30")
    assert before[:2] == ("valid", "2025-08-31")
    if shape == "last_confirmed":
        book = _book(tmp_path / "l.xlsx", _rows(**{"W-01": [1, "进厂汽车衡", "W-01", "0.1", "厂界", "coal",
                                                             "12 months", date(2025, 8, 25), "在用"]}))
    else:  # a plant's ledger: 检定日期 and 有效期至
        hdr = ["序号", "器具名称", "管理编号", "准确度等级", "安装地点", "测量对象", "检定日期", "有效期至", "状态"]
        book = _book(tmp_path / "l.xlsx", [[1, "进厂汽车衡", "W-01", "0.1", "厂界", "coal", date(2025, 8, 25),
                                             date(2026, 8, 24), "在用"]], headers=hdr)
    r = _import(unit_path, book)
    assert r.exit_code == 0, r.output
    assert "2024-08-31 → 2025-08-25" in r.output
    assert "确认记录: — → 2024-08-31" in r.output  # the history's new date, not "[1]"
    # before the new date the result is what it was: the earlier verification is a record
    assert _status(unit_path, "2025-06-30") == before
    w01 = next(i for i in load_unit(unit_path).instruments if i.id == "W-01")
    assert w01.last_confirmed == date(2025, 8, 25)
    kept = [r for r in w01.confirmations or [] if r.date == date(2024, 8, 31)]
    assert kept and kept[0].kind == "verification" and kept[0].certificate == "A-1"
    # after it, the new date counts
    after = _status(unit_path, "2025-09-30")
    assert after[0] == "valid" and after[1] == ("2026-08-25" if shape == "last_confirmed" else "2026-08-24")
    # the same ledger again changes nothing
    again = _import(unit_path, book)
    assert again.exit_code == 0 and "修改 0 台" in again.output


def test_an_earlier_verification_date_is_refused_naming_the_cell(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    text = unit_path.read_text(encoding="utf-8")
    book = _book(tmp_path / "l.xlsx", _rows(**{"W-12": [3, "2号炉皮带秤", "W-12", "0.5", "2号锅炉", "coal",
                                                         "6 months", date(2024, 9, 30), "在用"]}))
    r = _import(unit_path, book)
    assert r.exit_code == 2
    assert "一级计量器具!H4" in r.output and "2025-03-31" in r.output and "确认记录" in r.output
    assert unit_path.read_text(encoding="utf-8") == text
    en = _import(unit_path, book, "--lang", "en")
    assert "is before the confirmation of 2025-03-31" in en.output


def test_check_with_ledger_keeps_the_earlier_confirmation_too(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    book = _book(tmp_path / "l.xlsx", _rows(**{"W-01": [1, "进厂汽车衡", "W-01", "0.1", "厂界", "coal",
                                                         "12 months", date(2025, 8, 25), "在用"]}))
    r = CliRunner().invoke(app, ["check", str(unit_path), "--ledger", str(book), "--as-of", "2025-06-30",
                                 "--format", "json"])
    w01 = next(i for i in json.loads(r.stdout)["instruments"] if i["id"] == "W-01")
    assert (w01["calibration_status"], w01["next_due"]) == ("valid", "2025-08-31")


# ------------------------------------------------------------------ #10 #14 ids

def test_ids_differing_only_by_width_case_or_spaces_are_one_instrument(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    rows = [*_rows(), [5, "1号炉皮带秤（备）", "Ｗ－１１", "0.5", "1号锅炉", "coal", "12 months", None, "在用"],
            [6, "新皮带秤", "w-12 ", "0.5", "2号锅炉", "coal", "6 months", None, "在用"]]
    r = _import(unit_path, _book(tmp_path / "l.xlsx", rows))
    assert r.exit_code == 2, r.output
    assert "一级计量器具!C6" in r.output and "与 一级计量器具 表第3行的“W-11”重复" in r.output
    assert "一级计量器具!C7" in r.output and "全角/半角、大小写和空格不计" in r.output
    # alone, a full-width id is the unit's instrument: matched, the unit's id kept
    alone = [[1, "进厂汽车衡", "Ｗ－０１", "0.1", "厂界", "coal", "12 months", date(2024, 8, 31), "备用"]]
    r = _import(unit_path, _book(tmp_path / "m.xlsx", alone))
    assert r.exit_code == 0, r.output
    ids = [i.id for i in load_unit(unit_path).instruments]
    assert ids == ["W-01", "W-11", "W-12", "E-01"]
    assert next(i for i in load_unit(unit_path).instruments if i.id == "W-01").status == "standby"


def test_a_duplicate_id_names_the_first_rows_sheet_and_row_in_the_users_words(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    book = _book(tmp_path / "l.xlsx", ROWS[:1], sheets={"二级": (HEADERS, [ROWS[1], ROWS[0]])})
    r = _import(unit_path, book)
    assert r.exit_code == 2
    assert "二级!C3" in r.output and "与 一级计量器具 表第2行的“W-01”重复" in r.output
    assert "instruments[" not in r.output
    en = _import(unit_path, book, "--lang", "en")
    assert 'duplicates "W-01" on sheet 一级计量器具, row 2' in en.output
    assert "instruments[" not in en.output and " line " not in en.output


# ------------------------------------------------------------------ #6 #8 confirmation sheet

CONF = ["管理编号", "确认日期", "确认方式", "结论", "调整前误差", "证书编号", "证书有效期至"]


def test_two_records_of_one_date_are_both_kept_and_a_contradiction_is_refused(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    conf = [["W-12", date(2025, 7, 1), "检定", "合格", "0.8%", "C4", None],
            ["W-12", date(2025, 7, 1), "检定", "不合格", None, "C5", None]]
    r = _import(unit_path, _book(tmp_path / "l.xlsx", _rows(), sheets={"确认记录": (CONF, conf)}))
    assert r.exit_code == 0, r.output
    w12 = next(i for i in load_unit(unit_path).instruments if i.id == "W-12")
    recs = [(c.result, c.certificate, c.as_found) for c in w12.confirmations or []]
    assert sorted(recs, key=str) == sorted([("pass", "C4", "0.8%"), ("fail", "C5", None)], key=str)
    # the unit now records C4 as 合格: a sheet saying that record was 不合格 rewrites nothing
    text = unit_path.read_text(encoding="utf-8")
    bad = [["W-12", date(2025, 7, 1), "检定", "不合格", "0.8%", "C4", None]]
    r = _import(unit_path, _book(tmp_path / "m.xlsx", _rows(), sheets={"确认记录": (CONF, bad)}))
    assert r.exit_code == 2 and "与单位文件中 2025-07-01 的确认记录矛盾" in r.output
    assert "确认记录!A2" in r.output or "确认记录!" in r.output
    assert unit_path.read_text(encoding="utf-8") == text


def test_a_certificate_valid_until_not_after_its_date_is_refused_on_the_confirmation_sheet(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    conf = [["W-11", date(2025, 6, 1), "校准", "合格", None, "C1", date(2025, 5, 1)],
            ["W-12", date(2025, 6, 1), "校准", "合格", None, "C2", date(2025, 6, 1)]]
    r = _import(unit_path, _book(tmp_path / "l.xlsx", _rows(), sheets={"确认记录": (CONF, conf)}))
    assert r.exit_code == 2
    assert "确认记录!G2" in r.output and "证书有效期至早于确认日期 2025-06-01" in r.output
    assert "确认记录!G3" in r.output and "证书有效期至等于确认日期 2025-06-01" in r.output


def test_valid_until_equal_to_the_verification_date_says_equal(tmp_path) -> None:
    hdr = ["序号", "器具名称", "管理编号", "准确度等级", "安装地点", "测量对象", "检定日期", "有效期至", "状态"]
    book = _book(tmp_path / "l.xlsx", [[1, "1号炉皮带秤", "W-11", "0.5", "1号锅炉", "coal", date(2025, 6, 1),
                                         date(2025, 6, 1), "在用"]], headers=hdr)
    r = _import(_unit(tmp_path), book)
    assert r.exit_code == 2 and "有效期至等于检定/校准日期 2025-06-01" in r.output and "早于" not in r.output


# ------------------------------------------------------------------ #4 #5 #9 nothing dropped silently

def test_an_mpe_without_a_class_or_against_it_is_refused(tmp_path) -> None:
    hdr = ["器具名称", "管理编号", "准确度等级", "最大允许误差(%)", "安装地点", "测量对象", "器具类型", "状态"]
    rows = [["新汽车衡", "W-77", None, "±0.1%", "厂界", "coal", "汽车衡", "在用"],
            ["1号炉皮带秤", "W-11", "0.5级", "1", "1号锅炉", "coal", "皮带秤", "在用"],
            ["2号炉皮带秤", "W-12", "0.5", "0.5", "2号锅炉", "coal", "皮带秤", "在用"]]
    r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows, headers=hdr))
    assert r.exit_code == 2
    assert "一级计量器具!D2" in r.output and "请把它填在“准确度等级”列" in r.output
    assert "一级计量器具!D3" in r.output and "±0.5 % 不符" in r.output
    assert "一级计量器具!D4" not in r.output  # the class's own MPE is fine


def test_data_in_a_column_without_a_header_is_refused(tmp_path) -> None:
    rows = [[*r, None, "该表已送检，待取回"] if r[2] == "W-11" else r for r in ROWS]
    r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows))
    assert r.exit_code == 2 and "一级计量器具!K3" in r.output and "此列没有表头" in r.output


def test_a_total_or_signature_in_the_name_column_is_a_footer(tmp_path) -> None:
    for text in ("合计", "制表人：张三"):
        rows = [*ROWS, [None, text, None, None, None, None, None, None, None]]
        r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows), "--dry-run")
        assert r.exit_code == 0, r.output
        assert f"“{text}” 不是器具行" in r.output


# ------------------------------------------------------------------ #17

def test_an_equal_interval_is_no_change_and_the_users_text_is_kept(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    hdr = [*HEADERS[:6], "检定周期（月）", *HEADERS[7:]]
    rows = [[*r[:6], 12 if r[2] in ("W-01", "W-11") else 6 if r[2] == "W-12" else None, *r[7:]] for r in ROWS]
    r = _import(unit_path, _book(tmp_path / "l.xlsx", rows, headers=hdr))
    assert r.exit_code == 0 and "修改 0 台" in r.output and "12 个月 →" not in r.output
    text = unit_path.read_text(encoding="utf-8")
    assert "interval: 12 months" in text and "12 个月" not in text


def test_an_interval_in_days_is_refused_once_with_what_to_write(tmp_path) -> None:
    hdr = [*HEADERS[:6], "检定周期（天）", *HEADERS[7:]]
    rows = [[*ROWS[0][:6], 365, *ROWS[0][7:]]]
    r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows, headers=hdr))
    assert r.exit_code == 2 and "一级计量器具!G2" in r.output and "不能按天" in r.output
    assert "365 天" not in r.output.split("不能按天")[0]  # the value is not quoted twice


def test_a_measured_material_with_no_such_stream_is_an_error_naming_the_choices(tmp_path) -> None:
    rows = _rows(**{"W-01": [1, "进厂汽车衡", "W-01", "0.1", "厂界", "天然气", "12 months", date(2024, 8, 31), "在用"]})
    r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows))
    assert r.exit_code == 2 and "一级计量器具!F2" in r.output
    assert "烟煤（coal）、外购电力（power）" in r.output and "待补充 W-01" not in r.output
    # a use in words still leaves it to complete
    rows = _rows(**{"W-01": [1, "进厂汽车衡", "W-01", "0.1", "厂界", "生产用", "12 months", date(2024, 8, 31), "在用"]})
    r = _import(_unit(tmp_path), _book(tmp_path / "m.xlsx", rows), "--dry-run")
    assert r.exit_code == 0 and "待补充 W-01" in r.output


def test_a_date_cells_time_is_reported(tmp_path) -> None:
    rows = _rows(**{"W-01": [1, "进厂汽车衡", "W-01", "0.1", "厂界", "coal", "12 months",
                             datetime(2024, 8, 31, 13, 45), "在用"]})
    r = _import(_unit(tmp_path), _book(tmp_path / "l.xlsx", rows), "--dry-run")
    assert r.exit_code == 0 and "“2024-08-31 13:45:00” → 2024-08-31" in r.output and "一级计量器具!H2" in r.output


def test_full_width_digits_in_a_quantity_are_read_as_digits(tmp_path) -> None:
    unit_path = _unit(tmp_path)
    hdr = [*HEADERS, "最大秤量(t)"]
    rows = [[*r, "１５０"] if r[2] == "W-01" else [*r, None] for r in ROWS]
    r = _import(unit_path, _book(tmp_path / "l.xlsx", rows, headers=hdr))
    assert r.exit_code == 0, r.output
    w01 = next(i for i in load_unit(unit_path).instruments if i.id == "W-01")
    assert w01.max_capacity == "150 t"
