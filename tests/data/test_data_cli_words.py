"""``tanjiliang data check|cems`` as a user meets them (black-box probe s9, findings 6, 7, 9–12,
14–16): readings set aside are reported (exit 1), the product's own words for kinds, units and
bases are read, Chinese DAS headers, the flagged-rows file in the command's language, the
period and interval refused when they make no sense."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tanjiliang.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
POWER = ROOT / "examples" / "power" / "unit.yaml"
TWO_DAYS = ("--from", "2025-01-01", "--to", "2025-01-03", "--as-of", "2025-12-31")


def invoke(*argv: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, [str(a) for a in argv])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    assert "Traceback" not in r.output
    return r.exit_code, r.output


def register(tmp_path: Path, unit: str = "MWh", kind: str | None = "total", name: str = "r.csv",
             header: str = "管理编号,时间,数值,单位,类型", encoding: str = "utf-8") -> Path:
    """E-01's register, 1 000 → 1 048 MWh hourly over two days (48 MWh), in ``unit``."""
    scale = {"MWh": 1.0, "兆瓦时": 1.0, "千瓦时": 1000.0, "kWh": 1000.0}[unit]
    lines = [header if kind is not None else header.rsplit(",", 1)[0]]
    for h in range(49):
        row = f"E-01,2025-01-{1 + h // 24:02d} {h % 24:02d}:00:00,{(1000 + h) * scale},{unit}"
        lines.append(row + (f",{kind}" if kind is not None else ""))
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding=encoding)
    return p


def check_json(*argv: object) -> tuple[int, dict]:
    code, out = invoke("data", "check", POWER, *argv, *TWO_DAYS, "--format", "json")
    assert code in (0, 1), out
    return code, json.loads(out)


def e01(doc: dict) -> dict:
    return next(r for r in doc["instruments"] if r["instrument"] == "E-01")


# ------------------------------------------------------------------ #9 readings set aside

@pytest.mark.parametrize("kind", ["班次量", "xyz"])
def test_readings_set_aside_are_a_finding_and_exit_1(tmp_path, kind):
    # every reading of the file has a kind the checks cannot use: before, an empty table and
    # exit 0 ("nothing to report")
    code, doc = check_json(register(tmp_path, kind=kind))
    assert code == 1
    [f] = [f for f in doc["findings"] if f["code"] == "DATA-QUALITY"]
    assert "r.csv" in f["message"] and kind in f["message"] and "49" in f["message"]
    # the column as the file heads it (类型), its first row (2)
    assert f["data"]["readings"] == 49 and f["data"]["column"] == "类型" and f["data"]["row"] == 2
    assert "r.csv:2 [类型]" in f["message"]


def test_unknown_ids_and_wide_columns_set_aside_are_findings(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("时间,E-01,X-99\n" + "".join(f"2025-01-01 {h:02d}:00:00,{1000 + h},{h}\n"
                                             for h in range(24)), encoding="utf-8")
    code, doc = check_json(p, "--lang", "en")
    assert code == 1
    [f] = [f for f in doc["findings"] if f["code"] == "DATA-QUALITY"]
    assert "X-99" in f["message"] and f["message"].startswith("readings not analysed")
    q = tmp_path / "q.csv"
    q.write_text("instrument,time,value\n" + "".join(f"E-99,2025-01-01 {h:02d}:00:00,{h}\n" for h in range(3)),
                 encoding="utf-8")
    code, doc = check_json(q)
    assert code == 1
    [f] = [f for f in doc["findings"] if f["code"] == "DATA-QUALITY"]
    assert f["subject"] == "E-99" and "3 条读数未分析" in f["message"]


def test_check_readings_reports_readings_set_aside(tmp_path):
    # `check --readings` runs the same checks: the same finding among its findings
    _, out = invoke("check", POWER, "--readings", register(tmp_path, kind="班次量"),
                       "--as-of", "2025-12-31", "--format", "json")
    doc = json.loads(out)
    assert any(f["code"] == "DATA-QUALITY" and "班次量" in f["message"] for f in doc["findings"]), out


# ------------------------------------------------------------------ #10 the product's words

@pytest.mark.parametrize("kind", ["累计值", "累计", "Running total", "TOTAL", "totaliser", "register",
                                  "ｔｏｔａｌ"])
def test_kind_words_are_read(tmp_path, kind):
    _, doc = check_json(register(tmp_path, kind=kind))
    assert not doc["issues"], doc["issues"]
    assert (e01(doc)["kind"], e01(doc)["amount"]) == ("total", 48.0)


@pytest.mark.parametrize("unit", ["兆瓦时", "千瓦时", "kWh"])
def test_unit_words_of_the_unit_file_are_read(tmp_path, unit):
    # model/names.yaml maps 兆瓦时 → MWh, 千瓦时 → kWh for a unit file; readings too
    _, doc = check_json(register(tmp_path, unit=unit, encoding="gbk"))
    assert not doc["issues"], doc["issues"]
    assert e01(doc)["amount"] == pytest.approx(48.0)


def test_kind_words_in_parquet(tmp_path):
    # a long Parquet file is read by the compiled path when its kinds are codes; words go
    # through polars and give the same answer
    csv = register(tmp_path, kind="累计值")
    for kind in ("累计值", "total"):
        pq = tmp_path / f"r_{kind}.parquet"
        (pl.read_csv(csv).rename({"管理编号": "instrument", "时间": "time", "数值": "value", "单位": "unit",
                                  "类型": "kind"})
         .with_columns(pl.col("time").str.to_datetime(), pl.lit(kind).alias("kind"))
         .write_parquet(pq))
        _, doc = check_json(pq)
        assert not doc["issues"] and e01(doc)["amount"] == 48.0, doc["issues"]


def test_an_unknown_kind_is_still_refused_as_written(tmp_path):
    _, doc = check_json(register(tmp_path, kind="班次量"))
    assert doc["issues"][0]["value"] == "班次量"


# ------------------------------------------------------------------ data cems

CEMS_UNIT = """format: tanjiliang/unit@1
unit: {name: 实测法单位, sector: cement, year: 2025}
subunits: [{id: KILN, name: 熟料烧成}]
equipment: [{id: K1, name: 回转窑, subunit: KILN}]
emission_points: [{id: S1, name: 窑尾烟囱, equipment: K1}]
source_streams:
  - {id: flue, name: 烟气CO2, kind: process, method: measurement, emission_points: [S1],
     emissions: "900000 t", uncertainty: "4 %"}
instruments:
  - {id: C-01, name: CO2, type: cems_co2_analyzer, measures: S1.co2, at: S1, last_confirmed: 2025-06-01}
  - {id: F-01, name: 流量, type: cems_flow_monitor, measures: S1.flow, at: S1, last_confirmed: 2025-06-01}
"""
DAS_HEADER = "point,time,co2,flow,temperature,pressure,moisture"


def das(tmp_path: Path, hours: int = 48, header: str = DAS_HEADER, point: str = "S1", co2: str = "20",
        name: str = "das.csv", encoding: str = "utf-8", start_day: int = 1) -> Path:
    """Hourly samples at S1: 20 % dry, 500 000 m³/h, 150 °C, 100 kPa, 10 % H2O → 112.609 t/h."""
    lines = [header] + [f"{point},2025-01-{start_day + h // 24:02d} {h % 24:02d}:00:00,{co2},500000,150,100,10"
                        for h in range(hours)]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding=encoding)
    return p


def cems_json(tmp_path: Path, *argv: object) -> tuple[int, dict | None, str]:
    u = tmp_path / "cems.yaml"
    u.write_text(CEMS_UNIT, encoding="utf-8")
    code, out = invoke("data", "cems", u, *argv, "--format", "json")
    return code, (json.loads(out) if code in (0, 1) and out.lstrip().startswith("{") else None), out


@pytest.mark.parametrize("word,code", [("湿基", "wet"), ("干基", "dry"), ("湿", "wet"), ("WET", "wet")])
def test_cems_basis_words_as_the_unit_file_takes_them(tmp_path, word, code):
    f = das(tmp_path)
    _, by_word, out = cems_json(tmp_path, f, "--basis", word, "--from", "2025-01-01", "--to", "2025-01-03")
    _, by_code, _ = cems_json(tmp_path, f, "--basis", code, "--from", "2025-01-01", "--to", "2025-01-03")
    assert by_word is not None, out
    assert by_word["points"] == by_code["points"] and by_word["points"][0]["basis"] == code


@pytest.mark.parametrize("unit", ["mg/m³", "MG/M3", "mg/m3"])
def test_cems_co2_unit_as_the_help_prints_it(tmp_path, unit):
    f = das(tmp_path, co2="250000")
    _, doc, out = cems_json(tmp_path, f, "--co2-unit", unit, "--from", "2025-01-01", "--to", "2025-01-03")
    assert doc is not None, out
    assert doc["points"][0]["valid"] == 48


@pytest.mark.parametrize("opt,value", [("--basis", "半干"), ("--co2-unit", "ppm")])
def test_cems_unknown_option_values_are_refused(tmp_path, opt, value):
    code, _, out = cems_json(tmp_path, das(tmp_path), opt, value)
    assert code == 2 and value in out and opt in out


def test_cems_chinese_das_headers(tmp_path):
    # probe s9 #11: the help names the columns in Chinese; a GBK export headed so was refused
    # as missing all seven columns
    zh = das(tmp_path, header="监测点,时间,二氧化碳,烟气流量,烟气温度,烟气压力,烟气湿度", encoding="gbk", name="zh.csv")
    en = das(tmp_path)
    period = ("--from", "2025-01-01", "--to", "2025-01-03")
    code, by_zh, out = cems_json(tmp_path, zh, *period)
    _, by_en, _ = cems_json(tmp_path, en, *period)
    assert code == 0 and by_zh is not None, out
    assert by_zh["points"] == by_en["points"] and by_zh["points"][0]["valid"] == 48
    assert by_zh["points"][0]["total_t"] == pytest.approx(48 * 112.609, rel=1e-4)


def test_cems_missing_columns_named_in_the_users_language(tmp_path):
    f = das(tmp_path, header="监测点,时间,二氧化碳,烟气流量,烟气温度,烟气压力,备注")
    code, _, out = cems_json(tmp_path, f)
    assert code == 2 and "烟气湿度（moisture）" in out and "zh" not in out
    code, _, out = cems_json(tmp_path, f, "--lang", "en")
    assert code == 2 and "missing columns: moisture" in out


def test_cems_unknown_point_is_said_not_computed(tmp_path):
    f = tmp_path / "das.csv"
    f.write_text(das(tmp_path, name="a.csv").read_text(encoding="utf-8")
                 + "".join(f"S9,2025-01-01 {h:02d}:00:00,20,500000,150,100,10\n" for h in range(5)),
                 encoding="utf-8")
    code, doc, out = cems_json(tmp_path, f, "--from", "2025-01-01", "--to", "2025-01-03")
    assert code == 1 and doc is not None, out
    assert [p["point"] for p in doc["points"]] == ["S1"]
    [i] = doc["issues"]
    assert (i["row"], i["column"], i["value"]) == (50, "point", "S9") and "5 条数据未计算" in i["message"]


@pytest.mark.parametrize("lang,words", [("zh", "排放口 S1 在 2025-01-01 至 2025-01-03 期间没有有效小时"),
                                        ("en", "emission point S1 has no valid hour from 2025-01-01 to 2025-01-03")])
def test_cems_no_valid_hour_is_said_and_exits_1(tmp_path, lang, words):
    # probe s9 #7: every CO2 sample empty → 0.0 t and exit 0 before
    f = das(tmp_path, co2="")
    u = tmp_path / "u.yaml"
    u.write_text(CEMS_UNIT, encoding="utf-8")
    code, out = invoke("data", "cems", u, f, "--from", "2025-01-01", "--to", "2025-01-03", "--lang", lang)
    assert code == 1 and words in out and "0.0" not in out, out
    code, doc, out = cems_json(tmp_path, f, "--from", "2025-01-01", "--to", "2025-01-03")
    assert code == 1 and doc["points"][0]["total_t"] is None and doc["unmeasured_points"] == ["S1"]
    assert doc["streams"] == {}


def test_cems_period_and_the_share_filled(tmp_path):
    # probe s9 #6: a day of data was always a year's total; --from/--to as data check, and the
    # share of hours filled is said
    f = das(tmp_path, hours=24)
    code, doc, _ = cems_json(tmp_path, f, "--from", "2025-01-01", "--to", "2025-01-02")
    assert code == 0 and doc["period"]["to"] == "2025-01-02T00:00:00" and not doc["notes"]
    assert doc["points"][0]["hours"] == 24 and doc["points"][0]["substitute"] == 0
    code, doc, _ = cems_json(tmp_path, f, "--lang", "en")
    assert code == 1 and doc["points"][0]["hours"] == 8760
    [n] = doc["notes"]
    assert "8,736 of its 8,760 hours" in n["message"] and "(99.73 %)" in n["message"]


def test_check_readings_says_the_share_of_cems_hours_filled(tmp_path):
    # the check path: a year's CEMS total from one measured day is a DATA-MISSING observation
    u = tmp_path / "cems.yaml"
    u.write_text(CEMS_UNIT.replace("{id: F-01", "{id: T-01, name: 温度, type: temperature_transmitter, "
                                   "measures: S1.temperature, at: S1, last_confirmed: 2025-06-01}\n  - "
                                   "{id: P-01, name: 压力, type: pressure_transmitter, measures: S1.pressure, at: S1, "
                                   "last_confirmed: 2025-06-01}\n  - {id: M-01, name: 湿度, type: moisture_analyzer, "
                                   "measures: S1.moisture, at: S1, last_confirmed: 2025-06-01}\n  - {id: F-01"),
                 encoding="utf-8")
    r = tmp_path / "r.csv"
    r.write_text("instrument,time,value,unit\n" + "".join(
        f"{i},2025-01-01 {h:02d}:00:00,{v},{un}\n" for h in range(24)
        for i, v, un in (("C-01", 20, "%"), ("F-01", 500000, "m3/h"), ("T-01", 150, "degC"),
                         ("P-01", 100, "kPa"), ("M-01", 10, "%"))), encoding="utf-8")
    code, out = invoke("data", "check", u, r, "--as-of", "2025-12-31", "--format", "json")
    doc = json.loads(out)
    [f] = [f for f in doc["findings"] if f["code"] == "DATA-MISSING" and f["data"].get("emission_point") == "S1"]
    assert code == 1 and f["data"]["filled_hours"] == 8736 and "99.73 %" in f["message"]


# ------------------------------------------------------------------ #16 period and interval

@pytest.mark.parametrize("cmd", ["check", "cems"])
def test_reversed_period_is_refused_naming_both_dates(tmp_path, cmd):
    f = register(tmp_path) if cmd == "check" else das(tmp_path)
    u = POWER if cmd == "check" else tmp_path / "u.yaml"
    if cmd == "cems":
        u.write_text(CEMS_UNIT, encoding="utf-8")
    code, out = invoke("data", cmd, u, f, "--from", "2025-03-01", "--to", "2025-01-01")
    assert code == 2 and "--from 2025-03-01 不早于 --to 2025-01-01" in out, out
    code, out = invoke("data", cmd, u, f, "--from", "2025-03-01", "--to", "2025-01-01", "--lang", "en")
    assert code == 2 and "--from 2025-03-01 is not before --to 2025-01-01" in out, out
    code, out = invoke("data", cmd, u, f, "--from", "2026-03-01")  # after the default end
    assert code == 2 and "--from 2026-03-01 不早于 默认截止日 2026-01-01" in out, out


def test_as_of_before_the_period_is_said(tmp_path):
    _, out = invoke("data", "check", POWER, register(tmp_path), "--from", "2025-03-01", "--to", "2025-04-01",
                       "--as-of", "2025-01-15", "--format", "json")
    doc = json.loads(out)
    assert any("评估日期 2025-01-15 早于期间起始日 2025-03-01" in i["message"] for i in doc["issues"]), doc["issues"]


@pytest.mark.parametrize("value", ["1e-9", "0.5", "0", "-5", "nan", "1e12"])
def test_interval_must_be_sensible(tmp_path, value):
    code, out = invoke("data", "check", POWER, register(tmp_path), "--interval", value)
    assert code == 2 and "--interval" in out and "1 至 31,622,400 秒（366 天）" in out, out


def test_interval_of_a_second_and_of_a_day_are_taken(tmp_path):
    for value in ("1", "86400"):
        code, _ = check_json(register(tmp_path), "--interval", value)
        assert code in (0, 1)


# ------------------------------------------------------------------ #14 the flagged-rows file

def flagged_file(tmp_path: Path, out: str, *argv: str) -> Path:
    lines = register(tmp_path).read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",1004.0,", ",故障,")        # bad value (row 6)
    lines[8] = lines[8].replace("2025-01-01 07:00:00", "2025-13-45 07:00")  # bad time (row 9)
    lines.insert(12, lines[12])                              # duplicate (rows 13, 14)
    f = tmp_path / "r.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / out
    code, text = invoke("data", "check", POWER, f, *TWO_DAYS, "--flagged", path, *argv)
    assert code == 1, text
    return path


def test_flagged_csv_in_chinese_with_the_text_as_written(tmp_path):
    rows = flagged_file(tmp_path, "f.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "文件,行号,器具,时间,数值,单位,标记,文件中的原文"
    got = {tuple(r.split(",")[1:]) for r in rows[1:]}
    assert ("6", "E-01", "2025-01-01 04:00:00", "", "MWh", "数值无法识别", "故障") in got, got
    assert ("9", "E-01", "", "1007.0", "MWh", "时间无法识别", "2025-13-45 07:00") in got, got
    assert any(r[5].startswith("重复") for r in got), got
    assert not any(w in r[5] for r in got for w in ("duplicate", "bad_time", "bad_value", "spike"))


def test_flagged_xlsx_in_each_language(tmp_path):
    from openpyxl import load_workbook

    ws = load_workbook(flagged_file(tmp_path, "f.xlsx")).active
    assert ws.title == "异常读数" and [c.value for c in ws[1]][-2:] == ["标记", "文件中的原文"]
    assert "数值无法识别" in {c.value for c in ws["G"]}
    ws = load_workbook(flagged_file(tmp_path, "e.xlsx", "--lang", "en")).active
    assert ws.title == "flagged" and [c.value for c in ws[1]] == [
        "file", "row", "instrument", "time", "value", "unit", "flags", "as written in the file"]
    assert {"unreadable value", "unreadable time"} <= {c.value for c in ws["G"]}
    assert "故障" in {c.value for c in ws["H"]}


def test_flagged_wide_file_cells_as_written(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("时间,E-01 [MWh]\n" + "".join(f"2025-01-01 {h:02d}:00:00,{'NaN' if h == 3 else 1000 + h}\n"
                                               for h in range(24)), encoding="utf-8")
    out = tmp_path / "f.csv"
    invoke("data", "check", POWER, p, *TWO_DAYS, "--flagged", out)
    [row] = [r for r in out.read_text(encoding="utf-8").splitlines() if "数值无法识别" in r]
    assert row.split(",")[1] == "5" and row.endswith(",NaN"), row


# ------------------------------------------------------------------ #12, #15 rows named

def test_mixed_time_formats_are_read_value_by_value(tmp_path):
    """A column mixing year-first formats is read value by value (the ninth note's leftover:
    it was refused whole); a day-first date, ambiguous, is flagged bad_time with its text."""
    times = ["2025-01-01 00:00:00", "2025/01/01 01:00", "2025/01/01 02:00", "2025-01-01T03:00:00",
             "2025/01/01 04:00", "01/01/2025 05:00", "2025.01.01 06:00"]
    p = tmp_path / "m.csv"
    p.write_text("instrument,time,value\n" + "".join(f"E-01,{t},{k}\n" for k, t in enumerate(times)),
                 encoding="utf-8")
    out = tmp_path / "f.csv"
    code, text = invoke("data", "check", POWER, p, *TWO_DAYS, "--flagged", out)
    assert code == 1, text
    rows = [r.split(",") for r in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r[1], r[6], r[7]) for r in rows] == [("7", "时间无法识别", "01/01/2025 05:00")]


def test_a_column_mostly_unreadable_names_the_first_row_not_read(tmp_path):
    times = ["2025-01-01 00:00:00", "01/01/2025 01:00", "01/01/2025 02:00", "2025/01/01 03:00",
             "02.01.2025 04:00", "01/01/2025 05:00", "x"]
    p = tmp_path / "m.csv"
    p.write_text("instrument,time,value\n" + "".join(f"E-01,{t},{k}\n" for k, t in enumerate(times)),
                 encoding="utf-8")
    code, out = invoke("data", "check", POWER, p)
    assert code == 2 and "m.csv:3 [time] “01/01/2025 01:00”: 此列的时间大多无法识别" in out, out
    assert "抽查的 7 个时间只读得出 2 个" in out, out
    code, out = invoke("data", "check", POWER, p, "--lang", "en")
    assert code == 2 and 'm.csv:3 [time] "01/01/2025 01:00": most of the column\'s times cannot be read' in out, out


def test_a_workbook_with_dates_typed_as_text_far_down_reads_them(tmp_path):
    """Excel: typed date cells, then (after the first 2 000 rows) dates typed as text — every
    one is read; only a text that is no date is flagged."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["器具", "时间", "数值", "单位"])
    t0 = datetime(2025, 1, 1)
    for h in range(3000):
        t = t0 + timedelta(hours=h)
        ws.append(["E-01", t if h < 2500 or h % 2 else t.strftime("%Y/%m/%d %H:%M"), 1000 + h, "MWh"])
    ws.append(["E-01", "无效时间", 1, "MWh"])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    out = tmp_path / "f.csv"
    code, text = invoke("data", "check", POWER, p, "--from", "2025-01-01", "--to", "2025-05-01",
                        "--flagged", out, "--format", "json")
    assert code == 1, text  # the one unreadable time: DATA-QUALITY
    rows = [r.split(",") for r in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r[1], r[6], r[7]) for r in rows] == [("3002", "时间无法识别", "无效时间")]
    [e01] = [r for r in json.loads(text)["instruments"] if r["instrument"] == "E-01"]
    assert (e01["n"], e01["coverage_percent"], e01["bad_time"]) == (2880, 100.0, 1)


def test_unreadable_times_name_the_first_row_as_written(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("instrument,time,value\n" + "".join(f"E-01,2025年1月1日 {h:02d}:00,{h}\n" for h in range(3)),
                 encoding="utf-8")
    code, out = invoke("data", "check", POWER, p)
    assert code == 2 and "c.csv:2 [time] “2025年1月1日 00:00”: 无法识别时间格式" in out, out


def test_ids_kinds_and_units_set_aside_name_their_first_row(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("instrument,time,value,unit,kind\nE-01,2025-01-01 00:00,1,MWh,total\n"
                 "E-01,2025-01-01 01:00,2,MWh,班次\nE-01,2025-01-01 02:00,3,GJ/t,total\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("instrument,time,value\nE-01,2025-01-01 00:00,1\nE-99,2025-01-01 01:00,2\n"
                 ",2025-01-01 02:00,3\nE-99,2025-01-01 03:00,4\n", encoding="utf-8")
    _, doc = check_json(a, b)
    got = {(Path(i["file"]).name, i["row"], i["column"], i["value"]) for i in doc["issues"]}
    assert {("a.csv", 3, "kind", "班次"), ("a.csv", 4, "unit", "GJ/t"), ("b.csv", 3, "instrument", "E-99"),
            ("b.csv", 4, "instrument", "")} <= got, got
    [e99] = [i for i in doc["issues"] if i["value"] == "E-99"]
    assert e99["message"].endswith("台账中没有此计量器具，2 条读数未分析（此为第一条）")
    assert any(f["code"] == "DATA-QUALITY" and "b.csv:3" in f["message"] for f in doc["findings"])


def test_data_check_shows_no_total_for_a_point_without_a_valid_hour(tmp_path):
    # the CEMS table of data check: "—", not 0.0 t, beside the DATA-MISSING finding
    u = tmp_path / "cems.yaml"
    u.write_text(CEMS_UNIT, encoding="utf-8")
    r = tmp_path / "r.csv"
    r.write_text("instrument,time,value,unit\n" + "".join(f"C-01,2025-01-01 {h:02d}:00:00,20,%\n" for h in range(24)),
                 encoding="utf-8")
    code, out = invoke("data", "check", u, r, "--as-of", "2025-12-31")
    row = next(line for line in out.splitlines() if line.startswith("│ S1"))
    assert code == 1 and "0.0" not in row and "—" in row, out
    assert "排放口 S1 在 2025-01-01 至 2026-01-01 期间没有有效小时" in out.replace("\n", "").replace("│", "")


@pytest.mark.parametrize("cmd", ["check", "import"])
def test_help_names_every_readings_format(cmd):
    # probe s9 #16: the Chinese help called the files "Parquet 读数文件" (the pair split at " / ")
    _, out = invoke("data", cmd, "--help")
    assert "读数文件（CSV、Excel 或 Parquet）" in out and "Parquet 读数文件" not in out, out
    _, out = invoke("data", cmd, "--help", "--lang", "en")
    assert "CSV, Excel or Parquet readings files" in out, out
